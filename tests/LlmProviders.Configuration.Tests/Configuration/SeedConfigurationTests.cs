using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using LlmProviders.Anthropic;
using LlmProviders.AzureOpenAI;
using LlmProviders.Ollama;
using LlmProviders.OpenAI;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.Configuration;

public sealed class SeedConfigurationTests
{
    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["OPENAI_API_KEY"] = "sk-openai-test",
        ["ANTHROPIC_API_KEY"] = "sk-ant-test",
        ["AZURE_OPENAI_API_KEY"] = "azure-test",
        ["AZURE_OPENAI_ENDPOINT"] = "https://contoso.openai.azure.com",
        ["AZURE_OPENAI_API_VERSION"] = "2024-10-21",
    };

    [Test]
    public async Task Seed_001_registers_four_providers_their_limits_and_four_strategies()
    {
        await using var services = ConfigurationFiles.Build(ConfigurationFiles.Load("seed001.appsettings.json"), Keys);
        services.GetRequiredService<IStartupValidator>().Validate();

        var state = services.GetRequiredService<LlmProvidersState>();
        var resilience = services.GetRequiredService<IOptionsMonitor<TargetResilienceOptions>>();
        var chains = services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>();
        var azure = services.GetRequiredService<IOptionsMonitor<AzureOpenAIProviderOptions>>().Get("azure_openai");
        using (Assert.EnterMultipleScope())
        {
            // Keys of a configuration object come sorted by name (Priority, or an array, sets another order).
            Assert.That(state.Registrations, Is.EqualTo(new[]
            {
                new LlmProviderRegistration("anthropic", LlmProviderKinds.Anthropic),
                new LlmProviderRegistration("azure_openai", LlmProviderKinds.AzureOpenAI),
                new LlmProviderRegistration("ollama", LlmProviderKinds.Ollama),
                new LlmProviderRegistration("openai", LlmProviderKinds.OpenAI),
                new LlmProviderRegistration("code_generation", LlmProviderKinds.Router),
                new LlmProviderRegistration("cost_optimized", LlmProviderKinds.Router),
                new LlmProviderRegistration("default", LlmProviderKinds.Router),
                new LlmProviderRegistration("local_development", LlmProviderKinds.Router),
            }));
            Assert.That(services.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>().Get("openai").ApiKey, Is.EqualTo("sk-openai-test"));
            Assert.That(azure.BaseUrl, Is.EqualTo(new Uri("https://contoso.openai.azure.com")), "endpoint is the base URL");
            Assert.That(azure.ApiVersion, Is.EqualTo("2024-10-21"));
            Assert.That(resilience.Get("openai").RateLimit.RequestsPerMinute, Is.EqualTo(60));
            Assert.That(resilience.Get("openai").RateLimit.TokensPerMinute, Is.EqualTo(90000));
            Assert.That(resilience.Get("openai").Retry.MaxRetries, Is.EqualTo(2));
            Assert.That(resilience.Get("openai").Retry.BackoffFactor, Is.EqualTo(2));
            Assert.That(resilience.Get("ollama").RateLimit.RequestsPerMinute, Is.EqualTo(30));
            Assert.That(resilience.Get("ollama").RateLimit.TokensPerMinute, Is.Null);
            Assert.That(resilience.Get("ollama").Retry.MaxRetries, Is.EqualTo(1));
            Assert.That(resilience.Get("ollama").Retry.BackoffFactor, Is.EqualTo(1.5));
            Assert.That(resilience.Get("azure_openai").RateLimit.RequestsPerMinute, Is.EqualTo(120));
            Assert.That(Targets(chains.Get("default")), Is.EqualTo(new[] { "openai/gpt-4", "anthropic", "ollama" }));
            Assert.That(Targets(chains.Get("code_generation")), Is.EqualTo(new[] { "anthropic/claude-3-opus-20240229", "openai" }));
            Assert.That(Targets(chains.Get("local_development")), Is.EqualTo(new[] { "ollama/llama2", "openai" }));
            Assert.That(Targets(chains.Get("cost_optimized")), Is.EqualTo(new[] { "openai/gpt-3.5-turbo" }));
            Assert.That(state.ConfiguredProviders[2].Models, Is.EqualTo(new[] { "llama2", "codellama", "mistral" }));
            Assert.That(services.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>().Get("openai").DefaultModel, Is.EqualTo("gpt-4"), "the first of its models");
            Assert.That(services.GetRequiredService<IOptionsMonitor<Ollama.OllamaProviderOptions>>().Get("ollama").DefaultModel, Is.EqualTo("llama2"));
        }
    }

    [Test]
    public async Task Seed_001_without_keys_fails_at_start_naming_each_missing_key()
    {
        await using var services = ConfigurationFiles.Build(ConfigurationFiles.Load("seed001.appsettings.json"), new()
        {
            ["AZURE_OPENAI_ENDPOINT"] = "https://contoso.openai.azure.com",
            ["AZURE_OPENAI_API_VERSION"] = "2024-10-21",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Failures, Has.Exactly(3).Matches<string>(f => f.Contains(":api_key: the ", StringComparison.Ordinal)));
        Assert.That(exception.Failures, Has.One.StartsWith("LlmProviders:providers:openai:api_key: the openai provider 'openai' has no API key."));
    }

    [Test]
    public async Task Seed_002_development_registers_by_priority_with_bursts_health_interval_and_global_timeout()
    {
        await using var services = ConfigurationFiles.Build(ConfigurationFiles.Load("seed002.development.appsettings.json"), Keys);
        services.GetRequiredService<IStartupValidator>().Validate();

        var state = services.GetRequiredService<LlmProvidersState>();
        var resilience = services.GetRequiredService<IOptionsMonitor<TargetResilienceOptions>>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.Names, Is.EqualTo(new[] { "ollama_local", "openai_backup" }));
            Assert.That(services.GetRequiredService<IOptionsMonitor<OllamaProviderOptions>>().Get("ollama_local").BaseUrl, Is.EqualTo(new Uri("http://localhost:11434")));
            Assert.That(services.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>().Get("openai_backup").ApiKey, Is.EqualTo("sk-openai-test"));
            Assert.That(resilience.Get("ollama_local").RateLimit.Burst, Is.EqualTo(10));
            Assert.That(resilience.Get("openai_backup").RateLimit.RequestsPerMinute, Is.EqualTo(1000));
            Assert.That(resilience.Get("openai_backup").RateLimit.Burst, Is.EqualTo(50));
            Assert.That(resilience.Get("openai_backup").Timeouts.Total, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(state.ConfiguredProviders[0].Priority, Is.EqualTo(1));
            Assert.That(state.ConfiguredProviders[1].HealthCheckInterval, Is.EqualTo(TimeSpan.FromSeconds(60)));
        }
    }

    [Test]
    public async Task Seed_002_production_uses_the_health_based_strategy_and_keeps_caching_and_intervals()
    {
        await using var services = ConfigurationFiles.Build(ConfigurationFiles.Load("seed002.production.appsettings.json"), Keys);
        services.GetRequiredService<IStartupValidator>().Validate();

        var state = services.GetRequiredService<LlmProvidersState>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.ConfiguredProviders, Is.EqualTo(new[]
            {
                state.ConfiguredProviders[0] with { Name = "openai_primary", Kind = LlmProviderKinds.OpenAI, HealthCheckInterval = TimeSpan.FromSeconds(30), EnableCaching = true, Priority = 1 },
                state.ConfiguredProviders[1] with { Name = "anthropic_primary", Kind = LlmProviderKinds.Anthropic, HealthCheckInterval = TimeSpan.FromSeconds(30), EnableCaching = true, Priority = 2 },
                state.ConfiguredProviders[2] with { Name = "ollama_local", Kind = LlmProviderKinds.Ollama, HealthCheckInterval = TimeSpan.FromSeconds(120), EnableCaching = null, Priority = 3 },
            }));
            Assert.That(services.GetRequiredService<RouterEnvironment>().Strategy, Is.EqualTo(RoutingStrategyKind.HealthBased));
            Assert.That(services.GetRequiredService<IOptionsMonitor<TargetResilienceOptions>>().Get("openai_primary").RateLimit.TokensPerMinute, Is.EqualTo(2_000_000));
            Assert.That(services.GetRequiredService<IOptionsMonitor<AnthropicProviderOptions>>().Get("anthropic_primary").ApiKey, Is.EqualTo("sk-ant-test"));

            var health = services.GetRequiredService<IOptions<LlmProviders.Health.HealthMonitorOptions>>().Value;
            Assert.That(services.GetService<LlmProviders.Health.ILlmHealthMonitor>(), Is.Not.Null, "health_check_interval turns the monitor on");
            Assert.That(health.Interval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(health.Providers.Keys, Is.EqualTo(new[] { "ollama_local" }), "only the provider whose interval differs gets its own");
            Assert.That(health.Providers["ollama_local"].Interval, Is.EqualTo(TimeSpan.FromSeconds(120)));

            var cache = services.GetRequiredService<IOptions<LlmProviders.Caching.ResponseCacheOptions>>().Value;
            Assert.That(cache.Providers, Is.EqualTo(new[] { "openai_primary", "anthropic_primary" }), "enable_caching opts those providers in");
        }
    }

    [Test]
    public async Task The_samples_appsettings_runs_on_simulated_providers_when_no_key_exists()
    {
        await using var services = ConfigurationFiles.Build(ConfigurationFiles.Load("appsettings.json"));
        services.GetRequiredService<IStartupValidator>().Validate();

        var state = services.GetRequiredService<LlmProvidersState>();
        var router = services.GetRequiredService<ILlmRouter>();
        var general = await router.ChatAsync(new ChatRequest("hi"));
        var code = await router.ChatAsync(new ChatRequest("code") { RouteName = "code_generation" });
        var local = await router.ChatAsync(new ChatRequest("local") { RouteName = "local_development" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.Names, Is.EqualTo(new[] { "cheap", "premium", "local", "code_generation", "default", "local_development" }));
            Assert.That(state.Configuration.Skipped, Has.Count.EqualTo(2), "openai and anthropic are optional and have no key");
            Assert.That(general.ProviderName, Is.EqualTo("cheap"));
            Assert.That(code.ProviderName, Is.EqualTo("premium"));
            Assert.That(local.ProviderName, Is.EqualTo("local"));
            var budget = services.GetRequiredService<IOptions<LlmProviders.Costs.BudgetOptions>>().Value.Budgets[0];
            Assert.That(budget.Name, Is.EqualTo("daily"));
            Assert.That(budget.Limit, Is.EqualTo(5m));
            Assert.That(budget.AlertThresholds, Is.EqualTo(new[] { 0.5, 0.8 }));
            Assert.That(state.ConfiguredProviders[0].HealthCheckInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(state.ConfiguredProviders[1].EnableCaching, Is.True);
            Assert.That(services.GetRequiredService<IOptionsMonitor<TargetResilienceOptions>>().Get("cheap").RateLimit.RequestsPerMinute, Is.EqualTo(600));
        }
    }

    [Test]
    public async Task The_samples_appsettings_adds_the_real_providers_when_their_keys_exist()
    {
        await using var services = ConfigurationFiles.Build(ConfigurationFiles.Load("appsettings.json"), Keys);
        services.GetRequiredService<IStartupValidator>().Validate();

        var chains = services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(services.GetRequiredService<LlmProvidersState>().Names, Does.Contain("openai").And.Contain("anthropic"));
            Assert.That(Targets(chains.Get("default")), Is.EqualTo(new[] { "openai/gpt-4o-mini", "cheap/sim-small", "premium/sim-large" }));
            Assert.That(Targets(chains.Get("code_generation"))[0], Is.EqualTo("anthropic/claude-sonnet-4-5"));
        }
    }

    private static List<string> Targets(FallbackChainOptions options)
    {
        var targets = new List<string>();
        foreach (var target in options.Targets)
        {
            targets.Add(target.ToString());
        }

        return targets;
    }
}
