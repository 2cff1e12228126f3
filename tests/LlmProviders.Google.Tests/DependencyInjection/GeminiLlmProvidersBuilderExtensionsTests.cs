using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Google.Tests.DependencyInjection;

/// <summary><c>AddGemini</c>: keyed registration, named options validated at start, GOOGLE_API_KEY then GEMINI_API_KEY, the named HttpClient, the clock.</summary>
public sealed class GeminiLlmProvidersBuilderExtensionsTests : GeminiProviderTestBase
{
    private ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new GeminiEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(configure);
        return services.BuildServiceProvider();
    }

    private void UseScriptedServer(LlmProvidersBuilder builder, string name) =>
        builder.ConfigureHttpClient(name, http => http.ConfigurePrimaryHttpMessageHandler(() => Handler));

    [Test]
    public async Task AddGemini_registers_a_keyed_provider_that_calls_gemini()
    {
        using var sp = Build(b =>
        {
            b.AddGemini(configure: o => o.ApiKey = Key);
            UseScriptedServer(b, "gemini");
        });
        sp.GetRequiredService<IStartupValidator>().Validate();

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("gemini");
        Assert.That(provider, Is.TypeOf<GeminiProvider>());
        Assert.That(provider.Name, Is.EqualTo("gemini"));
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Google));
        Assert.That(sp.GetServices<LlmProviderRegistration>().Single(), Is.EqualTo(new LlmProviderRegistration("gemini", LlmProviderKinds.Google)));

        Handler.Response = CannedResponse.Json(GeminiWire.Completion("Hello from DI"));
        var result = await provider.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Hello from DI"));
        Assert.That(Handler.LastRequest.Header("x-goog-api-key"), Is.EqualTo(Key));
    }

    [Test]
    public void Two_registrations_with_their_own_names_and_keys_coexist()
    {
        using var sp = Build(b => b
            .AddGemini("gemini", o => o.ApiKey = "AIza-first-0000000001")
            .AddGemini("gemini-pro", o => { o.ApiKey = "AIza-second-000000002"; o.DefaultModel = "gemini-2.5-pro"; }));

        var first = sp.GetRequiredKeyedService<ILlmProvider>("gemini");
        var second = sp.GetRequiredKeyedService<ILlmProvider>("gemini-pro");
        Assert.That(first.Name, Is.EqualTo("gemini"));
        Assert.That(second.Name, Is.EqualTo("gemini-pro"));
        Assert.That(first, Is.Not.SameAs(second));
        var monitor = sp.GetRequiredService<IOptionsMonitor<GeminiProviderOptions>>();
        Assert.That(monitor.Get("gemini-pro").DefaultModel, Is.EqualTo("gemini-2.5-pro"));
        Assert.That(monitor.Get("gemini").DefaultModel, Is.Null);
    }

    [Test]
    public void Registering_the_same_name_twice_is_refused()
    {
        var services = new ServiceCollection();
        Assert.Throws<InvalidOperationException>(() => services.AddLlmProviders(b => b.AddGemini().AddGemini()));
    }

    [Test]
    public void Missing_key_fails_validation_at_start_with_a_message_naming_the_option_and_the_fix()
    {
        using var sp = Build(b => b.AddGemini("gemini-eu"));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.StartWith("LlmProviders:gemini-eu: ApiKey is missing."));
        Assert.That(ex.Message, Does.Contain("GOOGLE_API_KEY").And.Contain("GEMINI_API_KEY").And.Contain("GeminiProviderOptions.ApiKey"));
    }

    [Test]
    public void Invalid_base_url_from_the_environment_fails_validation_naming_it()
    {
        using var sp = Build(b => b.AddGemini(), new Dictionary<string, string> { ["GOOGLE_API_KEY"] = Key, ["GOOGLE_GEMINI_BASE_URL"] = "not a url" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("BaseUrl").And.Contain("GOOGLE_GEMINI_BASE_URL"));
    }

    [TestCase("GOOGLE_API_KEY")]
    [TestCase("GEMINI_API_KEY")]
    public async Task The_key_comes_from_the_environment(string variable)
    {
        using var sp = Build(b => { b.AddGemini(); UseScriptedServer(b, "gemini"); }, new Dictionary<string, string> { [variable] = "AIza-from-env-000001" });
        sp.GetRequiredService<IStartupValidator>().Validate();
        Handler.Response = CannedResponse.Json(GeminiWire.Completion("ok"));
        await sp.GetRequiredKeyedService<ILlmProvider>("gemini").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("x-goog-api-key"), Is.EqualTo("AIza-from-env-000001"));
    }

    [Test]
    public async Task GOOGLE_API_KEY_wins_over_GEMINI_API_KEY_and_configured_values_win_over_both()
    {
        var environment = new Dictionary<string, string> { ["GOOGLE_API_KEY"] = "AIza-google-0000001", ["GEMINI_API_KEY"] = "AIza-gemini-0000002" };
        using var sp = Build(
            b =>
            {
                b.AddGemini();
                b.AddGemini("configured", o => o.ApiKey = Key);
                UseScriptedServer(b, "gemini");
                UseScriptedServer(b, "configured");
            },
            environment);

        Handler.Response = CannedResponse.Json(GeminiWire.Completion("ok"));
        await sp.GetRequiredKeyedService<ILlmProvider>("gemini").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("x-goog-api-key"), Is.EqualTo("AIza-google-0000001"));
        await sp.GetRequiredKeyedService<ILlmProvider>("configured").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("x-goog-api-key"), Is.EqualTo(Key));
    }

    [Test]
    public async Task Provider_uses_the_time_provider_from_the_container()
    {
        using var sp = Build(b => { b.AddGemini(configure: o => o.ApiKey = Key); UseScriptedServer(b, "gemini"); });
        Handler.ServerLatency = TimeSpan.FromMilliseconds(321);
        Handler.Response = CannedResponse.Json(GeminiWire.Completion("ok"));
        var result = await sp.GetRequiredKeyedService<ILlmProvider>("gemini").ChatAsync(Ask());
        Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(321)));
    }

    [Test]
    public async Task Health_check_through_di_lists_models_with_a_get()
    {
        using var sp = Build(b => { b.AddGemini(configure: o => o.ApiKey = Key); UseScriptedServer(b, "gemini"); });
        Handler.Response = CannedResponse.Json(GeminiWire.Models(null, ("gemini-2.5-flash", ["generateContent"])));
        var health = await sp.GetRequiredKeyedService<ILlmProvider>("gemini").CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Healthy));
        Assert.That(Handler.LastRequest.Method, Is.EqualTo(System.Net.Http.HttpMethod.Get));
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/v1beta/models"));
    }
}
