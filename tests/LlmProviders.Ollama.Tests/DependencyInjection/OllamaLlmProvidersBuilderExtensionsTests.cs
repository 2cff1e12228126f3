using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Ollama.Tests.DependencyInjection;

/// <summary><c>AddOllama</c>: keyed registration, several hosts, environment fallback, no key, validation at start.</summary>
public sealed class OllamaLlmProvidersBuilderExtensionsTests : OllamaProviderTestBase
{
    private ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new OllamaEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(configure);
        return services.BuildServiceProvider();
    }

    private void UseScriptedServer(LlmProvidersBuilder builder, string name) =>
        builder.ConfigureHttpClient(name, http => http.ConfigurePrimaryHttpMessageHandler(() => Handler));

    [Test]
    public async Task AddOllama_registers_a_keyed_local_provider_without_a_key()
    {
        using var sp = Build(b =>
        {
            b.AddOllama();
            UseScriptedServer(b, "ollama");
        });
        sp.GetRequiredService<IStartupValidator>().Validate();

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("ollama");
        Assert.That(provider, Is.TypeOf<OllamaProvider>());
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Ollama));
        Assert.That(provider.IsLocal, Is.True);
        Assert.That(sp.GetServices<LlmProviderRegistration>().Single(), Is.EqualTo(new LlmProviderRegistration("ollama", LlmProviderKinds.Ollama)));

        Handler.Response = CannedResponse.Json(OllamaWire.Chat("Hello from DI"));
        var result = await provider.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Hello from DI"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:11434/api/chat")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.Null);
    }

    [Test]
    public async Task Three_hosts_coexist_under_different_names()
    {
        using var sp = Build(b =>
        {
            b.AddOllama("ollama-laptop");
            b.AddOllama("ollama-gpu", o => o.BaseUrl = new Uri("http://gpu-box:11434"));
            b.AddOllama("ollama-cloud", o => { o.BaseUrl = new Uri("https://ollama.com"); o.ApiKey = "cloud-key-1"; });
            foreach (var name in new[] { "ollama-laptop", "ollama-gpu", "ollama-cloud" })
            {
                UseScriptedServer(b, name);
            }
        });
        sp.GetRequiredService<IStartupValidator>().Validate();

        Assert.That(sp.GetServices<LlmProviderRegistration>().Select(r => r.Name), Is.EquivalentTo(new[] { "ollama-laptop", "ollama-gpu", "ollama-cloud" }));
        var expected = new Dictionary<string, string>
        {
            ["ollama-laptop"] = "http://localhost:11434/api/chat",
            ["ollama-gpu"] = "http://gpu-box:11434/api/chat",
            ["ollama-cloud"] = "https://ollama.com/api/chat",
        };
        foreach (var (name, uri) in expected)
        {
            var provider = sp.GetRequiredKeyedService<ILlmProvider>(name);
            Assert.That(provider.Name, Is.EqualTo(name));
            Handler.Response = CannedResponse.Json(OllamaWire.Chat("Hi"));
            await provider.ChatAsync(Ask());
            Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri(uri)), name);
        }

        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer cloud-key-1"));
    }

    [Test]
    public async Task Base_url_comes_from_OLLAMA_BASE_URL()
    {
        using var sp = Build(b => { b.AddOllama(); UseScriptedServer(b, "ollama"); }, new() { ["OLLAMA_BASE_URL"] = "http://base-url:11434", ["OLLAMA_URL"] = "http://url:11434" });
        Handler.Response = CannedResponse.Json(OllamaWire.Chat("Hi"));
        await sp.GetRequiredKeyedService<ILlmProvider>("ollama").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://base-url:11434/api/chat")));
    }

    [Test]
    public async Task Base_url_falls_back_to_OLLAMA_URL()
    {
        using var sp = Build(b => { b.AddOllama(); UseScriptedServer(b, "ollama"); }, new() { ["OLLAMA_URL"] = "http://url:11434/" });
        Handler.Response = CannedResponse.Json(OllamaWire.Chat("Hi"));
        await sp.GetRequiredKeyedService<ILlmProvider>("ollama").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://url:11434/api/chat")));
    }

    [Test]
    public async Task Configured_base_url_wins_over_the_environment()
    {
        using var sp = Build(b => { b.AddOllama(configure: o => o.BaseUrl = new Uri("http://configured:11434")); UseScriptedServer(b, "ollama"); }, new() { ["OLLAMA_BASE_URL"] = "http://env:11434" });
        Handler.Response = CannedResponse.Json(OllamaWire.Chat("Hi"));
        await sp.GetRequiredKeyedService<ILlmProvider>("ollama").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://configured:11434/api/chat")));
    }

    [Test]
    public void Malformed_base_url_from_the_environment_fails_at_start_naming_the_option_and_the_fix()
    {
        using var sp = Build(b => b.AddOllama("ollama-gpu"), new() { ["OLLAMA_BASE_URL"] = "gpu-box:11434 oops" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:ollama-gpu: BaseUrl"));
        Assert.That(ex.Message, Does.Contain("OLLAMA_BASE_URL"));
        Assert.That(ex.Message, Does.Contain("http://localhost:11434"));
    }

    [Test]
    public void Malformed_base_url_in_code_is_refused_by_the_constructor()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.BaseUrl = new Uri("ftp://box/", UriKind.Absolute)));
        Assert.That(ex!.Message, Does.Contain("BaseUrl"));
    }

    [Test]
    public void Non_positive_context_length_fails_validation()
    {
        using var sp = Build(b => b.AddOllama(configure: o => o.ContextLength = 0));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("ContextLength"));
    }

    [Test]
    public void Default_request_timeout_is_longer_than_the_cloud_default()
    {
        var options = new OllamaProviderOptions();
        Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromMinutes(30)));
        Assert.That(options.AllowMissingApiKey, Is.True);
        Assert.That(CreateProvider().EffectiveRequestTimeout, Is.EqualTo(TimeSpan.FromMinutes(30)));
    }

    [Test]
    public async Task Optional_key_comes_from_OLLAMA_API_KEY()
    {
        using var sp = Build(b => { b.AddOllama(); UseScriptedServer(b, "ollama"); }, new() { ["OLLAMA_API_KEY"] = "env-key-9" });
        Handler.Response = CannedResponse.Json(OllamaWire.Chat("Hi"));
        await sp.GetRequiredKeyedService<ILlmProvider>("ollama").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer env-key-9"));
    }

    [Test]
    public void Constructor_does_not_change_the_callers_options()
    {
        var options = new OllamaProviderOptions();
        _ = new OllamaProvider(options, new System.Net.Http.HttpClient(Handler), "ollama", Time, null, new OllamaEnvironment(_ => "http://env:11434"));
        Assert.That(options.BaseUrl, Is.Null);
    }

    [Test]
    public void Telemetry_provider_name_is_ollama()
    {
        Assert.That(OllamaProvider.TelemetryProviderName, Is.EqualTo("ollama"));
    }
}
