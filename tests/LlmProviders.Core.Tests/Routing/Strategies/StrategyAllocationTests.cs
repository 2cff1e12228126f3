using System;
using LlmProviders.Costs;
using LlmProviders.Routing;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

/// <summary>The strategies run on every call (SPEC P3): ordering allocates nothing.</summary>
[TestFixture]
public sealed class StrategyAllocationTests
{
    [TestCase(RoutingStrategyKind.Priority, 5)]
    [TestCase(RoutingStrategyKind.RoundRobin, 5)]
    [TestCase(RoutingStrategyKind.WeightedRoundRobin, 5)]
    [TestCase(RoutingStrategyKind.LeastCost, 5)]
    [TestCase(RoutingStrategyKind.Latency, 5)]
    [TestCase(RoutingStrategyKind.LeastBusy, 5)]
    [TestCase(RoutingStrategyKind.LeastRecentlyUsed, 5)]
    [TestCase(RoutingStrategyKind.HealthBased, 5)]
    [TestCase(RoutingStrategyKind.TokenLoad, 5)]
    [TestCase(RoutingStrategyKind.Quality, 5)]
    [TestCase(RoutingStrategyKind.Balanced, 5)]
    [TestCase(RoutingStrategyKind.LocalFirst, 5)]
    [TestCase(RoutingStrategyKind.CapabilityMatch, 5)]
    [TestCase(RoutingStrategyKind.Balanced, 100)]
    [TestCase(RoutingStrategyKind.LeastCost, 100)]
    public void Ordering_allocates_nothing(RoutingStrategyKind kind, int targetCount)
    {
        var strategy = RoutingStrategies.Create(kind);
        var targets = new RoutingTargetInfo[targetCount];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = new RoutingTargetInfo("t" + i, i % 3 == 0 ? "ollama" : "openai", "m" + (i % 2))
            {
                Weight = 1 + (i % 4),
                Priority = i % 3,
                TokensPerMinuteQuota = i % 2 == 0 ? 10_000 : null,
                Capabilities = LlmCapabilities.Chat | (i % 2 == 0 ? LlmCapabilities.Tools : LlmCapabilities.None),
                CatalogEntry = new ModelCatalogEntry { QualityScore = i, TypicalLatency = TimeSpan.FromMilliseconds(100 * i) },
            };
            Succeed(targets[i], TimeSpan.FromMilliseconds(10 * i), TimeSpan.FromSeconds(1), totalTokens: 100 * i);
        }

        var costs = Calculator(Model("openai", "m0", 1m, 2m), Model("openai", "m1", 3m, 1m));
        var context = Context(targets, new ChatRequest("hello"), promptTokens: 500, outputTokens: 200, costs: costs);
        Span<int> order = stackalloc int[targetCount];
        for (int warm = 0; warm < 10; warm++)
        {
            Run(strategy, in context, order);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 100; call++)
        {
            Run(strategy, in context, order);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
    }

    private static void Run(IRoutingStrategy strategy, in RoutingStrategyContext context, Span<int> order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        strategy.Order(in context, order);
    }
}
