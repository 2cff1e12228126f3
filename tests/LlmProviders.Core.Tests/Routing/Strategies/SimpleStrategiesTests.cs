using System;
using System.Collections.Generic;
using LlmProviders.Costs;
using LlmProviders.Routing;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class SimpleStrategiesTests
{
    [Test]
    public void Priority_orders_by_priority_and_keeps_the_configured_order_on_ties()
    {
        RoutingTargetInfo[] targets =
        [
            new("a", "openai") { Priority = 2 },
            new("b", "openai") { Priority = 1 },
            new("c", "openai") { Priority = 2 },
            new("d", "openai") { Priority = 1 },
            new("e", "openai") { Priority = 0 },
        ];

        Assert.That(Order(RoutingStrategies.Priority(), targets), Is.EqualTo(new[] { "e", "b", "d", "a", "c" }));
    }

    [Test]
    public void Priority_with_equal_priorities_keeps_the_configured_order()
    {
        var targets = new[] { Target("a"), Target("b"), Target("c") };

        Assert.That(Order(RoutingStrategies.Priority(), targets), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void More_than_64_targets_are_ordered_stably_too()
    {
        var targets = new List<RoutingTargetInfo>();
        var expected = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            targets.Add(new RoutingTargetInfo("t" + i, "openai") { Priority = i % 2 == 0 ? 1 : 0 });
        }

        for (int i = 1; i < 100; i += 2)
        {
            expected.Add("t" + i);
        }

        for (int i = 0; i < 100; i += 2)
        {
            expected.Add("t" + i);
        }

        Assert.That(Order(RoutingStrategies.Priority(), targets), Is.EqualTo(expected));
    }

    [Test]
    public void Least_recently_used_puts_never_used_targets_first_then_the_oldest_use()
    {
        var a = Target("a");
        var b = Target("b");
        var c = Target("c");
        var d = Target("d");
        a.OnAttemptStarted(Start.AddMinutes(3));
        b.OnAttemptStarted(Start.AddMinutes(1));
        d.OnAttemptStarted(Start.AddMinutes(2));

        Assert.That(Order(RoutingStrategies.LeastRecentlyUsed(), new[] { a, b, c, d }), Is.EqualTo(new[] { "c", "b", "d", "a" }));
    }

    [Test]
    public void Least_recently_used_remembers_the_latest_start_even_when_starts_arrive_out_of_order()
    {
        var a = Target("a");
        a.OnAttemptStarted(Start.AddMinutes(5));
        a.OnAttemptStarted(Start.AddMinutes(1));

        Assert.That(a.LastUsed, Is.EqualTo(Start.AddMinutes(5)));
    }

    [Test]
    public void Health_based_puts_open_circuits_last_then_orders_by_health()
    {
        var open = Target("open");
        open.SetAvailable(false);
        var flaky = Target("flaky");
        Succeed(flaky, null, TimeSpan.FromSeconds(1));
        Fail(flaky);
        var healthy = Target("healthy");
        Succeed(healthy, null, TimeSpan.FromSeconds(1));
        var degraded = Target("degraded");
        degraded.SetHealthScore(0.5);

        var order = Order(RoutingStrategies.HealthBased(), new[] { open, flaky, degraded, healthy });

        Assert.That(order, Is.EqualTo(new[] { "healthy", "flaky", "degraded", "open" }));
    }

    [Test]
    public void Health_based_breaks_ties_on_consecutive_failures()
    {
        var twice = Target("twice");
        twice.SetHealthScore(0.2);
        Fail(twice);
        Fail(twice);
        var once = Target("once");
        once.SetHealthScore(0.2);
        Fail(once);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((twice.HealthScore, once.HealthScore), Is.EqualTo((0.2, 0.2)), "the monitor's lower score caps the success rate");
            Assert.That(Order(RoutingStrategies.HealthBased(), new[] { twice, once }), Is.EqualTo(new[] { "once", "twice" }));
        }
    }

    [Test]
    public void Quality_orders_by_the_catalog_score_with_unknown_last()
    {
        RoutingTargetInfo[] targets =
        [
            new("unknown", "openai"),
            new("good", "openai") { CatalogEntry = new ModelCatalogEntry { QualityScore = 80 } },
            new("best", "openai") { CatalogEntry = new ModelCatalogEntry { QualityScore = 95 } },
            new("fair", "openai") { CatalogEntry = new ModelCatalogEntry { QualityScore = 60 } },
        ];

        Assert.That(Order(RoutingStrategies.Quality(), targets), Is.EqualTo(new[] { "best", "good", "fair", "unknown" }));
    }

    [Test]
    public void Local_first_moves_local_targets_ahead_and_keeps_the_rest_in_order()
    {
        RoutingTargetInfo[] targets =
        [
            new("openai", "openai"),
            new("ollama", "ollama"),
            new("anthropic", "anthropic"),
            new("gpu-box", "openai-compatible") { IsLocal = true },
        ];

        Assert.That(Order(RoutingStrategies.LocalFirst(), targets), Is.EqualTo(new[] { "ollama", "gpu-box", "openai", "anthropic" }));
    }

    [Test]
    public void A_strategy_keeps_the_order_of_a_previous_strategy_on_ties()
    {
        // Ties keep the incoming order, so strategies compose: quality first, then local-first on top.
        RoutingTargetInfo[] targets =
        [
            new("cloud-fair", "openai") { CatalogEntry = new ModelCatalogEntry { QualityScore = 60 } },
            new("local-fair", "ollama") { CatalogEntry = new ModelCatalogEntry { QualityScore = 50 } },
            new("cloud-best", "openai") { CatalogEntry = new ModelCatalogEntry { QualityScore = 90 } },
            new("local-best", "ollama") { CatalogEntry = new ModelCatalogEntry { QualityScore = 70 } },
        ];
        var context = Context(targets);
        Span<int> order = [0, 1, 2, 3];

        RoutingStrategies.Quality().Order(in context, order);
        RoutingStrategies.LocalFirst().Order(in context, order);

        Assert.That(order.ToArray(), Is.EqualTo(new[] { 3, 1, 2, 0 }));
    }

    [Test]
    public void One_or_no_candidate_is_left_alone()
    {
        var context = Context(new[] { Target("a") });
        Span<int> one = [0];

        foreach (RoutingStrategyKind kind in Enum.GetValues<RoutingStrategyKind>())
        {
            RoutingStrategies.Create(kind).Order(in context, one);
            RoutingStrategies.Create(kind).Order(in context, Span<int>.Empty);
        }

        Assert.That(one[0], Is.Zero);
    }
}
