using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Routing;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.Integration.IntegrationKit;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>Routing strategies through the router: which target a user's calls reach first.</summary>
public class StrategiesThroughChainTests
{
    private static readonly ModelCatalog Catalog = new(
    [
        new ModelCatalogEntry { Provider = "clocked", Id = "dear-model", Price = new ModelPrice { Input = 10m, Output = 30m } },
        new ModelCatalogEntry { Provider = "clocked", Id = "cheap-model", Price = new ModelPrice { Input = 0.1m, Output = 0.4m } },
    ]);

    [Test]
    public async Task Round_robin_rotates_the_first_target_across_calls()
    {
        var time = new ManualTimeProvider();
        var a = new ClockedProvider("a", time);
        var b = new ClockedProvider("b", time);
        var c = new ClockedProvider("c", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, o => o.Strategy = RoutingStrategyKind.RoundRobin, a, b, c);

        var answeredBy = new List<string?>();
        for (int i = 0; i < 6; i++)
        {
            answeredBy.Add((await chain.ChatAsync(new ChatRequest("hi"))).ProviderName);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answeredBy, Is.EqualTo(new[] { "a", "b", "c", "a", "b", "c" }));
            Assert.That((a.Calls, b.Calls, c.Calls), Is.EqualTo((2, 2, 2)));
        }
    }

    [Test]
    public async Task Round_robin_still_fails_over_in_ring_order_from_the_rotated_first_target()
    {
        var time = new ManualTimeProvider();
        var a = new ClockedProvider("a", time);
        var b = new ClockedProvider("b", time).ThenFail(Unavailable("b"));
        var c = new ClockedProvider("c", time);
        var chain = Chain(time, null, o => o.Strategy = RoutingStrategyKind.RoundRobin, a, b, c);

        await chain.ChatAsync(new ChatRequest("hi")); // a first
        var second = await chain.ChatAsync(new ChatRequest("hi")); // b first, fails over to c

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.ProviderName, Is.EqualTo("c"));
            Assert.That(second.Trace!.Attempts[0].ProviderName, Is.EqualTo("b"));
            Assert.That(second.Trace.Candidates[2].ProviderName, Is.EqualTo("a"), "a comes last in b's turn");
        }
    }

    [Test]
    public async Task Least_cost_sends_the_request_to_the_cheaper_model_even_when_it_is_configured_second()
    {
        var time = new ManualTimeProvider();
        var dear = new ClockedProvider("dear", time);
        var cheap = new ClockedProvider("cheap", time);
        var chain = Chain(time, null, o =>
        {
            o.Targets.Clear();
            o.AddTarget("dear", "dear-model").AddTarget("cheap", "cheap-model");
            o.Strategy = RoutingStrategyKind.LeastCost;
        }, Costs(), dear, cheap);

        var result = await chain.ChatAsync(new ChatRequest("hi") { MaxOutputTokens = 100 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("cheap"));
            Assert.That(result.Model, Is.EqualTo("cheap-model"));
            Assert.That(dear.Calls, Is.Zero);
            Assert.That(result.Trace!.Candidates[1].ProviderName, Is.EqualTo("dear"));
            Assert.That(result.Trace.Candidates[1].SkipReason, Is.EqualTo(CandidateSkipReason.NotReached));
        }
    }

    [Test]
    public async Task The_request_routing_strategy_overrides_the_chains()
    {
        var time = new ManualTimeProvider();
        var dear = new ClockedProvider("dear", time);
        var cheap = new ClockedProvider("cheap", time);
        var chain = Chain(time, null, o =>
        {
            o.Targets.Clear();
            o.AddTarget("dear", "dear-model").AddTarget("cheap", "cheap-model");
        }, Costs(), dear, cheap);

        var byChain = await chain.ChatAsync(new ChatRequest("hi"));
        var byRequest = await chain.ChatAsync(new ChatRequest("hi") { RoutingStrategy = RoutingStrategyKind.LeastCost });
        var byChainAgain = await chain.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byChain.ProviderName, Is.EqualTo("dear"), "the chain's default (priority: configured order)");
            Assert.That(byRequest.ProviderName, Is.EqualTo("cheap"), "the request asked for least cost");
            Assert.That(byChainAgain.ProviderName, Is.EqualTo("dear"), "the override was for that request only");
        }
    }

    [Test]
    public async Task The_latency_strategy_learns_and_puts_the_fast_target_first_after_exploring_both()
    {
        var time = new ManualTimeProvider();
        var slow = new ClockedProvider("slow", time) { Latency = TimeSpan.FromSeconds(2) };
        var fast = new ClockedProvider("fast", time) { Latency = TimeSpan.FromMilliseconds(100) };
        var chain = Chain(time, null, o => o.Strategy = RoutingStrategyKind.Latency, slow, fast);

        var answeredBy = new List<string?>();
        for (int i = 0; i < 10; i++)
        {
            var call = chain.ChatAsync(new ChatRequest("hi") { MaxOutputTokens = 100 });
            await TimersPending(time);
            time.Advance(TimeSpan.FromSeconds(2));
            answeredBy.Add((await call).ProviderName);
        }

        using (Assert.EnterMultipleScope())
        {
            // Cold start: each target is tried first 3 times (default ExplorationSamples), in configured order; then the measured fastest.
            Assert.That(answeredBy, Is.EqualTo(new[] { "slow", "slow", "slow", "fast", "fast", "fast", "fast", "fast", "fast", "fast" }));
            Assert.That(slow.Calls, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task Prefer_local_puts_a_local_provider_first()
    {
        var time = new ManualTimeProvider();
        var cloud = new ClockedProvider("cloud", time);
        var local = new ClockedProvider("local", time, isLocal: true);
        var chain = Chain(time, null, o => o.PreferLocal = true, cloud, local);

        var result = await chain.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("local"));
            Assert.That(cloud.Calls, Is.Zero);
            Assert.That(result.Trace!.Candidates[1].ProviderName, Is.EqualTo("cloud"), "the cloud target stays as the fallback");
        }
    }

    [Test]
    public async Task Prefer_local_puts_the_local_provider_first_whatever_the_strategy_says()
    {
        var time = new ManualTimeProvider();
        var cloud = new ClockedProvider("cloud", time);
        var local = new ClockedProvider("local", time, isLocal: true);
        var chain = Chain(time, null, o => { o.PreferLocal = true; o.Strategy = RoutingStrategyKind.RoundRobin; }, cloud, local);

        var first = await chain.ChatAsync(new ChatRequest("hi"));
        var second = await chain.ChatAsync(new ChatRequest("hi"));

        Assert.That((first.ProviderName, second.ProviderName), Is.EqualTo(("local", "local")));
    }

    [Test]
    public async Task Target_priority_orders_the_chain_under_the_default_priority_strategy()
    {
        var time = new ManualTimeProvider();
        var a = new ClockedProvider("a", time);
        var b = new ClockedProvider("b", time);
        var c = new ClockedProvider("c", time);
        var chain = Chain(time, null, o =>
        {
            o.Targets[0].Priority = 3;
            o.Targets[1].Priority = 1;
            o.Targets[2].Priority = 2;
        }, a, b, c);

        var result = await chain.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("b"), "lowest priority value first");
            Assert.That(result.Trace!.Candidates.Count, Is.EqualTo(3));
            Assert.That(result.Trace.Candidates[1].ProviderName, Is.EqualTo("c"));
            Assert.That(result.Trace.Candidates[2].ProviderName, Is.EqualTo("a"));
        }
    }

    [Test]
    public async Task Target_priority_orders_the_chain_when_the_strategy_is_set_to_priority_explicitly()
    {
        var time = new ManualTimeProvider();
        var a = new ClockedProvider("a", time);
        var b = new ClockedProvider("b", time);
        var chain = Chain(time, null, o =>
        {
            o.Strategy = RoutingStrategyKind.Priority;
            o.Targets[0].Priority = 2;
            o.Targets[1].Priority = 1;
        }, a, b);

        var result = await chain.ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("b"));
    }

    [Test]
    public async Task Target_priority_orders_the_chain_when_the_request_asks_for_the_priority_strategy()
    {
        var time = new ManualTimeProvider();
        var a = new ClockedProvider("a", time);
        var b = new ClockedProvider("b", time);
        var chain = Chain(time, null, o =>
        {
            o.Strategy = RoutingStrategyKind.RoundRobin;
            o.Targets[0].Priority = 2;
            o.Targets[1].Priority = 1;
        }, a, b);

        var first = await chain.ChatAsync(new ChatRequest("hi") { RoutingStrategy = RoutingStrategyKind.Priority });
        var second = await chain.ChatAsync(new ChatRequest("hi") { RoutingStrategy = RoutingStrategyKind.Priority });

        Assert.That((first.ProviderName, second.ProviderName), Is.EqualTo(("b", "b")));
    }

    private static CostAccounting Costs() => new(new CostCalculator(Catalog), null, null);
}
