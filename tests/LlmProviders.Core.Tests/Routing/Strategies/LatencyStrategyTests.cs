using System;
using System.Linq;
using LlmProviders.Costs;
using LlmProviders.Routing;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class LatencyStrategyTests
{
    private static readonly LatencyStrategyOptions NoExploration = new() { ExplorationSamples = 0 };

    [Test]
    public void Orders_by_time_to_first_token_plus_expected_output_over_speed()
    {
        // quick-start: 0.2 s to first token, 20 tokens/s. slow-start: 1 s to first token, 200 tokens/s.
        var quickStart = Target("quick-start");
        Succeed(quickStart, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(5.2), outputTokens: 100);
        var slowStart = Target("slow-start");
        Succeed(slowStart, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), outputTokens: 100);
        var strategy = RoutingStrategies.Latency(NoExploration);
        RoutingTargetInfo[] targets = [slowStart, quickStart];

        using (Assert.EnterMultipleScope())
        {
            // 10 tokens: 0.2 + 0.5 = 0.7 s against 1 + 0.05 = 1.05 s.
            Assert.That(First(strategy, Context(targets, outputTokens: 10)), Is.EqualTo("quick-start"));

            // 1,000 tokens: 0.2 + 50 = 50.2 s against 1 + 5 = 6 s.
            Assert.That(First(strategy, Context(targets, outputTokens: 1000)), Is.EqualTo("slow-start"));
        }
    }

    [Test]
    public void A_call_that_did_not_stream_measures_its_speed_over_the_whole_call()
    {
        var target = Target("a");

        Succeed(target, timeToFirstToken: null, TimeSpan.FromSeconds(2), outputTokens: 100);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(target.TimeToFirstTokenEwma, Is.Null);
            Assert.That(target.TokensPerSecondEwma, Is.EqualTo(50));
            Assert.That(target.LatencySamples, Is.EqualTo(1));
        }
    }

    [Test]
    public void The_moving_average_weighs_the_newest_sample_by_alpha()
    {
        var target = new RoutingTargetInfo("a", "openai") { EwmaAlpha = 0.5 };

        Succeed(target, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Succeed(target, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));

        Assert.That(target.TimeToFirstTokenEwma, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void A_new_target_is_explored_exactly_N_times_then_ordered_by_its_measured_speed()
    {
        var strategy = RoutingStrategies.Latency(new LatencyStrategyOptions { ExplorationSamples = 3 });
        var fast = Target("fast");
        for (int i = 0; i < 3; i++)
        {
            Succeed(fast, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(1));
        }

        var newcomer = Target("newcomer");
        RoutingTargetInfo[] targets = [fast, newcomer];

        var firsts = new string[6];
        for (int call = 0; call < firsts.Length; call++)
        {
            firsts[call] = First(strategy, Context(targets));
            if (firsts[call] == "newcomer")
            {
                Succeed(newcomer, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
            }
        }

        Assert.That(firsts, Is.EqualTo(new[] { "newcomer", "newcomer", "newcomer", "fast", "fast", "fast" }));
    }

    [Test]
    public void A_fast_new_target_keeps_the_lead_after_exploration()
    {
        var strategy = RoutingStrategies.Latency(new LatencyStrategyOptions { ExplorationSamples = 2 });
        var known = Target("known");
        Succeed(known, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Succeed(known, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        var newcomer = Target("newcomer");
        RoutingTargetInfo[] targets = [known, newcomer];

        var firsts = Enumerable.Range(0, 4).Select(_ =>
        {
            string first = First(strategy, Context(targets));
            Succeed(Array.Find(targets, t => t.ProviderName == first)!, TimeSpan.FromSeconds(first == "known" ? 1 : 0.1), TimeSpan.FromSeconds(first == "known" ? 3 : 0.5));
            return first;
        }).ToArray();

        Assert.That(firsts, Is.EqualTo(new[] { "newcomer", "newcomer", "newcomer", "newcomer" }));
    }

    [Test]
    public void Exploration_picks_are_bounded_even_when_no_measurement_comes_back()
    {
        var strategy = RoutingStrategies.Latency(new LatencyStrategyOptions { ExplorationSamples = 3 });
        var known = Target("known");
        for (int i = 0; i < 3; i++)
        {
            Succeed(known, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        }

        var silent = Target("silent");
        RoutingTargetInfo[] targets = [known, silent];

        // The explored attempts are still in flight (or failed): no measurement arrives.
        var firsts = Enumerable.Range(0, 5).Select(_ => First(strategy, Context(targets))).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firsts, Is.EqualTo(new[] { "silent", "silent", "silent", "known", "known" }),
                "silent gets its 3 picks; still unmeasured, it then goes after the targets of known latency");
            Assert.That(silent.ExplorationPicks, Is.EqualTo(3));
        }
    }

    [Test]
    public void Catalog_figures_stand_in_until_a_target_is_measured_and_unknown_targets_go_last()
    {
        var strategy = RoutingStrategies.Latency(NoExploration);
        RoutingTargetInfo[] targets =
        [
            new("unknown", "openai"),
            new("typical-slow", "openai") { CatalogEntry = new ModelCatalogEntry { TypicalLatency = TimeSpan.FromSeconds(4), TypicalTokensPerSecond = 50 } },
            new("typical-fast", "openai") { CatalogEntry = new ModelCatalogEntry { TypicalLatency = TimeSpan.FromSeconds(0.5), TypicalTokensPerSecond = 100 } },
        ];

        Assert.That(Order(strategy, Context(targets)), Is.EqualTo(new[] { "typical-fast", "typical-slow", "unknown" }));
    }

    [Test]
    public void Exploration_rate_puts_a_random_other_candidate_first_on_that_share_of_calls()
    {
        var random = new ScriptedRandom(doubles: [0.01, 0.5], ints: [1]);
        var strategy = RoutingStrategies.Latency(new LatencyStrategyOptions { ExplorationSamples = 0, ExplorationRate = 0.05, Random = random });
        var targets = new[] { "a", "b", "c" }.Select((name, i) =>
        {
            var t = Target(name);
            Succeed(t, TimeSpan.FromSeconds(i + 1), TimeSpan.FromSeconds(i + 2));
            return t;
        }).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Order(strategy, Context(targets)), Is.EqualTo(new[] { "c", "a", "b" }), "0.01 < 5 %: Next(2) = 1 picks the second of the others, c");
            Assert.That(Order(strategy, Context(targets)), Is.EqualTo(new[] { "a", "b", "c" }), "0.5 ≥ 5 %: by latency");
            Assert.That(random.MaxValues, Is.EqualTo(new[] { 2 }), "one of the 2 other candidates");
        }
    }

    [Test]
    public void The_router_gives_targets_the_latency_strategy_alpha()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RoutingStrategies.GetEwmaAlpha(RoutingStrategies.Latency(new LatencyStrategyOptions { Alpha = 0.6 })), Is.EqualTo(0.6));
            Assert.That(RoutingStrategies.GetEwmaAlpha(RoutingStrategies.Priority()), Is.EqualTo(0.3));
        }
    }

    /// <summary>A <see cref="Random"/> that returns scripted values, so exploration is deterministic.</summary>
    private sealed class ScriptedRandom(double[] doubles, int[] ints) : Random
    {
        private int _double;
        private int _int;

        public System.Collections.Generic.List<int> MaxValues { get; } = [];

        public override double NextDouble() => doubles[_double++];

        public override int Next(int maxValue)
        {
            MaxValues.Add(maxValue);
            return ints[_int++];
        }
    }
}
