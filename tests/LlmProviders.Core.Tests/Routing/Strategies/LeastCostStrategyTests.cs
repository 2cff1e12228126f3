using System.Diagnostics.Metrics;
using LlmProviders.Costs;
using LlmProviders.Routing;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class LeastCostStrategyTests
{
    // "reader": cheap input, expensive output. "writer": the opposite.
    private static readonly CostCalculator Prices = Calculator(
        Model("openai", "reader", input: 0.50m, output: 20m),
        Model("anthropic", "writer", input: 5m, output: 5m),
        Model("google", "mid", input: 2m, output: 10m));

    private static RoutingTargetInfo[] Targets() =>
        [new("writer-target", "anthropic", "writer"), new("reader-target", "openai", "reader")];

    [Test]
    public void A_cheap_input_model_wins_a_long_prompt_with_a_short_answer()
    {
        // reader: 100,000 × $0.50/M + 100 × $20/M = $0.052; writer: 100,000 × $5/M + 100 × $5/M = $0.5005.
        var context = Context(Targets(), promptTokens: 100_000, outputTokens: 100, costs: Prices);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Order(RoutingStrategies.LeastCost(), context), Is.EqualTo(new[] { "reader-target", "writer-target" }));
            Assert.That((context.EstimateCost(1), context.EstimateCost(0)), Is.EqualTo(((decimal?)0.052m, (decimal?)0.5005m)));
        }
    }

    [Test]
    public void A_cheap_input_model_loses_a_short_prompt_with_a_long_answer()
    {
        // reader: 100 × $0.50/M + 4,000 × $20/M = $0.08005; writer: 100 × $5/M + 4,000 × $5/M = $0.0205.
        var context = Context(Targets(), promptTokens: 100, outputTokens: 4000, costs: Prices);

        Assert.That(Order(RoutingStrategies.LeastCost(), context), Is.EqualTo(new[] { "writer-target", "reader-target" }));
    }

    [Test]
    public void Unknown_costs_go_last_local_targets_cost_nothing_and_ties_keep_the_configured_order()
    {
        RoutingTargetInfo[] targets =
        [
            new("mystery", "openai", "not-in-the-catalog"),
            new("mid-1", "google", "mid"),
            new("ollama", "ollama", "llama3"),
            new("mid-2", "google", "mid"),
        ];
        var context = Context(targets, promptTokens: 1000, outputTokens: 1000, costs: Prices);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Order(RoutingStrategies.LeastCost(), context), Is.EqualTo(new[] { "ollama", "mid-1", "mid-2", "mystery" }));
            Assert.That(context.EstimateCost(0), Is.Null);
            Assert.That(context.EstimateCost(2), Is.Zero);
        }
    }

    [Test]
    public void A_target_without_a_model_is_priced_at_the_request_model()
    {
        RoutingTargetInfo[] targets = [new("writer-target", "anthropic", "writer"), new("default-model", "openai")];
        var context = Context(targets, new ChatRequest("hi") { Model = "reader" }, promptTokens: 100_000, outputTokens: 100, costs: Prices);

        Assert.That(Order(RoutingStrategies.LeastCost(), context), Is.EqualTo(new[] { "default-model", "writer-target" }));
    }

    [Test]
    public void Without_a_calculator_the_catalog_entry_prices_the_target()
    {
        RoutingTargetInfo[] targets =
        [
            new("dear", "openai", "x") { CatalogEntry = Model("openai", "x", 10m, 30m) },
            new("cheap", "openai", "y") { CatalogEntry = Model("openai", "y", 1m, 2m) },
            new("unknown", "openai", "z"),
        ];

        Assert.That(Order(RoutingStrategies.LeastCost(), Context(targets)), Is.EqualTo(new[] { "cheap", "dear", "unknown" }));
    }

    [Test]
    public void The_estimate_applies_the_provider_cost_multiplier()
    {
        var costs = Calculator(1.5m, Model("openai", "reader", input: 1m, output: 1m));
        RoutingTargetInfo[] targets = [new("reader-target", "openai", "reader")];

        Assert.That(Context(targets, promptTokens: 1_000_000, outputTokens: 0, costs: costs).EstimateCost(0), Is.EqualTo(1.5m));
    }

    [Test]
    public void Estimating_an_unknown_model_does_not_count_as_an_unknown_cost_call()
    {
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "llmproviders.cost.unknown_model")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => counted += value);
        listener.Start();
        RoutingTargetInfo[] targets = [new("mystery", "openai", "estimate-only-model"), new("reader-target", "openai", "reader")];

        var order = Order(RoutingStrategies.LeastCost(), Context(targets, costs: Prices));

        Assert.That((order[0], counted), Is.EqualTo(("reader-target", 0L)));
    }

    [TestCase(100_000, 2_000)]
    [TestCase(300_000, 2_000)]
    [TestCase(0, 0)]
    public void The_estimate_matches_the_cost_calculator_including_price_tiers(long promptTokens, int outputTokens)
    {
        var tiered = Model("google", "pro", input: 1.25m, output: 10m);
        tiered.Price!.Tiers.Add(new ModelPriceTier { AbovePromptTokens = 200_000, Input = 2.50m, Output = 15m });
        var costs = Calculator(tiered);
        RoutingTargetInfo[] targets = [new("gemini", "google", "pro")];

        var estimate = Context(targets, promptTokens: promptTokens, outputTokens: outputTokens, costs: costs).EstimateCost(0);

        Assert.That(estimate, Is.EqualTo(costs.EstimateCost("gemini", "google", "pro", promptTokens, outputTokens)));
    }
}
