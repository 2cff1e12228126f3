using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.OpenAI.Tests.DependencyInjection;

/// <summary><c>AddOpenAI</c>: keyed registration, named options validated at start, environment fallback, the named HttpClient, the clock.</summary>
public sealed class OpenAILlmProvidersBuilderExtensionsTests : OpenAIProviderTestBase
{
    private ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new OpenAIEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(configure);
        return services.BuildServiceProvider();
    }

    private void UseScriptedServer(LlmProvidersBuilder builder, string name) =>
        builder.ConfigureHttpClient(name, http => http.ConfigurePrimaryHttpMessageHandler(() => Handler));

    [Test]
    public async Task AddOpenAI_registers_a_keyed_provider_that_calls_openai()
    {
        using var sp = Build(b =>
        {
            b.AddOpenAI(configure: o => o.ApiKey = Key);
            UseScriptedServer(b, "openai");
        });
        sp.GetRequiredService<IStartupValidator>().Validate();

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("openai");
        Assert.That(provider, Is.TypeOf<OpenAIProvider>());
        Assert.That(provider.Name, Is.EqualTo("openai"));
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.OpenAI));
        Assert.That(provider.IsLocal, Is.False);
        Assert.That(sp.GetServices<LlmProviderRegistration>().Single(), Is.EqualTo(new LlmProviderRegistration("openai", LlmProviderKinds.OpenAI)));

        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("Hello from DI"));
        var result = await provider.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Hello from DI"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.openai.com/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
    }

    [Test]
    public async Task Readme_setup_fails_over_from_openai_to_the_simulated_backup()
    {
        // The README's ten-line setup, as written there, with the OpenAI server scripted to answer 429.
        using var sp = Build(
            llm =>
            {
                llm.AddOpenAI("openai", o => o.DefaultModel = "gpt-4o-mini")
                   .AddSimulated("backup")
                   .AddFallbackChain(chain => chain.AddTarget("openai").AddTarget("backup"));
                UseScriptedServer(llm, "openai");
            },
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = Key });
        sp.GetRequiredService<IStartupValidator>().Validate();
        Handler.Response = CannedResponse.Json(OpenAIWire.Error("Rate limit reached for gpt-4o-mini.", "requests", "rate_limit_exceeded"), System.Net.HttpStatusCode.TooManyRequests);

        var router = sp.GetRequiredService<LlmProviders.Routing.ILlmRouter>();
        // OpenAI's 429 is retried with backoff on the same target first (RS1), then the chain fails over.
        ChatResult result = await RunOnClockAsync(router.ChatAsync(new ChatRequest("Say hello in French.")));

        Assert.That(result.ProviderName, Is.EqualTo("backup"));
        Assert.That(result.Text, Is.Not.Empty);
        Assert.That(result.Trace!.Attempts, Has.Count.EqualTo(2));
        Assert.That(result.Trace.Attempts[0].Error, Is.TypeOf<RateLimitedException>());
        Assert.That(result.Trace.Attempts[0].Model, Is.EqualTo("gpt-4o-mini").Or.Null);
        Assert.That(result.Trace.ToString(), Does.Not.Contain(Key[8..]));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
    }

    [Test]
    public void Two_registrations_with_their_own_names_and_keys_coexist()
    {
        using var sp = Build(b => b
            .AddOpenAI("openai", o => o.ApiKey = "sk-first-0000000001")
            .AddOpenAI("openai-backup", o => { o.ApiKey = "sk-second-000000002"; o.Organization = "org-backup"; }));

        var first = sp.GetRequiredKeyedService<ILlmProvider>("openai");
        var second = sp.GetRequiredKeyedService<ILlmProvider>("openai-backup");
        Assert.That(first.Name, Is.EqualTo("openai"));
        Assert.That(second.Name, Is.EqualTo("openai-backup"));
        Assert.That(first, Is.Not.SameAs(second));
        var monitor = sp.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>();
        Assert.That(monitor.Get("openai-backup").Organization, Is.EqualTo("org-backup"));
        Assert.That(monitor.Get("openai").Organization, Is.Null);
    }

    [Test]
    public void Registering_the_same_name_twice_is_refused()
    {
        var services = new ServiceCollection();
        Assert.Throws<InvalidOperationException>(() => services.AddLlmProviders(b => b.AddOpenAI().AddOpenAI()));
    }

    [Test]
    public void Missing_key_fails_validation_at_start_with_a_message_naming_the_option_and_the_fix()
    {
        using var sp = Build(b => b.AddOpenAI());
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:openai: ApiKey is missing. Set OPENAI_API_KEY or OpenAIProviderOptions.ApiKey"));
        Assert.That(ex.Message, Does.StartWith("LlmProviders:openai:"));
    }

    [Test]
    public void Missing_key_of_a_named_registration_names_that_registration()
    {
        using var sp = Build(b => b.AddOpenAI("openai-eu"));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:openai-eu: ApiKey is missing"));
    }

    [Test]
    public void Invalid_base_url_from_the_environment_fails_validation_naming_it()
    {
        using var sp = Build(b => b.AddOpenAI(), new Dictionary<string, string> { ["OPENAI_API_KEY"] = Key, ["OPENAI_BASE_URL"] = "not a url" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("BaseUrl"));
        Assert.That(ex.Message, Does.Contain("OPENAI_BASE_URL"));
    }

    [Test]
    public void Non_positive_request_timeout_fails_validation()
    {
        using var sp = Build(b => b.AddOpenAI(configure: o => { o.ApiKey = Key; o.RequestTimeout = TimeSpan.Zero; }));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("RequestTimeout"));
    }

    [Test]
    public void Server_without_authentication_may_omit_the_key()
    {
        using var sp = Build(b => b.AddOpenAI("vllm", o => { o.AllowMissingApiKey = true; o.BaseUrl = new Uri("http://localhost:8000/v1"); }));
        Assert.DoesNotThrow(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(sp.GetRequiredKeyedService<ILlmProvider>("vllm").Name, Is.EqualTo("vllm"));
    }

    [Test]
    public async Task Key_base_url_organization_and_project_come_from_the_environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-from-env-00000000001",
            ["OPENAI_BASE_URL"] = "https://proxy.example.com/openai/v1",
            ["OPENAI_ORGANIZATION"] = "org-env",
            ["OPENAI_PROJECT_ID"] = "proj_env",
        };
        using var sp = Build(b => { b.AddOpenAI(); UseScriptedServer(b, "openai"); }, environment);
        sp.GetRequiredService<IStartupValidator>().Validate();

        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("ok"));
        await sp.GetRequiredKeyedService<ILlmProvider>("openai").ChatAsync(Ask());

        var request = Handler.LastRequest;
        Assert.That(request.Uri, Is.EqualTo(new Uri("https://proxy.example.com/openai/v1/chat/completions")));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer sk-from-env-00000000001"));
        Assert.That(request.Header("OpenAI-Organization"), Is.EqualTo("org-env"));
        Assert.That(request.Header("OpenAI-Project"), Is.EqualTo("proj_env"));
    }

    [Test]
    public async Task Configured_values_win_over_the_environment()
    {
        var environment = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-from-env-00000000001", ["OPENAI_BASE_URL"] = "https://env.example.com/v1" };
        using var sp = Build(
            b =>
            {
                b.AddOpenAI(configure: o => { o.ApiKey = Key; o.BaseUrl = new Uri("https://configured.example.com/v1"); });
                UseScriptedServer(b, "openai");
            },
            environment);

        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("ok"));
        await sp.GetRequiredKeyedService<ILlmProvider>("openai").ChatAsync(Ask());

        Assert.That(Handler.LastRequest.Uri.Host, Is.EqualTo("configured.example.com"));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
    }

    [Test]
    public async Task Provider_uses_the_time_provider_from_the_container()
    {
        using var sp = Build(b => { b.AddOpenAI(configure: o => o.ApiKey = Key); UseScriptedServer(b, "openai"); });
        Handler.ServerLatency = TimeSpan.FromMilliseconds(321);
        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("ok"));
        var result = await sp.GetRequiredKeyedService<ILlmProvider>("openai").ChatAsync(Ask());
        Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(321)));
    }

    [Test]
    public async Task Health_check_through_di_lists_models()
    {
        using var sp = Build(b => { b.AddOpenAI(configure: o => o.ApiKey = Key); UseScriptedServer(b, "openai"); });
        Handler.Response = CannedResponse.Json(OpenAIWire.Models("gpt-4o", "gpt-4o-mini"));
        var health = await sp.GetRequiredKeyedService<ILlmProvider>("openai").CheckHealthAsync();
        Assert.That(health.IsHealthy, Is.True);
        Assert.That(health.Message, Does.Contain("2 models"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.openai.com/v1/models")));
    }

    [Test]
    public async Task AddOpenAI_prices_results_with_the_registered_cost_calculator()
    {
        // conformance-model-2026-01-01 at $2.00 input and $8.00 output per million: 42 input + 17 output = $0.000084 + $0.000136.
        var catalog = new TestModelCatalog().Add(LlmProviderKinds.OpenAI, "conformance-model-2026-01-01", new ModelPrice { Input = 2.00m, Output = 8.00m });
        using var sp = Build(b =>
        {
            b.Services.AddSingleton(new CostCalculator(catalog));
            b.AddOpenAI(configure: o => o.ApiKey = Key);
            UseScriptedServer(b, "openai");
        });

        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("Hi", usage: """{"prompt_tokens":42,"completion_tokens":17,"total_tokens":59}"""));
        var result = await sp.GetRequiredKeyedService<ILlmProvider>("openai").ChatAsync(Ask());

        Assert.That(result.Cost, Is.EqualTo(0.00022m));
    }
}
