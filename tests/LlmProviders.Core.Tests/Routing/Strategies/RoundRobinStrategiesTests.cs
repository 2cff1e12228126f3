using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class RoundRobinStrategiesTests
{
    [Test]
    public void Round_robin_rotates_the_first_target_and_the_rest_follow_in_ring_order()
    {
        var strategy = RoutingStrategies.RoundRobin();
        var targets = new[] { Target("a"), Target("b"), Target("c") };

        var calls = Enumerable.Range(0, 4).Select(_ => string.Join(",", Order(strategy, targets))).ToArray();

        Assert.That(calls, Is.EqualTo(new[] { "a,b,c", "b,c,a", "c,a,b", "a,b,c" }));
    }

    [Test]
    public void Round_robin_rotates_each_route_on_its_own()
    {
        var strategy = RoutingStrategies.RoundRobin();
        var first = new[] { Target("a"), Target("b") };
        var second = new[] { Target("x"), Target("y") };

        // Alternating calls of two routes sharing the strategy: each route still alternates.
        var picks = new[]
        {
            Order(strategy, first)[0], Order(strategy, second)[0], Order(strategy, first)[0], Order(strategy, second)[0],
        };

        Assert.That(picks, Is.EqualTo(new[] { "a", "x", "b", "y" }));
    }

    [Test]
    public void Round_robin_shares_out_concurrent_calls_exactly()
    {
        var strategy = RoutingStrategies.RoundRobin();
        var targets = new[] { Target("a"), Target("b"), Target("c") };

        var firsts = new string[3000];
        Parallel.For(0, firsts.Length, i => firsts[i] = Order(strategy, targets)[0]);

        var counts = firsts.GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(counts, Is.EqualTo(new Dictionary<string, int> { ["a"] = 1000, ["b"] = 1000, ["c"] = 1000 }));
    }

    [Test]
    public void Smooth_weighted_round_robin_5_1_1_gives_the_nginx_sequence()
    {
        var strategy = RoutingStrategies.WeightedRoundRobin();
        RoutingTargetInfo[] targets = [new("a", "openai") { Weight = 5 }, new("b", "openai") { Weight = 1 }, new("c", "openai") { Weight = 1 }];

        var firsts = Enumerable.Range(0, 14).Select(_ => First(strategy, Context(targets))).ToArray();

        Assert.That(firsts, Is.EqualTo(new[] { "a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a" }));
    }

    [Test]
    public void Weighted_round_robin_keeps_the_other_targets_in_their_order_behind_the_pick()
    {
        var strategy = RoutingStrategies.WeightedRoundRobin();
        RoutingTargetInfo[] targets = [new("a", "openai") { Weight = 1 }, new("b", "openai") { Weight = 1 }, new("c", "openai") { Weight = 1 }];

        var calls = Enumerable.Range(0, 3).Select(_ => string.Join(",", Order(strategy, targets))).ToArray();

        Assert.That(calls, Is.EqualTo(new[] { "a,b,c", "b,a,c", "c,a,b" }));
    }

    [Test]
    public void Weighted_round_robin_honours_fractional_weights_as_proportions()
    {
        var strategy = RoutingStrategies.WeightedRoundRobin();
        RoutingTargetInfo[] targets = [new("openai", "openai") { Weight = 0.5 }, new("anthropic", "anthropic") { Weight = 0.3 }, new("ollama", "ollama") { Weight = 0.2 }];

        var counts = Enumerable.Range(0, 10).Select(_ => First(strategy, Context(targets))).GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());

        Assert.That(counts, Is.EqualTo(new Dictionary<string, int> { ["openai"] = 5, ["anthropic"] = 3, ["ollama"] = 2 }));
    }

    [Test]
    public void Weighted_round_robin_is_exact_under_concurrency()
    {
        var strategy = RoutingStrategies.WeightedRoundRobin();
        RoutingTargetInfo[] targets = [new("a", "openai") { Weight = 5 }, new("b", "openai") { Weight = 1 }, new("c", "openai") { Weight = 1 }];

        var firsts = new string[7000];
        Parallel.For(0, firsts.Length, i => firsts[i] = First(strategy, Context(targets)));

        var counts = firsts.GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(counts, Is.EqualTo(new Dictionary<string, int> { ["a"] = 5000, ["b"] = 1000, ["c"] = 1000 }));
    }

    [Test]
    public void Weighted_round_robin_keeps_a_cycle_per_target_list()
    {
        var strategy = RoutingStrategies.WeightedRoundRobin();
        RoutingTargetInfo[] first = [new("a", "openai") { Weight = 2 }, new("b", "openai") { Weight = 1 }];
        RoutingTargetInfo[] second = [new("x", "openai") { Weight = 1 }, new("y", "openai") { Weight = 1 }];

        var picks = new[]
        {
            First(strategy, Context(first)), First(strategy, Context(second)), First(strategy, Context(first)),
            First(strategy, Context(second)), First(strategy, Context(first)),
        };

        Assert.That(picks, Is.EqualTo(new[] { "a", "x", "b", "y", "a" }));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void A_weight_that_is_not_positive_and_finite_is_rejected(double weight)
    {
        Assert.That(() => new RoutingTargetInfo("a", "openai") { Weight = weight }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Weight must be greater than 0"));
    }

    [Test]
    public void Integer_weights_keep_the_proportions_of_fractional_and_huge_weights()
    {
        RoutingTargetInfo[] fractional = [new("a", "openai") { Weight = 0.25 }, new("b", "openai") { Weight = 0.75 }];
        RoutingTargetInfo[] huge = [new("a", "openai") { Weight = 1_000_000 }, new("b", "openai") { Weight = 3_000_000 }];
        RoutingTargetInfo[] skewed = [new("a", "openai") { Weight = 1e9 }, new("b", "openai") { Weight = 1 }];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(WeightedRoundRobinStrategy.IntegerWeights(fractional), Is.EqualTo(new[] { 1, 3 }));
            Assert.That(WeightedRoundRobinStrategy.IntegerWeights(huge), Is.EqualTo(new[] { 1, 3 }));
            var w = WeightedRoundRobinStrategy.IntegerWeights(skewed);
            Assert.That(w[0] + w[1], Is.LessThanOrEqualTo(WeightedRoundRobinStrategy.MaxCycle + 1), "a bounded cycle");
            Assert.That(w[1], Is.EqualTo(1), "every target keeps a turn");
        }
    }
}
