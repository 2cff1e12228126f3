using System;
using System.Linq;
using LlmProviders.Costs;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Costs.Catalog;

/// <summary>Queries: capabilities with a price ceiling, context and quality floors, deprecation, local models, cheapest, fastest.</summary>
public class ModelCatalogQueryTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    private static ModelCatalogEntry Model(string id, decimal input, decimal output, double? latency = null, double? speed = null) => new()
    {
        Provider = "acme",
        Id = id,
        Price = new ModelPrice { Input = input, Output = output },
        ContextWindow = 128_000,
        Capabilities = LlmCapabilities.Chat,
        QualityScore = 50,
        TypicalLatency = latency is { } l ? TimeSpan.FromSeconds(l) : null,
        TypicalTokensPerSecond = speed,
    };

    [Test]
    public void Capability_and_max_price_filters_all_hold()
    {
        var found = ModelCatalog.Default.Query(new ModelCatalogQuery
        {
            RequiredCapabilities = LlmCapabilities.Tools | LlmCapabilities.Vision,
            MaxInputPrice = 0.5m,
            MaxOutputPrice = 2m,
            AsOfDate = Today,
        });

        Assert.That(found, Is.Not.Empty);
        Assert.That(found, Has.All.Matches<ModelCatalogEntry>(e =>
            e.Capabilities.HasFlag(LlmCapabilities.Tools | LlmCapabilities.Vision) && e.Price!.Input <= 0.5m && e.Price.Output <= 2m));
        Assert.That(found.Select(e => e.ToString()), Does.Contain("openai/gpt-4o-mini").And.Not.Contain("openai/gpt-4o"));
    }

    [Test]
    public void Context_quality_and_provider_filters_apply()
    {
        var found = ModelCatalog.Default.Query(new ModelCatalogQuery { Provider = "google", MinContextWindow = 1_000_000, MinQualityScore = 75, AsOfDate = Today });

        Assert.That(found.Select(e => e.Id), Is.EqualTo(new[] { "gemini-2.5-flash", "gemini-2.5-pro" }));
    }

    [Test]
    public void Deprecated_models_are_left_out_unless_asked_for()
    {
        var current = ModelCatalog.Default.Query(new ModelCatalogQuery { Provider = "anthropic", AsOfDate = Today }).Select(e => e.Id).ToList();
        var all = ModelCatalog.Default.Query(new ModelCatalogQuery { Provider = "anthropic", AsOfDate = Today, IncludeDeprecated = true }).Select(e => e.Id).ToList();
        var before = ModelCatalog.Default.Query(new ModelCatalogQuery { Provider = "anthropic", AsOfDate = new DateOnly(2025, 12, 31) }).Select(e => e.Id).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(current, Does.Not.Contain("claude-3-opus").And.Not.Contain("claude-3-sonnet").And.Contain("claude-3-haiku"));
            Assert.That(all, Does.Contain("claude-3-opus").And.Contain("claude-3-sonnet"));
            Assert.That(before, Does.Contain("claude-3-opus").And.Not.Contain("claude-3-sonnet"));
        }
    }

    [Test]
    public void A_model_retiring_today_is_already_excluded()
    {
        var found = ModelCatalog.Default.Query(new ModelCatalogQuery { Provider = "anthropic", AsOfDate = new DateOnly(2026, 1, 5) });

        Assert.That(found.Select(e => e.Id), Does.Not.Contain("claude-3-opus"));
    }

    [Test]
    public void Deprecation_is_judged_on_the_injected_clock_by_default()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero));
        var catalog = ModelCatalog.Create(new ModelCatalogOptions(), timeProvider: clock);

        var before = catalog.Query(new ModelCatalogQuery { Provider = "anthropic" }).Select(e => e.Id).ToList();
        clock.Advance(TimeSpan.FromDays(5));
        var after = catalog.Query(null).Select(e => e.Id).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Does.Contain("claude-3-opus"));
            Assert.That(after, Does.Not.Contain("claude-3-opus"));
        }
    }

    [Test]
    public void Local_models_can_be_left_out()
    {
        var withLocal = ModelCatalog.Default.Query(new ModelCatalogQuery { AsOfDate = Today });
        var withoutLocal = ModelCatalog.Default.Query(new ModelCatalogQuery { IncludeLocal = false, AsOfDate = Today });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withLocal, Has.Some.Property(nameof(ModelCatalogEntry.IsLocal)).True);
            Assert.That(withoutLocal, Has.None.Property(nameof(ModelCatalogEntry.IsLocal)).True);
        }
    }

    [Test]
    public void The_cheapest_model_has_the_lowest_blended_price()
    {
        var catalog = new ModelCatalog([
            Model("input-cheap", 1m, 20m),     // blended (3 + 20) / 4 = 5.75
            Model("output-cheap", 2m, 4m),     // blended (6 + 4) / 4 = 2.5
            new ModelCatalogEntry { Provider = "acme", Id = "unpriced", Capabilities = LlmCapabilities.Chat },
        ]);

        Assert.That(catalog.GetCheapest(null)?.Id, Is.EqualTo("output-cheap"));
    }

    [Test]
    public void Unpriced_entries_are_never_the_cheapest()
    {
        var catalog = new ModelCatalog([new ModelCatalogEntry { Provider = "acme", Id = "unpriced", Capabilities = LlmCapabilities.Chat }]);

        Assert.That(catalog.GetCheapest(null), Is.Null);
    }

    [Test]
    public void The_cheapest_cloud_model_with_tools_and_vision_is_found_in_the_built_in_catalog()
    {
        var cheapest = ModelCatalog.Default.GetCheapest(new ModelCatalogQuery
        {
            RequiredCapabilities = LlmCapabilities.Tools | LlmCapabilities.Vision,
            IncludeLocal = false,
            MinQualityScore = 70,
            AsOfDate = Today,
        });

        Assert.That(cheapest?.ToString(), Is.EqualTo("openai/gpt-5-mini"));
    }

    [Test]
    public void Local_models_are_the_cheapest_when_included()
    {
        var cheapest = ModelCatalog.Default.GetCheapest(new ModelCatalogQuery { RequiredCapabilities = LlmCapabilities.Chat, AsOfDate = Today });

        Assert.That(cheapest?.IsLocal, Is.True);
    }

    [Test]
    public void The_fastest_model_has_the_lowest_latency_and_ties_go_to_the_higher_speed()
    {
        var catalog = new ModelCatalog([
            Model("slow", 1m, 1m, latency: 1.0, speed: 500),
            Model("quick", 1m, 1m, latency: 0.3, speed: 50),
            Model("quick-and-fast", 1m, 1m, latency: 0.3, speed: 150),
            Model("unknown", 1m, 1m),
        ]);

        Assert.That(catalog.GetFastest(null)?.Id, Is.EqualTo("quick-and-fast"));
    }

    [Test]
    public void Entries_without_latency_are_never_the_fastest()
    {
        var catalog = new ModelCatalog([Model("unknown", 1m, 1m)]);

        Assert.That(catalog.GetFastest(null), Is.Null);
    }

    [Test]
    public void Queried_entries_are_copies()
    {
        var catalog = new ModelCatalog([Model("m1", 1m, 1m, latency: 0.5)]);

        catalog.Query(null)[0].Price!.Input = 100m;
        catalog.GetCheapest(null)!.Id = "changed";
        catalog.GetFastest(null)!.Price!.Output = 100m;

        var entry = catalog.Query(null).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Id, Is.EqualTo("m1"));
            Assert.That(entry.Price!.Input, Is.EqualTo(1m));
            Assert.That(entry.Price.Output, Is.EqualTo(1m));
        }
    }
}
