using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Anthropic.Tests.DependencyInjection;

/// <summary><c>AddAnthropic</c>: keyed registration, several registrations, named options validated at start, environment fallback, the clock.</summary>
public sealed class AnthropicLlmProvidersBuilderExtensionsTests : AnthropicProviderTestBase
{
    private ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new AnthropicEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(configure);
        return services.BuildServiceProvider();
    }

    private void UseScriptedServer(LlmProvidersBuilder builder, string name) =>
        builder.ConfigureHttpClient(name, http => http.ConfigurePrimaryHttpMessageHandler(() => Handler));

    [Test]
    public async Task AddAnthropic_registers_a_keyed_provider_that_calls_anthropic()
    {
        using var sp = Build(b =>
        {
            b.AddAnthropic(configure: o => o.ApiKey = Key);
            UseScriptedServer(b, "anthropic");
        });
        sp.GetRequiredService<IStartupValidator>().Validate();

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("anthropic");
        Assert.That(provider, Is.TypeOf<AnthropicProvider>());
        Assert.That(provider.Name, Is.EqualTo("anthropic"));
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Anthropic));
        Assert.That(sp.GetServices<LlmProviderRegistration>().Single(), Is.EqualTo(new LlmProviderRegistration("anthropic", LlmProviderKinds.Anthropic)));

        Handler.Response = CannedResponse.Json(AnthropicWire.TextMessage("Hello from DI"));
        var result = await provider.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Hello from DI"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.anthropic.com/v1/messages")));
        Assert.That(Handler.LastRequest.Header("x-api-key"), Is.EqualTo(Key));
    }

    [Test]
    public void Two_registrations_with_their_own_names_keys_and_betas_coexist()
    {
        using var sp = Build(b => b
            .AddAnthropic("anthropic", o => o.ApiKey = "sk-ant-first-0000001")
            .AddAnthropic("anthropic-batch", o => { o.ApiKey = "sk-ant-second-000002"; o.Beta.Add("context-management-2025-06-27"); }));

        var first = sp.GetRequiredKeyedService<ILlmProvider>("anthropic");
        var second = sp.GetRequiredKeyedService<ILlmProvider>("anthropic-batch");
        Assert.That(first.Name, Is.EqualTo("anthropic"));
        Assert.That(second.Name, Is.EqualTo("anthropic-batch"));
        Assert.That(first, Is.Not.SameAs(second));
        var monitor = sp.GetRequiredService<IOptionsMonitor<AnthropicProviderOptions>>();
        Assert.That(monitor.Get("anthropic-batch").Beta, Is.EqualTo(new[] { "context-management-2025-06-27" }));
        Assert.That(monitor.Get("anthropic").Beta, Is.Empty);
    }

    [Test]
    public void Registering_the_same_name_twice_is_refused()
    {
        var services = new ServiceCollection();
        Assert.Throws<InvalidOperationException>(() => services.AddLlmProviders(b => b.AddAnthropic().AddAnthropic()));
    }

    [Test]
    public void Missing_key_fails_validation_at_start_with_a_message_naming_the_option_and_the_fix()
    {
        using var sp = Build(b => b.AddAnthropic());
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:anthropic: ApiKey is missing. Set ANTHROPIC_API_KEY or AnthropicProviderOptions.ApiKey"));
    }

    [Test]
    public void Missing_key_of_a_named_registration_names_that_registration()
    {
        using var sp = Build(b => b.AddAnthropic("anthropic-eu"));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:anthropic-eu: ApiKey is missing"));
    }

    [Test]
    public void Invalid_base_url_from_the_environment_fails_validation_naming_it()
    {
        using var sp = Build(b => b.AddAnthropic(), new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = Key, ["ANTHROPIC_BASE_URL"] = "not a url" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("BaseUrl"));
        Assert.That(ex.Message, Does.Contain("ANTHROPIC_BASE_URL"));
    }

    [Test]
    public void Non_positive_default_max_tokens_fails_validation_at_start()
    {
        using var sp = Build(b => b.AddAnthropic(configure: o => { o.ApiKey = Key; o.DefaultMaxTokens = -1; }));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("DefaultMaxTokens"));
    }

    [Test]
    public async Task The_key_comes_from_ANTHROPIC_API_KEY_when_not_configured()
    {
        using var sp = Build(
            b =>
            {
                b.AddAnthropic();
                UseScriptedServer(b, "anthropic");
            },
            new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-env-Rr42" });
        sp.GetRequiredService<IStartupValidator>().Validate();

        Handler.Response = CannedResponse.Json(AnthropicWire.TextMessage("ok"));
        await sp.GetRequiredKeyedService<ILlmProvider>("anthropic").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("x-api-key"), Is.EqualTo("sk-ant-env-Rr42"));
    }

    [Test]
    public async Task Configured_values_win_over_the_environment()
    {
        using var sp = Build(
            b =>
            {
                b.AddAnthropic(configure: o => o.ApiKey = Key);
                UseScriptedServer(b, "anthropic");
            },
            new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-env-ignored" });

        Handler.Response = CannedResponse.Json(AnthropicWire.TextMessage("ok"));
        await sp.GetRequiredKeyedService<ILlmProvider>("anthropic").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("x-api-key"), Is.EqualTo(Key));
    }

    [Test]
    public async Task The_provider_uses_the_time_provider_from_the_container()
    {
        using var sp = Build(b =>
        {
            b.AddAnthropic(configure: o => o.ApiKey = Key);
            UseScriptedServer(b, "anthropic");
        });
        Handler.Response = CannedResponse.Json(AnthropicWire.TextMessage("ok"));
        Handler.ServerLatency = TimeSpan.FromMilliseconds(123);
        var result = await sp.GetRequiredKeyedService<ILlmProvider>("anthropic").ChatAsync(Ask());
        Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(123)));
    }
}
