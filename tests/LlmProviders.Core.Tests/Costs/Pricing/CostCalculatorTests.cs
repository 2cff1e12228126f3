using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using LlmProviders.Costs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Tests.Costs.Pricing;

[TestFixture]
public sealed class CostCalculatorTests
{
    private static readonly ModelPrice Gpt4o = new() { Input = 2.50m, Output = 10m, CachedInput = 1.25m };
    private static readonly ModelPrice Sonnet = new() { Input = 3m, Output = 15m, CachedInput = 0.30m, CacheWrite = 3.75m, Tiers = { new ModelPriceTier { AbovePromptTokens = 200_000, Input = 6m, Output = 22.50m } } };
    private static readonly ModelPrice GeminiPro = new() { Input = 1.25m, Output = 10m, CachedInput = 0.125m, Tiers = { new ModelPriceTier { AbovePromptTokens = 200_000, Input = 2.50m, Output = 15m } } };

    [Test]
    public void OpenAI_usage_cached_tokens_at_the_cached_price_and_reasoning_not_charged_twice()
    {
        // 1,000 input of which 800 cached; 500 output of which 200 reasoning.
        var usage = new UsageDetails { InputTokenCount = 1000, CachedInputTokenCount = 800, OutputTokenCount = 500, ReasoningTokenCount = 200 };

        var cost = CostCalculator.Calculate(Gpt4o, usage);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cost.Input, Is.EqualTo(0.0005m), "200 uncached × $2.50/M");
            Assert.That(cost.CachedInput, Is.EqualTo(0.001m), "800 cached × $1.25/M");
            Assert.That(cost.Output, Is.EqualTo(0.003m), "300 visible output × $10/M");
            Assert.That(cost.Reasoning, Is.EqualTo(0.002m), "200 reasoning × $10/M");
            Assert.That(cost.Total, Is.EqualTo(0.0065m));
        }
    }

    [Test]
    public void Anthropic_usage_cache_reads_and_writes_each_at_their_price()
    {
        // Input = 100 uncached + 2,000 cache reads + 1,000 cache writes (UsageDetails' convention), 400 output.
        var usage = new UsageDetails
        {
            InputTokenCount = 3100,
            CachedInputTokenCount = 2000,
            OutputTokenCount = 400,
            AdditionalCounts = new() { [UsageCounts.CacheWriteInputTokens] = 1000 },
        };

        var cost = CostCalculator.Calculate(Sonnet, usage);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cost.Input, Is.EqualTo(0.0003m));
            Assert.That(cost.CachedInput, Is.EqualTo(0.0006m));
            Assert.That(cost.CacheWrite, Is.EqualTo(0.00375m));
            Assert.That(cost.Output, Is.EqualTo(0.006m));
            Assert.That(cost.Total, Is.EqualTo(0.01065m));
        }
    }

    [Test]
    public void Gemini_usage_above_the_tier_prices_the_whole_call_at_the_tier()
    {
        // 250,000 prompt tokens (50,000 cached) is above 200K: input $2.50, output $15, cached scaled like input (×2 → $0.25).
        var usage = new UsageDetails { InputTokenCount = 250_000, CachedInputTokenCount = 50_000, OutputTokenCount = 1000, ReasoningTokenCount = 600 };

        var cost = CostCalculator.Calculate(GeminiPro, usage);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cost.Input, Is.EqualTo(0.5m));
            Assert.That(cost.CachedInput, Is.EqualTo(0.0125m));
            Assert.That(cost.Output, Is.EqualTo(0.006m));
            Assert.That(cost.Reasoning, Is.EqualTo(0.009m));
        }
    }

    [Test]
    public void A_prompt_at_the_tier_boundary_uses_the_base_price()
    {
        var usage = new UsageDetails { InputTokenCount = 200_000, OutputTokenCount = 0 };

        Assert.That(CostCalculator.Calculate(GeminiPro, usage).Total, Is.EqualTo(0.25m));
    }

    [Test]
    public void Reasoning_priced_apart_uses_its_own_price()
    {
        var price = new ModelPrice { Input = 1m, Output = 10m, Reasoning = 20m };
        var usage = new UsageDetails { InputTokenCount = 0, OutputTokenCount = 500, ReasoningTokenCount = 200 };

        var cost = CostCalculator.Calculate(price, usage);

        Assert.That(cost.Output + cost.Reasoning, Is.EqualTo(0.007m), "300 × $10/M + 200 × $20/M");
    }

    [Test]
    public void Without_a_cached_price_cached_tokens_cost_the_input_price()
    {
        var price = new ModelPrice { Input = 2m, Output = 4m };
        var usage = new UsageDetails { InputTokenCount = 1000, CachedInputTokenCount = 1000, OutputTokenCount = 0 };

        Assert.That(CostCalculator.Calculate(price, usage).Total, Is.EqualTo(0.002m));
    }

    [Test]
    public void Inconsistent_counts_never_charge_a_token_twice()
    {
        // A provider reporting more cached tokens than input tokens: cached are clamped to the input.
        var usage = new UsageDetails { InputTokenCount = 100, CachedInputTokenCount = 150, OutputTokenCount = 10, ReasoningTokenCount = 40 };

        var cost = CostCalculator.Calculate(Gpt4o, usage);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cost.Input, Is.Zero);
            Assert.That(cost.CachedInput, Is.EqualTo(0.000125m));
            Assert.That(cost.Output, Is.Zero, "reasoning above output: no negative visible output");
            Assert.That(cost.Reasoning, Is.EqualTo(0.0004m));
        }
    }

    [Test]
    public void A_known_model_is_priced_with_the_providers_multiplier()
    {
        var catalog = new Catalog { ["openai/gpt-4o"] = Gpt4o };
        catalog.Multipliers["openai-backup"] = 0.8m;
        var calculator = new CostCalculator(catalog);
        var usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 1000 };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calculator.CalculateCost("openai", "openai", "gpt-4o", usage), Is.EqualTo(0.0125m));
            Assert.That(calculator.CalculateCost("openai-backup", "openai", "gpt-4o", usage), Is.EqualTo(0.01m));
        }
    }

    [Test]
    public void A_model_the_catalog_does_not_know_has_an_unknown_cost_a_warning_once_and_a_metric_per_call()
    {
        var logger = new ListLogger();
        var calculator = new CostCalculator(new Catalog(), logger);
        var usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 };
        string model = "mystery-" + Guid.NewGuid().ToString("N");
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CostCalculator.MeterName && instrument.Name == "llmproviders.cost.unknown_model")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "gen_ai.request.model" && (string?)tag.Value == model)
                {
                    counted += value;
                }
            }
        });
        listener.Start();

        var first = calculator.CalculateCost("openai", "openai", model, usage);
        var second = calculator.CalculateCost("openai", "openai", model, usage);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.Null, "unknown, never $0");
            Assert.That(second, Is.Null);
            Assert.That(logger.Warnings, Has.Count.EqualTo(1));
            Assert.That(logger.Warnings[0], Does.Contain(model).And.Contain("unknown"));
            Assert.That(counted, Is.EqualTo(2));
        }
    }

    [Test]
    public void Local_providers_cost_zero_whatever_the_model()
    {
        var calculator = new CostCalculator(new Catalog());
        var usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 1000 };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calculator.CalculateCost("ollama", LlmProviderKinds.Ollama, "llama3:8b", usage), Is.Zero);
            Assert.That(calculator.CalculateCost("gpu-box", LlmProviderKinds.Vllm, "any", usage), Is.Zero);
            Assert.That(calculator.CalculateCost("localai", LlmProviderKinds.LocalAI, null, usage), Is.Zero);
        }
    }

    [Test]
    public void A_catalog_entry_marked_local_costs_zero()
    {
        var catalog = new Catalog();
        catalog.Entries["openai/gpt-oss"] = new ModelCatalogEntry { Provider = "openai", Id = "gpt-oss", IsLocal = true };

        Assert.That(new CostCalculator(catalog).CalculateCost("openai", "openai", "gpt-oss", new UsageDetails { InputTokenCount = 5 }), Is.Zero);
    }

    [Test]
    public void Without_usage_the_cost_is_unknown()
    {
        var calculator = new CostCalculator(new Catalog { ["openai/gpt-4o"] = Gpt4o });

        Assert.That(calculator.CalculateCost("openai", "openai", "gpt-4o", null), Is.Null);
    }

    [Test]
    public void EstimateCost_prices_the_prompt_estimate_and_the_output_limit()
    {
        var calculator = new CostCalculator(new Catalog { ["openai/gpt-4o"] = Gpt4o });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calculator.EstimateCost("openai", "openai", "gpt-4o", 1000, 500), Is.EqualTo(0.0075m));
            Assert.That(calculator.EstimateCost("openai", "openai", "unknown-model", 1000, 500), Is.Null);
        }
    }

    [Test]
    public void Breakdown_scales_every_part_by_the_multiplier()
    {
        var breakdown = new CostBreakdown(1m, 2m, 3m, 4m, 5m).Scale(0.5m);

        Assert.That(breakdown, Is.EqualTo(new CostBreakdown(0.5m, 1m, 1.5m, 2m, 2.5m)));
        Assert.That(breakdown.Total, Is.EqualTo(7.5m));
    }

    /// <summary>A catalog keyed "provider/model", exact names only.</summary>
    private sealed class Catalog : IModelCatalog
    {
        public Dictionary<string, ModelCatalogEntry> Entries { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, decimal> Multipliers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public ModelPrice this[string key]
        {
            set
            {
                int slash = key.IndexOf('/', StringComparison.Ordinal);
                Entries[key] = new ModelCatalogEntry { Provider = key[..slash], Id = key[(slash + 1)..], Price = value };
            }
        }

        public ModelCatalogEntry? Find(string provider, string model) => Entries.GetValueOrDefault(provider + "/" + model);

        public IReadOnlyList<ModelCatalogEntry> List(string? provider = null) => [.. Entries.Values];

        public decimal GetCostMultiplier(string providerName, string providerKind) =>
            Multipliers.TryGetValue(providerName, out var m) ? m : Multipliers.GetValueOrDefault(providerKind, 1m);
    }

    private sealed class ListLogger : ILogger<CostCalculator>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
