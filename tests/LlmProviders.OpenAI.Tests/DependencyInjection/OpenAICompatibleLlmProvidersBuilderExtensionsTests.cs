using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.OpenAI.Tests.Compatible;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.OpenAI.Tests.DependencyInjection;

/// <summary><c>AddTogetherAI</c>, <c>AddOpenRouter</c>, <c>AddVllm</c>, <c>AddLocalAI</c>, <c>AddOpenAICompatible</c>: environment defaults, validation at start, keyed resolution, local and free.</summary>
public sealed class OpenAICompatibleLlmProvidersBuilderExtensionsTests : CompatiblePresetTestBase
{
    private ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new OpenAICompatibleEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(configure);
        return services.BuildServiceProvider();
    }

    private void UseScriptedServer(LlmProvidersBuilder builder, string name) =>
        builder.ConfigureHttpClient(name, http => http.ConfigurePrimaryHttpMessageHandler(() => Handler));

    private static OptionsValidationException ValidateFails(ServiceProvider sp) =>
        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate())!;

    private async Task<ChatResult> ChatThrough(ServiceProvider sp, string name)
    {
        sp.GetRequiredService<IStartupValidator>().Validate();
        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("ok"));
        return await sp.GetRequiredKeyedService<ILlmProvider>(name).ChatAsync(Ask());
    }

    [Test]
    public async Task AddTogetherAI_reads_TOGETHER_API_KEY_and_registers_a_keyed_provider()
    {
        using var sp = Build(b => { b.AddTogetherAI(); UseScriptedServer(b, "together"); }, new() { ["TOGETHER_API_KEY"] = "tgp-env-0000000001" });
        var result = await ChatThrough(sp, "together");

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("together");
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.TogetherAI));
        Assert.That(provider.IsLocal, Is.False);
        Assert.That(result.Cost, Is.Null);
        Assert.That(sp.GetServices<LlmProviderRegistration>().Single(), Is.EqualTo(new LlmProviderRegistration("together", LlmProviderKinds.TogetherAI)));
        Assert.That(sp.GetRequiredKeyedService<IEmbeddingProvider>("together"), Is.SameAs(provider));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.together.xyz/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer tgp-env-0000000001"));
    }

    [Test]
    public void AddTogetherAI_without_a_key_fails_at_start_naming_registration_variable_and_fix()
    {
        using var sp = Build(b => b.AddTogetherAI("together-eu"));
        var ex = ValidateFails(sp);
        Assert.That(ex.Message, Does.Contain("LlmProviders:together-eu: ApiKey is missing. Set TOGETHER_API_KEY or OpenAICompatibleProviderOptions.ApiKey in AddTogetherAI(\"together-eu\", …)."));
    }

    [Test]
    public async Task AddOpenRouter_reads_OPENROUTER_API_KEY_and_sends_attribution_headers()
    {
        using var sp = Build(
            b =>
            {
                b.AddOpenRouter(configure: o => { o.SiteUrl = new Uri("https://myapp.example.com"); o.AppName = "MyApp"; });
                UseScriptedServer(b, "openrouter");
            },
            new() { ["OPENROUTER_API_KEY"] = "sk-or-v1-env-000001" });
        await ChatThrough(sp, "openrouter");

        Assert.That(sp.GetRequiredKeyedService<ILlmProvider>("openrouter").Kind, Is.EqualTo(LlmProviderKinds.OpenRouter));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://openrouter.ai/api/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer sk-or-v1-env-000001"));
        Assert.That(Handler.LastRequest.Header("HTTP-Referer"), Is.EqualTo("https://myapp.example.com/"));
        Assert.That(Handler.LastRequest.Header("X-Title"), Is.EqualTo("MyApp"));
    }

    [Test]
    public void AddOpenRouter_without_a_key_fails_at_start()
    {
        using var sp = Build(b => b.AddOpenRouter());
        var ex = ValidateFails(sp);
        Assert.That(ex.Message, Does.Contain("LlmProviders:openrouter: ApiKey is missing. Set OPENROUTER_API_KEY or OpenRouterProviderOptions.ApiKey"));
    }

    [Test]
    public void AddOpenRouter_with_a_non_ascii_app_name_fails_at_start()
    {
        using var sp = Build(b => b.AddOpenRouter(configure: o => { o.ApiKey = Key; o.AppName = "Café"; }));
        Assert.That(ValidateFails(sp).Message, Does.Contain("AppName 'Café' must be printable ASCII"));
    }

    [Test]
    public async Task AddVllm_defaults_to_localhost_8000_without_a_key_local_and_free()
    {
        using var sp = Build(b => { b.AddVllm(); UseScriptedServer(b, "vllm"); });
        var result = await ChatThrough(sp, "vllm");

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("vllm");
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Vllm));
        Assert.That(provider.IsLocal, Is.True);
        Assert.That(result.Cost, Is.EqualTo(0m));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:8000/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.Null);
    }

    [Test]
    public async Task AddVllm_reads_VLLM_URL_without_v1_and_VLLM_API_KEY()
    {
        // Seed 002 writes VLLM_URL=http://localhost:8000: the OpenAI routes are under /v1.
        using var sp = Build(b => { b.AddVllm(); UseScriptedServer(b, "vllm"); }, new() { ["VLLM_URL"] = "http://gpu-box:8000", ["VLLM_API_KEY"] = "vllm-secret-000001" });
        await ChatThrough(sp, "vllm");

        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://gpu-box:8000/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer vllm-secret-000001"));
    }

    [Test]
    public void AddVllm_with_an_unusable_VLLM_URL_fails_at_start_naming_it()
    {
        using var sp = Build(b => b.AddVllm(), new() { ["VLLM_URL"] = "gpu box" });
        var ex = ValidateFails(sp);
        Assert.That(ex.Message, Does.Contain("LlmProviders:vllm: BaseUrl"));
        Assert.That(ex.Message, Does.Contain("VLLM_URL"));
    }

    [Test]
    public async Task AddLocalAI_reads_LOCALAI_URL_and_LOCALAI_API_KEY()
    {
        using var sp = Build(b => { b.AddLocalAI(); UseScriptedServer(b, "localai"); }, new() { ["LOCALAI_URL"] = "http://localai.lan:8080/v1", ["LOCALAI_API_KEY"] = "localai-key-00001" });
        var result = await ChatThrough(sp, "localai");

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("localai");
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.LocalAI));
        Assert.That(provider.IsLocal, Is.True);
        Assert.That(result.Cost, Is.EqualTo(0m));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localai.lan:8080/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer localai-key-00001"));
    }

    [Test]
    public async Task AddLocalAI_defaults_to_localhost_8080()
    {
        using var sp = Build(b => { b.AddLocalAI(); UseScriptedServer(b, "localai"); });
        await ChatThrough(sp, "localai");
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:8080/v1/chat/completions")));
    }

    [Test]
    public void Two_vllm_hosts_coexist_under_their_own_names()
    {
        using var sp = Build(b => b
            .AddVllm("vllm-a", o => o.BaseUrl = new Uri("http://a:8000/v1"))
            .AddVllm("vllm-b", o => o.BaseUrl = new Uri("http://b:8000/v1")));
        sp.GetRequiredService<IStartupValidator>().Validate();

        var a = (OpenAIProvider)sp.GetRequiredKeyedService<ILlmProvider>("vllm-a");
        var b = (OpenAIProvider)sp.GetRequiredKeyedService<ILlmProvider>("vllm-b");
        Assert.That(a.BaseUrl.Host, Is.EqualTo("a"));
        Assert.That(b.BaseUrl.Host, Is.EqualTo("b"));
        Assert.That(a.Name, Is.EqualTo("vllm-a"));
    }

    [Test]
    public async Task AddOpenAICompatible_with_name_and_url_uses_the_configured_header_and_never_the_environment()
    {
        var environment = new Dictionary<string, string> { ["CUSTOM_PROVIDER_API_KEY"] = "custom-env-key-0001" };
        using var sp = Build(
            b =>
            {
                b.AddOpenAICompatible("gateway", new Uri("https://gateway.example.com/v1"), o => { o.ApiKey = Key; o.ApiKeyHeaderName = "api-key"; o.ApiKeyScheme = null; });
                UseScriptedServer(b, "gateway");
            },
            environment);
        await ChatThrough(sp, "gateway");

        Assert.That(sp.GetRequiredKeyedService<ILlmProvider>("gateway").Kind, Is.EqualTo(LlmProviderKinds.OpenAICompatible));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://gateway.example.com/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("api-key"), Is.EqualTo(Key));
    }

    [Test]
    public void AddOpenAICompatible_with_name_and_url_without_a_key_fails_at_start_unless_local()
    {
        var environment = new Dictionary<string, string> { ["CUSTOM_PROVIDER_API_KEY"] = "custom-env-key-0001" };
        using (var sp = Build(b => b.AddOpenAICompatible("gateway", new Uri("https://gateway.example.com/v1")), environment))
        {
            Assert.That(ValidateFails(sp).Message, Does.Contain("LlmProviders:gateway: ApiKey is missing"));
        }

        using (var sp = Build(b => b.AddOpenAICompatible("lmstudio", new Uri("http://localhost:1234/v1"), o => o.IsLocal = true)))
        {
            sp.GetRequiredService<IStartupValidator>().Validate();
            Assert.That(sp.GetRequiredKeyedService<ILlmProvider>("lmstudio").IsLocal, Is.True);
        }
    }

    [Test]
    public async Task AddOpenAICompatible_reads_the_custom_provider_variables()
    {
        var environment = new Dictionary<string, string>
        {
            ["CUSTOM_PROVIDER_NAME"] = "myprovider",
            ["CUSTOM_PROVIDER_API_KEY"] = "your-custom-key-0001",
            ["CUSTOM_PROVIDER_BASE_URL"] = "https://api.custom-provider.com/v1",
        };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new OpenAICompatibleEnvironment(name => environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(b => { b.AddOpenAICompatible(); UseScriptedServer(b, "myprovider"); });
        using var sp = services.BuildServiceProvider();
        await ChatThrough(sp, "myprovider");

        Assert.That(sp.GetRequiredKeyedService<ILlmProvider>("myprovider").Name, Is.EqualTo("myprovider"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.custom-provider.com/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer your-custom-key-0001"));
    }

    [Test]
    public void AddOpenAICompatible_without_custom_variables_fails_at_start_naming_them()
    {
        using var sp = Build(b => b.AddOpenAICompatible());
        var ex = ValidateFails(sp);
        Assert.That(ex.Message, Does.Contain("LlmProviders:custom: ApiKey is missing. Set CUSTOM_PROVIDER_API_KEY"));
        Assert.That(ex.Message, Does.Contain("LlmProviders:custom: BaseUrl is missing: set CUSTOM_PROVIDER_BASE_URL"));
    }

    [Test]
    public void Invalid_request_timeout_and_header_fail_at_start()
    {
        using var sp = Build(b => b.AddLocalAI(configure: o => { o.RequestTimeout = TimeSpan.Zero; o.Headers["bad header"] = "x"; }));
        var ex = ValidateFails(sp);
        Assert.That(ex.Message, Does.Contain("LlmProviders:localai: RequestTimeout must be positive"));
        Assert.That(ex.Message, Does.Contain("Headers['bad header'] is not a valid header"));
    }

    [Test]
    public void Options_of_each_registration_stay_apart()
    {
        using var sp = Build(
            b => b.AddTogetherAI(configure: o => o.DefaultModel = "meta-llama/Llama-3.3-70B-Instruct-Turbo").AddVllm(),
            new() { ["TOGETHER_API_KEY"] = "tgp-env-0000000001", ["VLLM_API_KEY"] = "vllm-key-0000000001" });
        var monitor = sp.GetRequiredService<IOptionsMonitor<OpenAICompatibleProviderOptions>>();
        Assert.That(monitor.Get("together").ApiKey, Is.EqualTo("tgp-env-0000000001"));
        Assert.That(monitor.Get("vllm").ApiKey, Is.EqualTo("vllm-key-0000000001"));
        Assert.That(monitor.Get("vllm").DefaultModel, Is.Null);
    }
}
