using System;
using System.Collections.Generic;
using LlmProviders.Costs;
using LlmProviders.Routing;

namespace LlmProviders.Tests.Routing.Strategies;

/// <summary>Builds strategy contexts over in-test targets and reads the order a strategy gives as target names.</summary>
internal static class StrategyTestKit
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static RoutingTargetInfo Target(string name, string kind = "openai", string? model = null) => new(name, kind, model);

    public static RoutingStrategyContext Context(
        IReadOnlyList<RoutingTargetInfo> targets,
        ChatRequest? request = null,
        long promptTokens = 100,
        int outputTokens = 100,
        CostCalculator? costs = null,
        DateTimeOffset? now = null) =>
        new(request ?? new ChatRequest("hi"), targets, promptTokens, outputTokens, costs, now ?? Start);

    /// <summary>Runs the strategy from the configured order and returns the targets' names, best first.</summary>
    public static string[] Order(IRoutingStrategy strategy, in RoutingStrategyContext context)
    {
        Span<int> order = stackalloc int[context.Targets.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        strategy.Order(in context, order);
        var names = new string[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            names[i] = context.Targets[order[i]].ProviderName;
        }

        return names;
    }

    public static string[] Order(IRoutingStrategy strategy, IReadOnlyList<RoutingTargetInfo> targets) => Order(strategy, Context(targets));

    public static string First(IRoutingStrategy strategy, in RoutingStrategyContext context) => Order(strategy, in context)[0];

    /// <summary>Records a successful attempt with a given time to first token, duration and output.</summary>
    public static void Succeed(RoutingTargetInfo target, TimeSpan? timeToFirstToken, TimeSpan duration, long outputTokens = 100, long totalTokens = 0, DateTimeOffset? at = null)
    {
        var now = at ?? Start;
        target.OnAttemptStarted(now);
        target.OnAttemptCompleted(now + duration, success: true, timeToFirstToken, duration, outputTokens, totalTokens);
    }

    public static void Fail(RoutingTargetInfo target, DateTimeOffset? at = null)
    {
        var now = at ?? Start;
        target.OnAttemptStarted(now);
        target.OnAttemptCompleted(now, success: false, null, TimeSpan.FromMilliseconds(10), 0, 0);
    }

    /// <summary>A calculator over a small catalog; models are found by provider kind and id.</summary>
    public static CostCalculator Calculator(params ModelCatalogEntry[] entries) => new(new TestCatalog(entries, 1m));

    /// <summary>A calculator whose catalog applies <paramref name="multiplier"/> to every provider.</summary>
    public static CostCalculator Calculator(decimal multiplier, params ModelCatalogEntry[] entries) => new(new TestCatalog(entries, multiplier));

    public static ModelCatalogEntry Model(string provider, string id, decimal input, decimal output) =>
        new() { Provider = provider, Id = id, Price = new ModelPrice { Input = input, Output = output } };

    private sealed class TestCatalog(ModelCatalogEntry[] entries, decimal multiplier) : IModelCatalog
    {
        public ModelCatalogEntry? Find(string provider, string model)
        {
            foreach (var entry in entries)
            {
                if (string.Equals(entry.Provider, provider, StringComparison.OrdinalIgnoreCase) && string.Equals(entry.Id, model, StringComparison.Ordinal))
                {
                    return entry;
                }
            }

            return null;
        }

        public IReadOnlyList<ModelCatalogEntry> List(string? provider = null) => entries;

        public decimal GetCostMultiplier(string providerName, string providerKind) => multiplier;
    }
}
