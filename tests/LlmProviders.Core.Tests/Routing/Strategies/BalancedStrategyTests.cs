using System;
using LlmProviders.Costs;
using LlmProviders.Routing;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class BalancedStrategyTests
{
    // For 1,000 tokens in and 1,000 out: cost A $0.002, B $0.02, C $0.01; quality A 50, B 90, C 70; latency A 1 s, B 2 s, C unknown.
    private static RoutingTargetInfo[] Targets() =>
    [
        new("A", "openai", "a") { CatalogEntry = Entry("a", 1m, quality: 50, latency: 1) },
        new("B", "openai", "b") { CatalogEntry = Entry("b", 10m, quality: 90, latency: 2) },
        new("C", "openai", "c") { CatalogEntry = Entry("c", 5m, quality: 70, latency: null) },
    ];

    [Test]
    public void Default_weights_combine_cost_quality_and_latency()
    {
        // Normalized badness (cost, quality, latency) × (0.4, 0.4, 0.2): A (0, 1, 0) = 0.4; C (0.44, 0.5, unknown = 1) ≈ 0.58; B (1, 0, 1) = 0.6.
        Assert.That(Order(RoutingStrategies.Balanced(), Context(Targets(), promptTokens: 1000, outputTokens: 1000)), Is.EqualTo(new[] { "A", "C", "B" }));
    }

    [TestCase(1.0, 0.0, 0.0, new[] { "A", "C", "B" })]
    [TestCase(0.0, 1.0, 0.0, new[] { "B", "C", "A" })]
    [TestCase(0.0, 0.0, 1.0, new[] { "A", "B", "C" })]
    [TestCase(0.1, 0.8, 0.1, new[] { "B", "C", "A" })]
    public void Changing_the_weights_changes_the_order(double cost, double quality, double latency, string[] expected)
    {
        var strategy = RoutingStrategies.Balanced(new BalancedStrategyOptions { CostWeight = cost, QualityWeight = quality, LatencyWeight = latency });

        Assert.That(Order(strategy, Context(Targets(), promptTokens: 1000, outputTokens: 1000)), Is.EqualTo(expected));
    }

    [Test]
    public void A_target_with_nothing_known_scores_worst()
    {
        RoutingTargetInfo[] targets = [new("mystery", "openai", "unknown"), .. Targets()];

        Assert.That(Order(RoutingStrategies.Balanced(), Context(targets, promptTokens: 1000, outputTokens: 1000)), Is.EqualTo(new[] { "A", "C", "B", "mystery" }));
    }

    [Test]
    public void Measured_latency_replaces_the_catalog_figure()
    {
        var targets = Targets();

        // A turns out slow (5 s to the first token), C fast: latency alone now puts C first.
        Succeed(targets[0], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6), outputTokens: 1000);
        Succeed(targets[2], TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(1.1), outputTokens: 1000);
        var strategy = RoutingStrategies.Balanced(new BalancedStrategyOptions { CostWeight = 0, QualityWeight = 0, LatencyWeight = 1 });

        Assert.That(Order(strategy, Context(targets, promptTokens: 1000, outputTokens: 1000)), Is.EqualTo(new[] { "C", "B", "A" }));
    }

    [Test]
    public void Equal_candidates_keep_the_configured_order()
    {
        RoutingTargetInfo[] targets = [new("x", "openai", "a") { CatalogEntry = Entry("a", 1m, 50, 1) }, new("y", "openai", "a") { CatalogEntry = Entry("a", 1m, 50, 1) }];

        Assert.That(Order(RoutingStrategies.Balanced(), Context(targets)), Is.EqualTo(new[] { "x", "y" }));
    }

    [Test]
    public void Invalid_weights_are_rejected_with_the_option_and_the_fix()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => RoutingStrategies.Balanced(new BalancedStrategyOptions { CostWeight = -1 }),
                Throws.ArgumentException.With.Message.Contains("CostWeight is -1; weights must be 0 or more"));
            Assert.That(() => RoutingStrategies.Balanced(new BalancedStrategyOptions { CostWeight = 0, QualityWeight = 0, LatencyWeight = 0 }),
                Throws.ArgumentException.With.Message.Contains("are all 0; give at least one a positive weight"));
            Assert.That(BalancedStrategyOptionsValidator.Instance.Validate("LlmProviders:Routing:Balanced", new BalancedStrategyOptions { QualityWeight = double.NaN }).FailureMessage,
                Does.Contain("Routing strategy 'Balanced' ('LlmProviders:Routing:Balanced'): QualityWeight is NaN"));
            Assert.That(BalancedStrategyOptionsValidator.Instance.Validate(null, new BalancedStrategyOptions()).Succeeded, Is.True);
        }
    }

    private static ModelCatalogEntry Entry(string id, decimal price, double quality, double? latency) => new()
    {
        Provider = "openai",
        Id = id,
        Price = new ModelPrice { Input = price, Output = price },
        QualityScore = quality,
        TypicalLatency = latency is { } s ? TimeSpan.FromSeconds(s) : null,
    };
}
