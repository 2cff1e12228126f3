using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LlmProviders.Costs;
using LlmProviders.Testing;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Tests.Costs.Catalog;

/// <summary>Building a catalog from options: built-in, LiteLLM files, overrides in code, multipliers, validation.</summary>
public class ModelCatalogCreateTests
{
    private static ModelCatalogEntry Model(string provider, string id, decimal input = 1m, decimal output = 2m) => new()
    {
        Provider = provider,
        Id = id,
        Price = new ModelPrice { Input = input, Output = output, AsOf = new DateOnly(2026, 11, 1) },
    };

    [Test]
    public void An_override_with_the_same_provider_and_id_replaces_the_built_in_entry_whole()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions { Models = { Model("OpenAI", "GPT-4o", 2m, 8m) } });

        var entry = catalog.Find("openai", "gpt-4o")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Price!.Input, Is.EqualTo(2m));
            Assert.That(entry.Price.Output, Is.EqualTo(8m));
            Assert.That(entry.Price.CachedInput, Is.Null);
            Assert.That(entry.ContextWindow, Is.Null);
            Assert.That(catalog.Find("openai", "gpt-4o-2024-08-06")!.Price!.Input, Is.EqualTo(2m));
            Assert.That(catalog.Count, Is.EqualTo(ModelCatalog.Default.Count));
        }
    }

    [Test]
    public void A_new_model_is_added_next_to_the_built_in_ones()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions { Models = { Model("openai", "gpt-internal-ft") } });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.Find("openai", "gpt-internal-ft"), Is.Not.Null);
            Assert.That(catalog.Count, Is.EqualTo(ModelCatalog.Default.Count + 1));
        }
    }

    [Test]
    public void Without_the_built_in_catalog_only_the_configured_models_exist()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions { UseBuiltInCatalog = false, Models = { Model("acme", "m1") } });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.List().Select(e => e.ToString()), Is.EqualTo(new[] { "acme/m1" }));
            Assert.That(catalog.Find("openai", "gpt-4o"), Is.Null);
        }
    }

    [Test]
    public void The_entries_constructor_copies_its_entries()
    {
        var entry = Model("acme", "m1", 5m);
        var catalog = new ModelCatalog([entry]);
        entry.Price!.Input = 0m;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.Find("acme", "m1")!.Price!.Input, Is.EqualTo(5m));
            Assert.That(catalog.GetCostMultiplier("acme", "acme"), Is.EqualTo(1m));
        }
    }

    [Test]
    public void A_LiteLLM_file_is_imported_over_the_built_in_catalog_and_its_skips_are_logged()
    {
        var path = Path.Combine(Path.GetTempPath(), "litellm-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllBytes(path, LiteLlmSample.Utf8);
        var logger = new CapturingLogger();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        try
        {
            var catalog = ModelCatalog.Create(new ModelCatalogOptions { LiteLlmFiles = { path } }, logger, clock);

            var gpt4o = catalog.Find("openai", "gpt-4o")!;
            var qwen = catalog.Find("dashscope", "qwen-tiered");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(gpt4o.Price!.Source, Is.EqualTo("litellm"));
                Assert.That(gpt4o.Price.AsOf, Is.EqualTo(new DateOnly(2026, 12, 4)));
                Assert.That(qwen, Is.Not.Null);
                Assert.That(catalog.Find("anthropic", "claude-3-opus")!.Price!.Source, Does.Contain("anthropic.com"));
                Assert.That(logger.Lines.Count(l => l.Level == LogLevel.Warning), Is.EqualTo(10));
                Assert.That(logger.Lines, Has.Some.Matches<(LogLevel Level, string Message)>(
                    l => l.Message.Contains("'dall-e-3'", StringComparison.Ordinal) && l.Message.Contains("image_generation", StringComparison.Ordinal)));
                Assert.That(logger.Lines, Has.Some.Matches<(LogLevel Level, string Message)>(
                    l => l.Level == LogLevel.Information && l.Message.Contains("imported 9 models, skipped 10", StringComparison.Ordinal)));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Code_overrides_win_over_LiteLLM_imports()
    {
        var path = Path.Combine(Path.GetTempPath(), "litellm-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllBytes(path, LiteLlmSample.Utf8);
        try
        {
            var catalog = ModelCatalog.Create(new ModelCatalogOptions { LiteLlmFiles = { path }, Models = { Model("openai", "gpt-4o", 1.5m, 6m) } });

            Assert.That(catalog.Find("openai", "gpt-4o")!.Price!.Input, Is.EqualTo(1.5m));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_malformed_LiteLLM_file_fails_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "litellm-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "{\"gpt-4o\": {\"mode\": \"chat\",");
        try
        {
            var ex = Assert.Throws<FormatException>(() => ModelCatalog.Create(new ModelCatalogOptions { LiteLlmFiles = { path } }));

            Assert.That(ex!.Message, Does.Contain(path).And.Contain("Nothing was imported"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_missing_LiteLLM_file_fails()
    {
        var path = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".json");

        Assert.Throws<FileNotFoundException>(() => ModelCatalog.Create(new ModelCatalogOptions { LiteLlmFiles = { path } }));
    }

    [Test]
    public void A_registration_name_multiplier_wins_over_the_kind_multiplier()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions
        {
            CostMultipliers = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase) { ["openai"] = 0.9m, ["openai-backup"] = 1.1m },
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.GetCostMultiplier("openai-backup", "openai"), Is.EqualTo(1.1m));
            Assert.That(catalog.GetCostMultiplier("OpenAI-Primary", "OPENAI"), Is.EqualTo(0.9m));
            Assert.That(catalog.GetCostMultiplier("claude", "anthropic"), Is.EqualTo(1m));
        }
    }

    [TestCase("", "m1", "has no Provider")]
    [TestCase("openai", " ", "has no Id")]
    public void An_entry_without_provider_or_id_is_rejected_with_the_fix(string provider, string id, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelCatalog.Create(new ModelCatalogOptions { Models = { Model("openai", "ok"), Model(provider, id) } }));

        Assert.That(ex!.Message, Does.Contain("ModelCatalogOptions.Models[1]").And.Contain(expected).And.Contain("set it"));
    }

    [Test]
    public void A_negative_price_is_rejected_naming_the_entry_and_field()
    {
        var entry = Model("openai", "cheap");
        entry.Price!.Tiers.Add(new ModelPriceTier { AbovePromptTokens = 1000, Input = 1m, Output = -2m });

        var ex = Assert.Throws<ArgumentException>(() => ModelCatalog.Create(new ModelCatalogOptions { Models = { entry } }));

        Assert.That(ex!.Message, Does.Contain("openai/cheap").And.Contain("Price.Tiers[0].Output is -2").And.Contain("cannot be negative"));
    }

    [Test]
    public void A_negative_price_in_the_entries_constructor_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ModelCatalog([Model("acme", "m1", input: -1m)]));

        Assert.That(ex!.Message, Does.Contain("entries[0]").And.Contain("Price.Input is -1"));
    }

    [Test]
    public void A_negative_multiplier_is_rejected_with_the_fix()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelCatalog.Create(new ModelCatalogOptions
        {
            CostMultipliers = new Dictionary<string, decimal> { ["openai-backup"] = -0.5m },
        }));

        Assert.That(ex!.Message, Does.Contain("CostMultipliers['openai-backup'] is -0.5").And.Contain("must be 0 or more"));
    }
}
