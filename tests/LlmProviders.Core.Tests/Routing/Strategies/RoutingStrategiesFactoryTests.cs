using System;
using System.Collections.Generic;
using System.Linq;
using LlmProviders.Routing;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class RoutingStrategiesFactoryTests
{
    [TestCase(RoutingStrategyKind.Priority, "priority")]
    [TestCase(RoutingStrategyKind.RoundRobin, "round_robin")]
    [TestCase(RoutingStrategyKind.WeightedRoundRobin, "weighted_round_robin")]
    [TestCase(RoutingStrategyKind.LeastCost, "least_cost")]
    [TestCase(RoutingStrategyKind.Latency, "latency")]
    [TestCase(RoutingStrategyKind.LeastBusy, "least_busy")]
    [TestCase(RoutingStrategyKind.LeastRecentlyUsed, "least_recently_used")]
    [TestCase(RoutingStrategyKind.HealthBased, "health_based")]
    [TestCase(RoutingStrategyKind.TokenLoad, "token_load")]
    [TestCase(RoutingStrategyKind.Quality, "quality")]
    [TestCase(RoutingStrategyKind.Balanced, "balanced")]
    [TestCase(RoutingStrategyKind.LocalFirst, "local_first")]
    [TestCase(RoutingStrategyKind.CapabilityMatch, "capability_match")]
    public void Create_makes_each_kind_and_its_name_parses_back(RoutingStrategyKind kind, string name)
    {
        var strategy = RoutingStrategies.Create(kind);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(strategy.Name, Is.EqualTo(name));
            Assert.That(RoutingStrategies.TryParse(name, out var parsed), Is.True);
            Assert.That(parsed, Is.EqualTo(kind));
            Assert.That(RoutingStrategies.TryParse(kind.ToString(), out var fromEnumName) && fromEnumName == kind, Is.True);
        }
    }

    [Test]
    public void Every_kind_can_be_created()
    {
        Assert.That(Enum.GetValues<RoutingStrategyKind>().Select(k => RoutingStrategies.Create(k).Name).Distinct().Count(), Is.EqualTo(13));
    }

    [TestCase("cost_optimized", RoutingStrategyKind.LeastCost)]
    [TestCase("COST-OPTIMIZED", RoutingStrategyKind.LeastCost)]
    [TestCase("LeastCost", RoutingStrategyKind.LeastCost)]
    [TestCase("least cost", RoutingStrategyKind.LeastCost)]
    [TestCase("fastest", RoutingStrategyKind.Latency)]
    [TestCase("latency_optimized", RoutingStrategyKind.Latency)]
    [TestCase("performance_based", RoutingStrategyKind.Latency)]
    [TestCase("quality_optimized", RoutingStrategyKind.Quality)]
    [TestCase(" balanced ", RoutingStrategyKind.Balanced)]
    [TestCase("least_connections", RoutingStrategyKind.LeastBusy)]
    [TestCase("lru", RoutingStrategyKind.LeastRecentlyUsed)]
    [TestCase("prefer_local", RoutingStrategyKind.LocalFirst)]
    [TestCase("wrr", RoutingStrategyKind.WeightedRoundRobin)]
    [TestCase("health", RoutingStrategyKind.HealthBased)]
    public void TryParse_accepts_configuration_and_environment_spellings(string name, RoutingStrategyKind expected)
    {
        Assert.That(RoutingStrategies.TryParse(name, out var kind) ? kind : (RoutingStrategyKind?)null, Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    [TestCase("random")]
    [TestCase("3")]
    [TestCase("a_name_that_is_much_longer_than_any_strategy_name_could_ever_be_in_configuration")]
    public void TryParse_rejects_unknown_names(string? name)
    {
        Assert.That(RoutingStrategies.TryParse(name, out _), Is.False);
    }

    [Test]
    public void Create_rejects_an_undefined_kind()
    {
        Assert.That(() => RoutingStrategies.Create((RoutingStrategyKind)99), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Stateful_strategies_are_new_instances_and_stateless_ones_shared()
    {
        using (Assert.EnterMultipleScope())
        {
            var roundRobin = RoutingStrategies.RoundRobin();
            var weighted = RoutingStrategies.WeightedRoundRobin();
            var leastCost = RoutingStrategies.LeastCost();
            Assert.That(RoutingStrategies.RoundRobin(), Is.Not.SameAs(roundRobin));
            Assert.That(RoutingStrategies.WeightedRoundRobin(), Is.Not.SameAs(weighted));
            Assert.That(RoutingStrategies.LeastCost(), Is.SameAs(leastCost));
        }
    }

    [Test]
    public void Invalid_latency_options_are_rejected_with_the_option_and_the_fix()
    {
        var options = new LatencyStrategyOptions { Alpha = 0, ExplorationSamples = -1, ExplorationRate = 1.5 };

        var failures = LatencyStrategyOptionsValidator.Instance.Validate(null, options).Failures;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Has.Exactly(1).Contains("Routing strategy 'Latency': Alpha is 0; it must be greater than 0 and at most 1"));
            Assert.That(failures, Has.Exactly(1).Contains("ExplorationSamples is -1; it must be 0 (no cold-start exploration) or more"));
            Assert.That(failures, Has.Exactly(1).Contains("ExplorationRate is 1.5; it must be between 0 (never) and 1 (every call)"));
            Assert.That(() => RoutingStrategies.Latency(options), Throws.ArgumentException.With.Message.Contains("Alpha is 0"));
            Assert.That(LatencyStrategyOptionsValidator.Instance.Validate(null, new LatencyStrategyOptions()).Succeeded, Is.True);
        }
    }

    [Test]
    public void A_custom_strategy_plugs_in_through_the_interface()
    {
        // The README's sample.
        IRoutingStrategy strategy = new TenantAffinityStrategy();
        RoutingTargetInfo[] targets = [new("a", "openai"), new("b", "openai"), new("c", "openai")];
        var tagged = new ChatRequest("hi") { Tags = new Dictionary<string, string> { ["provider"] = "c" } };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StrategyTestKit.Order(strategy, StrategyTestKit.Context(targets, tagged)), Is.EqualTo(new[] { "c", "a", "b" }));
            Assert.That(StrategyTestKit.Order(strategy, targets), Is.EqualTo(new[] { "a", "b", "c" }));
        }
    }

    // Sends a tenant's calls to the provider named in its "provider" tag first; the rest keep their order.
    private sealed class TenantAffinityStrategy : IRoutingStrategy
    {
        public string Name => "tenant_affinity";

        public void Order(in RoutingStrategyContext context, Span<int> order)
        {
            if (context.Request.Tags?.TryGetValue("provider", out var wanted) != true)
            {
                return;
            }

            for (int i = 1; i < order.Length; i++)
            {
                if (context.Targets[order[i]].ProviderName == wanted)
                {
                    int pick = order[i];
                    order[..i].CopyTo(order[1..]);
                    order[0] = pick;
                    return;
                }
            }
        }
    }
}
