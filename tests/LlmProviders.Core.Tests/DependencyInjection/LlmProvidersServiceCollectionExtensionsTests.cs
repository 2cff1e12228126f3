using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using LlmProviders.Testing;
using LlmProviders.Tests.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.DependencyInjection;

public class LlmProvidersServiceCollectionExtensionsTests
{
    [Test]
    public void Simulated_provider_is_a_keyed_service_under_its_name()
    {
        using var services = Build(b => b.AddSimulated("backup", o => o.Model = "sim-b").AddSimulated());

        var backup = services.GetRequiredKeyedService<ILlmProvider>("backup");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(backup, Is.InstanceOf<SimulatedProvider>());
            Assert.That(backup.Name, Is.EqualTo("backup"));
            Assert.That(services.GetRequiredKeyedService<ILlmProvider>("simulated").Name, Is.EqualTo("simulated"));
            Assert.That(services.GetRequiredKeyedService<ILlmProvider>("backup"), Is.SameAs(backup), "singleton");
            Assert.That(services.GetServices<LlmProviderRegistration>().Select(r => (r.Name, r.Kind)),
                Is.EqualTo(new[] { ("backup", LlmProviderKinds.Simulated), ("simulated", LlmProviderKinds.Simulated) }));
        }
    }

    [Test]
    public async Task Simulated_provider_uses_the_registered_time_provider_and_options()
    {
        var time = new ManualTimeProvider();
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(time);
        collection.AddLlmProviders(b => b.AddSimulated("sim", o => { o.Latency = TimeSpan.FromSeconds(2); o.ResponseText = "configured"; }));
        using var services = collection.BuildServiceProvider();

        var call = services.GetRequiredKeyedService<ILlmProvider>("sim").ChatAsync(new ChatRequest("hi"));
        Assert.That(call.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.That((await call.WaitAsync(TimeSpan.FromSeconds(10))).Text, Is.EqualTo("configured"));
    }

    [Test]
    public async Task Chain_is_a_keyed_provider_and_router_and_the_chain_named_default_is_the_default_route_of_the_unkeyed_router()
    {
        using var services = Build(b => b
            .AddSimulated("primary", o => { o.FailureRate = 1; o.FailureKinds.Add(LlmErrorKind.RateLimited); })
            .AddSimulated("backup")
            .AddFallbackChain(c => c.AddTarget("primary").AddTarget("backup", "sim-2")));

        var router = services.GetRequiredService<ILlmRouter>();
        var result = await router.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(router.Name, Is.EqualTo("default"));
            Assert.That(services.GetRequiredService<ILlmProvider>(), Is.SameAs(router));
            Assert.That(services.GetRequiredKeyedService<ILlmProvider>("default"), Is.SameAs(((LlmRouter)router).DefaultRoute()));
            Assert.That(services.GetRequiredKeyedService<ILlmRouter>("default"), Is.SameAs(((LlmRouter)router).DefaultRoute()));
            Assert.That(result.Trace!.RouteName, Is.EqualTo("default"));
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(result.Model, Is.EqualTo("sim-2"));
            Assert.That(result.Trace!.Attempts.Select(a => (a.ProviderName, a.Error?.Kind)),
                Is.EqualTo(new (string, LlmErrorKind?)[] { ("primary", LlmErrorKind.RateLimited), ("backup", null) }));
        }
    }

    [Test]
    public void Without_a_chain_the_unkeyed_router_tries_every_provider_in_registration_order()
    {
        using var services = Build(b => b.AddSimulated("b-first").AddSimulated("a-second").AddProvider("custom", "scripted", (_, n) => new ScriptedProvider(n)));

        var router = services.GetRequiredService<ILlmRouter>();

        Assert.That(router.GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "b-first", "a-second", "custom" }));
        Assert.That(services.GetRequiredService<ILlmProvider>(), Is.SameAs(router));
    }

    [Test]
    public void Without_a_chain_the_unkeyed_router_leaves_out_custom_routers()
    {
        using var services = Build(b => b
            .AddSimulated("sim")
            .AddProvider("my-router", LlmProviderKinds.Router, (_, n) => new ScriptedProvider(n)));

        Assert.That(services.GetRequiredService<ILlmRouter>().GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "sim" }));
    }

    [Test]
    public void Without_a_chain_named_default_the_default_route_covers_every_provider_and_the_chains_are_routes()
    {
        using var services = Build(b => b
            .AddSimulated("a")
            .AddSimulated("b")
            .AddFallbackChain("fast", c => c.AddTarget("a"))
            .AddFallbackChain("careful", c => c.AddTarget("b")));
        var router = services.GetRequiredService<ILlmRouter>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(router.Name, Is.EqualTo("default"));
            Assert.That(router.GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(router.GetTargets("fast").Select(t => t.ProviderName), Is.EqualTo(new[] { "a" }));
            Assert.That(router.GetTargets("careful").Select(t => t.ProviderName), Is.EqualTo(new[] { "b" }));
        }
    }

    [Test]
    public void Chain_named_default_wins_over_earlier_chains()
    {
        using var services = Build(b => b
            .AddSimulated("a")
            .AddSimulated("b")
            .AddFallbackChain("fast", c => c.AddTarget("a"))
            .AddFallbackChain(c => c.AddTarget("b")));

        Assert.That(services.GetRequiredService<ILlmRouter>().Name, Is.EqualTo("default"));
        Assert.That(services.GetRequiredService<ILlmRouter>().GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public async Task Chains_nest_by_name()
    {
        using var services = Build(b => b
            .AddSimulated("down", o => { o.FailureRate = 1; o.FailureKinds.Add(LlmErrorKind.ProviderUnavailable); })
            .AddSimulated("up")
            .AddFallbackChain("inner", c => c.AddTarget("down").AddTarget("up"))
            .AddFallbackChain("outer", c => c.AddTarget("inner")));

        var result = await services.GetRequiredKeyedService<ILlmRouter>("outer").ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("up"));
        Assert.That(result.Trace!.RouteName, Is.EqualTo("outer"));
    }

    [Test]
    public void Duplicate_names_are_rejected_ignoring_case()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddLlmProviders(b => b.AddSimulated("backup").AddSimulated("Backup")));

        Assert.That(thrown!.Message, Does.Contain("'backup' is already registered").And.Contain("'Backup'"));
    }

    [Test]
    public void Duplicate_names_are_rejected_across_AddLlmProviders_calls()
    {
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b.AddSimulated("backup"));

        Assert.Throws<InvalidOperationException>(() => services.AddLlmProviders(b => b.AddSimulated("backup")));
        Assert.Throws<InvalidOperationException>(() => services.AddLlmProviders(b => b.AddFallbackChain("backup", c => c.AddTarget("backup"))));
    }

    [Test]
    public void Several_AddLlmProviders_calls_share_one_registry()
    {
        var collection = new ServiceCollection();
        collection.AddLlmProviders(b => b.AddSimulated("one"));
        collection.AddLlmProviders(b =>
        {
            b.AddSimulated("two");
            Assert.That(b.ProviderNames, Is.EqualTo(new[] { "one", "two" }));
        });
        using var services = collection.BuildServiceProvider();

        Assert.That(services.GetRequiredService<ILlmRouter>().GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(collection.Count(d => d.ServiceType == typeof(ILlmRouter) && !d.IsKeyedService), Is.EqualTo(1));
    }

    [Test]
    public void Valid_configuration_passes_startup_validation()
    {
        using var services = Build(b => b.AddSimulated("a").AddSimulated("b").AddFallbackChain(c => c.AddTarget("a").AddTarget("b")));

        Assert.That(() => services.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
    }

    [Test]
    public void Chain_without_targets_fails_at_start_naming_the_chain()
    {
        using var services = Build(b => b.AddSimulated("a").AddFallbackChain("empty", _ => { }));

        Assert.That(StartupFailure(services), Does.Contain("Chain 'empty': Targets is empty; add at least one target"));
    }

    [Test]
    public void Target_naming_an_unregistered_provider_fails_at_start_naming_chain_target_and_registered_names()
    {
        using var services = Build(b => b.AddSimulated("primary").AddSimulated("backup").AddFallbackChain(c => c.AddTarget("primary").AddTarget("bakup")));

        Assert.That(StartupFailure(services), Does.Contain("Chain 'default': target 2 names 'bakup', which is not registered")
            .And.Contain("Registered providers and chains: primary, backup. Register it"));
    }

    [Test]
    public void Target_in_the_wrong_case_gets_a_did_you_mean()
    {
        using var services = Build(b => b.AddSimulated("backup").AddFallbackChain(c => c.AddTarget("Backup")));

        Assert.That(StartupFailure(services), Does.Contain("did you mean 'backup'?"));
    }

    [Test]
    public void Target_without_a_provider_name_or_with_a_zero_cap_fails_at_start()
    {
        using var services = Build(b => b.AddSimulated("a").AddFallbackChain(c =>
        {
            c.Targets.Add(new ChainTarget());
            c.Targets.Add(new ChainTarget("a") { MaxOutputTokens = 0 });
        }));

        Assert.That(StartupFailure(services), Does.Contain("Chain 'default': ProviderName: required; set every target's ProviderName").And.Contain("MaxOutputTokens 0; set it to 1 or more"));
    }

    [Test]
    public void Chains_that_reach_themselves_fail_at_start()
    {
        using var services = Build(b => b
            .AddSimulated("a")
            .AddFallbackChain("ping", c => c.AddTarget("pong"))
            .AddFallbackChain("pong", c => c.AddTarget("a").AddTarget("ping")));

        Assert.That(StartupFailure(services), Does.Contain("Chain 'ping': its targets lead back to it (ping → pong → ping)"));
    }

    [Test]
    public void Chain_naming_itself_fails_at_start()
    {
        using var services = Build(b => b.AddSimulated("a").AddFallbackChain("loop", c => c.AddTarget("a").AddTarget("loop")));

        Assert.That(StartupFailure(services), Does.Contain("Chain 'loop': target 2 names the chain itself"));
    }

    [Test]
    public void Invalid_simulated_options_fail_at_start_naming_the_provider_and_the_option()
    {
        using var services = Build(b => b.AddSimulated("flaky", o => o.FailureRate = 1.4));

        Assert.That(StartupFailure(services), Does.Contain("Simulated provider 'flaky': FailureRate is 1.4; it must be between 0"));
    }

    [Test]
    public void Invalid_options_also_fail_when_the_provider_is_first_resolved()
    {
        using var services = Build(b => b.AddSimulated("flaky", o => o.MinLatency = TimeSpan.FromSeconds(1)));

        var thrown = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<ILlmProvider>("flaky"));

        Assert.That(thrown!.Message, Does.Contain("MinLatency and MaxLatency must be set together"));
    }

    [Test]
    public void Options_of_other_simulated_providers_are_validated_independently()
    {
        using var services = Build(b => b.AddSimulated("good").AddSimulated("bad", o => o.FailureRate = -1));

        Assert.That(services.GetRequiredKeyedService<ILlmProvider>("good"), Is.Not.Null);
        Assert.That(StartupFailure(services), Does.Contain("'bad'").And.Not.Contain("'good'"));
    }

    [Test]
    public async Task Embedding_providers_are_keyed_by_name_and_the_default_router_embeds()
    {
        using var services = Build(b => b
            .AddSimulated("primary", o => { o.FailureRate = 1; o.FailureKinds.Add(LlmErrorKind.RateLimited); })
            .AddSimulated("backup"));

        var keyed = services.GetRequiredKeyedService<IEmbeddingProvider>("backup");
        var viaRouter = await services.GetRequiredService<IEmbeddingProvider>().EmbedAsync(new EmbeddingRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keyed, Is.SameAs(services.GetRequiredKeyedService<ILlmProvider>("backup")));
            Assert.That(viaRouter.ProviderName, Is.EqualTo("backup"));
            Assert.That(viaRouter.Trace!.Attempts, Has.Count.EqualTo(2));
            Assert.That(services.GetRequiredService<IEmbeddingProvider>(), Is.SameAs(services.GetRequiredService<ILlmRouter>()));
        }
    }

    [Test]
    public async Task A_chain_is_a_keyed_embedding_provider()
    {
        using var services = Build(b => b.AddSimulated("sim").AddFallbackChain("search", c => c.AddTarget("sim")));

        var result = await services.GetRequiredKeyedService<IEmbeddingProvider>("search").EmbedAsync(new EmbeddingRequest("hi"));

        Assert.That(result.Trace!.RouteName, Is.EqualTo("search"));
    }

    private static ServiceProvider Build(Action<LlmProvidersBuilder> configure) =>
        new ServiceCollection().AddLlmProviders(configure).BuildServiceProvider();

    private static string StartupFailure(IServiceProvider services)
    {
        var thrown = Assert.Catch(() => services.GetRequiredService<IStartupValidator>().Validate());
        return thrown is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(e => e.Message))
            : thrown!.Message;
    }
}
