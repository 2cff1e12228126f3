using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static LlmProviders.Tests.Configuration.ConfigurationTestKit;

namespace LlmProviders.Tests.Configuration;

public sealed class LlmProvidersConfigurationTests
{
    [Test]
    public async Task Providers_keyed_by_name_and_a_route_answer_through_the_router()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:fast:Type"] = "simulated",
            ["LlmProviders:Providers:fast:ResponseText"] = "fast answer",
            ["LlmProviders:Providers:slow:type"] = "simulated",
            ["LlmProviders:Providers:slow:response_text"] = "slow answer",
            ["LlmProviders:Routes:quick:Targets:0"] = "fast/sim-1",
            ["LlmProviders:Routes:quick:Targets:1"] = "slow",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var result = await services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi") { RouteName = "quick" });
        var route = services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>().Get("quick");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("fast"));
            Assert.That(result.Text, Is.EqualTo("fast answer"));
            Assert.That(route.Targets, Has.Count.EqualTo(2));
            Assert.That(route.Targets[0].ToString(), Is.EqualTo("fast/sim-1"));
            Assert.That(route.Targets[1].ToString(), Is.EqualTo("slow"));
            Assert.That(services.GetRequiredKeyedService<ILlmProvider>("slow").Kind, Is.EqualTo(LlmProviderKinds.Simulated));
        }
    }

    [Test]
    public async Task Health_and_cache_sections_configure_the_monitor_and_the_response_cache()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:sim:Type"] = "simulated",
            ["LlmProviders:Providers:sim:ResponseText"] = "an answer",
            ["LlmProviders:Providers:sim:InputPricePerMillionTokens"] = "1",
            ["LlmProviders:Providers:sim:HealthCheckInterval"] = "45s",
            ["LlmProviders:Health:Timeout"] = "00:00:03",
            ["LlmProviders:Health:HistorySize"] = "20",
            ["LlmProviders:Cache:CacheAllRoutes"] = "true",
            ["LlmProviders:Cache:TimeToLive"] = "00:05:00",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var router = services.GetRequiredService<ILlmRouter>();
        var first = await router.ChatAsync(new ChatRequest("hi"));
        var second = await router.ChatAsync(new ChatRequest("hi"));
        var health = services.GetRequiredService<IOptions<LlmProviders.Health.HealthMonitorOptions>>().Value;
        var cache = services.GetRequiredService<IOptions<LlmProviders.Caching.ResponseCacheOptions>>().Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(health.HistorySize, Is.EqualTo(20));
            Assert.That(health.Providers["sim"].Interval, Is.EqualTo(TimeSpan.FromSeconds(45)));
            Assert.That(services.GetRequiredService<LlmProviders.Health.ILlmHealthMonitor>().GetAll(), Has.Count.EqualTo(1));
            Assert.That(cache.TimeToLive, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(first.FromCache, Is.False);
            Assert.That(first.Cost, Is.GreaterThan(0m));
            Assert.That(second.FromCache, Is.True, "the same request again is served by the cache");
            Assert.That(second.Cost, Is.Zero);
            Assert.That(second.Text, Is.EqualTo("an answer"));
        }
    }

    [Test]
    public async Task Array_providers_register_by_priority_with_their_limits()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:0:Name"] = "second",
            ["LlmProviders:Providers:0:provider_type"] = "simulated",
            ["LlmProviders:Providers:0:priority"] = "2",
            ["LlmProviders:Providers:0:rate_limit:requests_per_minute"] = "60",
            ["LlmProviders:Providers:0:rate_limit:burst_limit"] = "10",
            ["LlmProviders:Providers:0:retry:max_attempts"] = "3",
            ["LlmProviders:Providers:0:retry:backoff_factor"] = "1.5",
            ["LlmProviders:Providers:0:timeouts:first_chunk"] = "2.5",
            ["LlmProviders:Providers:1:Name"] = "first",
            ["LlmProviders:Providers:1:provider_type"] = "simulated",
            ["LlmProviders:Providers:1:priority"] = "1",
            ["LlmProviders:Providers:1:health_check_interval"] = "45",
            ["LlmProviders:Providers:1:enable_caching"] = "true",
            ["LlmProviders:health_check_interval"] = "60",
            ["LlmProviders:global_timeout"] = "30.0",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var state = services.GetRequiredService<LlmProvidersState>();
        var resilience = services.GetRequiredService<IOptionsMonitor<TargetResilienceOptions>>();
        var second = resilience.Get("second");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.Names, Is.EqualTo(new[] { "first", "second" }), "priority 1 registers first");
            Assert.That(second.RateLimit.RequestsPerMinute, Is.EqualTo(60));
            Assert.That(second.RateLimit.Burst, Is.EqualTo(10));
            Assert.That(second.Retry.MaxRetries, Is.EqualTo(2), "max_attempts counts the first try");
            Assert.That(second.Retry.BackoffFactor, Is.EqualTo(1.5));
            Assert.That(second.Timeouts.FirstChunk, Is.EqualTo(TimeSpan.FromSeconds(2.5)));
            Assert.That(second.Timeouts.Total, Is.EqualTo(TimeSpan.FromSeconds(30)), "global_timeout bounds every provider");
            Assert.That(state.ConfiguredProviders[0], Is.EqualTo(state.ConfiguredProviders[0] with { Name = "first", Kind = "simulated", HealthCheckInterval = TimeSpan.FromSeconds(45), EnableCaching = true, Priority = 1 }));
            Assert.That(state.ConfiguredProviders[1].HealthCheckInterval, Is.EqualTo(TimeSpan.FromSeconds(60)), "the top-level interval is the default");
            Assert.That(state.ConfiguredProviders[1].EnableCaching, Is.Null);
            Assert.That(state.Configuration.HealthCheckInterval, Is.EqualTo(TimeSpan.FromSeconds(60)));
        }
    }

    [Test]
    public async Task Seed_001_strategies_become_routes_of_primary_and_fallbacks()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:providers:a:type"] = "simulated",
            ["LlmProviders:providers:b:type"] = "simulated",
            ["LlmProviders:strategies:code_generation:provider"] = "a",
            ["LlmProviders:strategies:code_generation:model"] = "big",
            ["LlmProviders:strategies:code_generation:fallback_providers:0"] = "B",
            ["LlmProviders:strategies:code_generation:strategy"] = "round_robin",
            ["LlmProviders:strategies:code_generation:max_latency"] = "1500ms",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var route = services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>().Get("code_generation");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(route.Targets[0].ToString(), Is.EqualTo("a/big"));
            Assert.That(route.Targets[1].ToString(), Is.EqualTo("b"), "names match ignoring case; the registered spelling is used");
            Assert.That(route.Strategy, Is.EqualTo(RoutingStrategyKind.RoundRobin));
            Assert.That(route.MaxLatency, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
        }
    }

    [Test]
    public async Task Targets_as_objects_carry_priority_weight_and_output_cap()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:a:Type"] = "simulated",
            ["LlmProviders:Routes:0:Name"] = "weighted",
            ["LlmProviders:Routes:0:Strategy"] = "weighted_round_robin",
            ["LlmProviders:Routes:0:Targets:0:Provider"] = "a",
            ["LlmProviders:Routes:0:Targets:0:Model"] = "m",
            ["LlmProviders:Routes:0:Targets:0:Priority"] = "3",
            ["LlmProviders:Routes:0:Targets:0:Weight"] = "2.5",
            ["LlmProviders:Routes:0:Targets:0:MaxOutputTokens"] = "256",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var target = services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>().Get("weighted").Targets[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(target.ToString(), Is.EqualTo("a/m"));
            Assert.That(target.Priority, Is.EqualTo(3));
            Assert.That(target.Weight, Is.EqualTo(2.5));
            Assert.That(target.MaxOutputTokens, Is.EqualTo(256));
        }
    }

    [Test]
    public async Task Budgets_catalog_multipliers_and_router_knobs_bind()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:a:Type"] = "simulated",
            ["LlmProviders:Providers:a:CostMultiplier"] = "0.8",
            ["LlmProviders:Budgets:daily:Limit"] = "5",
            ["LlmProviders:Budgets:daily:Period"] = "Daily",
            ["LlmProviders:Budgets:daily:ProviderName"] = "a",
            ["LlmProviders:DefaultProvider"] = "a",
            ["LlmProviders:DefaultStrategy"] = "least_cost",
            ["LlmProviders:EnableFallback"] = "false",
            ["LlmProviders:PreferLocal"] = "true",
            ["LlmProviders:MaxLatency"] = "2",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var budgets = services.GetRequiredService<IOptions<BudgetOptions>>().Value.Budgets;
        var environment = services.GetRequiredService<RouterEnvironment>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(budgets, Has.Count.EqualTo(1));
            Assert.That(budgets[0].Name, Is.EqualTo("daily"));
            Assert.That(budgets[0].Limit, Is.EqualTo(5m));
            Assert.That(budgets[0].ProviderName, Is.EqualTo("a"));
            Assert.That(services.GetRequiredService<IOptions<ModelCatalogOptions>>().Value.CostMultipliers["a"], Is.EqualTo(0.8m));
            Assert.That(environment.DefaultProvider, Is.EqualTo("a"));
            Assert.That(environment.Strategy, Is.EqualTo(RoutingStrategyKind.LeastCost));
            Assert.That(environment.EnableFallback, Is.False);
            Assert.That(environment.PreferLocal, Is.True);
            Assert.That(environment.MaxLatency, Is.EqualTo(TimeSpan.FromSeconds(2)));
        }
    }

    [Test]
    public async Task Catalog_overrides_bind_into_the_model_catalog_options()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:model_catalog:use_built_in_catalog"] = "false",
            ["LlmProviders:model_catalog:cost_multipliers:openai"] = "0.9",
            ["LlmProviders:model_catalog:models:0:provider"] = "openai",
            ["LlmProviders:model_catalog:models:0:id"] = "gpt-x",
            ["LlmProviders:model_catalog:models:0:context_window"] = "128000",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var catalog = services.GetRequiredService<IOptions<ModelCatalogOptions>>().Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.UseBuiltInCatalog, Is.False);
            Assert.That(catalog.CostMultipliers["openai"], Is.EqualTo(0.9m));
            Assert.That(catalog.Models, Has.Count.EqualTo(1));
            Assert.That(catalog.Models[0].Id, Is.EqualTo("gpt-x"));
            Assert.That(catalog.Models[0].ContextWindow, Is.EqualTo(128000));
        }
    }

    [Test]
    public async Task The_environment_wins_over_the_configuration_for_router_knobs()
    {
        await using var services = Build(
            new() { ["LlmProviders:DefaultStrategy"] = "least_cost" },
            new() { ["LLM_ROUTING_STRATEGY"] = "round_robin" });

        Assert.That(services.GetRequiredService<RouterEnvironment>().Strategy, Is.EqualTo(RoutingStrategyKind.RoundRobin));
    }

    [Test]
    public async Task An_empty_section_leaves_the_environment_knobs_working()
    {
        await using var services = Build(
            new(),
            new() { ["LLM_ROUTING_STRATEGY"] = "least_cost", ["LLM_DEFAULT_PROVIDER"] = "b", ["LLM_MAX_LATENCY_MS"] = "900" },
            configure: b => b.AddSimulated("a").AddSimulated("b"));
        services.GetRequiredService<IStartupValidator>().Validate();

        var environment = services.GetRequiredService<RouterEnvironment>();
        var result = await services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment.Strategy, Is.EqualTo(RoutingStrategyKind.LeastCost));
            Assert.That(environment.MaxLatency, Is.EqualTo(TimeSpan.FromMilliseconds(900)));
            Assert.That(result.ProviderName, Is.EqualTo("b"), "LLM_DEFAULT_PROVIDER puts b first on the default route");
            Assert.That(services.GetRequiredService<LlmProvidersState>().ConfiguredProviders, Is.Empty);
        }
    }

    [Test]
    public async Task Code_additions_run_after_binding_and_may_use_configured_providers()
    {
        await using var services = Build(
            new() { ["LlmProviders:Providers:configured:Type"] = "simulated" },
            configure: b => b.AddSimulated("coded").AddRoute("mixed", "coded", "configured"));
        services.GetRequiredService<IStartupValidator>().Validate();

        var route = services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>().Get("mixed");
        Assert.That(route.Targets[1].ProviderName, Is.EqualTo("configured"));
    }

    [Test]
    public async Task Disabled_providers_are_not_registered_and_routes_leave_them_out()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:on:Type"] = "simulated",
            ["LlmProviders:Providers:off:Type"] = "simulated",
            ["LlmProviders:Providers:off:Enabled"] = "false",
            ["LlmProviders:Routes:main:Targets:0"] = "off",
            ["LlmProviders:Routes:main:Targets:1"] = "on",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var route = services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>().Get("main");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(services.GetRequiredService<LlmProvidersState>().Names, Is.EqualTo(new[] { "on", "main" }));
            Assert.That(route.Targets, Has.Count.EqualTo(1), "routes leave a disabled provider out");
            Assert.That(route.Targets[0].ProviderName, Is.EqualTo("on"));
        }
    }

    [Test]
    public async Task A_binder_registered_in_code_binds_its_own_type()
    {
        await using var services = Build(
            new()
            {
                ["LlmProviders:Providers:acme:Type"] = "acme-llm",
                ["LlmProviders:Providers:acme:ApiKey"] = "k1",
            },
            before: b => b.AddConfigurationBinder(new AcmeBinder(), "acme-llm"));
        services.GetRequiredService<IStartupValidator>().Validate();

        var result = await services.GetRequiredKeyedService<ILlmProvider>("acme").ChatAsync(new ChatRequest("hi"));
        Assert.That(result.Text, Is.EqualTo("acme:k1"));
    }

    [Test]
    public async Task A_reloaded_value_is_used_by_the_next_request_without_a_restart()
    {
        var configuration = Settings(new()
        {
            ["LlmProviders:Providers:acme:Type"] = "acme",
            ["LlmProviders:Providers:acme:ApiKey"] = "env:ACME_KEY",
        });
        var environment = new Dictionary<string, string?> { ["ACME_KEY"] = "first" };
        await using var services = BuildFrom(configuration, environment, before: b => b.AddConfigurationBinder(new AcmeBinder(), "acme"));
        services.GetRequiredService<IStartupValidator>().Validate();
        var provider = services.GetRequiredKeyedService<ILlmProvider>("acme");
        var before = await provider.ChatAsync(new ChatRequest("hi"));

        environment["ACME_KEY"] = "second";
        configuration.Reload();
        var after = await provider.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.Text, Is.EqualTo("acme:first"));
            Assert.That(after.Text, Is.EqualTo("acme:second"), "the reload rebuilt the options and the provider");
            Assert.That(services.GetRequiredKeyedService<ILlmProvider>("acme"), Is.SameAs(provider), "the registration stays the same object");
        }
    }

    [Test]
    public async Task Code_configured_providers_are_not_wrapped()
    {
        await using var services = Build(new(), configure: b => b.AddSimulated("plain"));

        Assert.That(services.GetRequiredKeyedService<ILlmProvider>("plain"), Is.TypeOf<SimulatedProvider>());
    }

    [Test]
    public async Task Optional_cloud_provider_without_a_key_is_skipped_and_its_routes_keep_the_rest()
    {
        await using var services = Build(
            new()
            {
                ["LlmProviders:Providers:acme:Type"] = "acme",
                ["LlmProviders:Providers:acme:Optional"] = "true",
                ["LlmProviders:Providers:sim:Type"] = "simulated",
                ["LlmProviders:Routes:default:Targets:0"] = "acme",
                ["LlmProviders:Routes:default:Targets:1"] = "sim",
                ["LlmProviders:Routes:acme_only:Targets:0"] = "acme",
            },
            before: b => b.AddConfigurationBinder(new AcmeBinder(), "acme"));
        services.GetRequiredService<IStartupValidator>().Validate();

        var state = services.GetRequiredService<LlmProvidersState>();
        var result = await services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.Names, Does.Not.Contain("acme"));
            Assert.That(state.Names, Does.Not.Contain("acme_only"), "a route of skipped providers only is left out");
            Assert.That(result.ProviderName, Is.EqualTo("sim"));
            Assert.That(state.Configuration.Skipped[0].Path, Is.EqualTo("LlmProviders:Providers:acme"));
        }
    }

    [Test]
    public async Task A_skipped_optional_provider_is_logged_once_at_start_without_failing_it()
    {
        var logging = new CapturingLoggerFactory();
        await using var services = BuildFrom(
            Settings(new()
            {
                ["LlmProviders:Providers:acme:Type"] = "acme",
                ["LlmProviders:Providers:acme:Optional"] = "true",
            }),
            before: b => b.AddConfigurationBinder(new AcmeBinder(), "acme"),
            addServices: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(logging));
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.That(logging.Logger.Messages, Has.One.EqualTo(
            "LlmProviders:Providers:acme: the optional acme provider is skipped: it has no API key (set ApiKey or ACME_API_KEY to use it)."));
    }

    [Test]
    public async Task Optional_cloud_provider_with_a_key_in_the_environment_is_registered()
    {
        await using var services = Build(
            new()
            {
                ["LlmProviders:Providers:acme:Type"] = "acme",
                ["LlmProviders:Providers:acme:Optional"] = "true",
            },
            new() { ["ACME_API_KEY"] = "from-env" },
            before: b => b.AddConfigurationBinder(new AcmeBinder(), "acme"));
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.That(services.GetRequiredService<LlmProvidersState>().Names, Does.Contain("acme"));
    }
}
