using System;
using System.IO;
using LlmProviders.Costs;

namespace LlmProviders.Tests.Costs.Catalog;

/// <summary>The README's catalog sample, as written there (file path aside).</summary>
public class ModelCatalogReadmeTests
{
    [Test]
    public void The_readme_sample_finds_prices_multiplies_and_queries()
    {
        var path = Path.Combine(Path.GetTempPath(), "litellm-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllBytes(path, LiteLlmSample.Utf8);
        var logger = new CapturingLogger();
        try
        {
            var catalog = ModelCatalog.Create(new ModelCatalogOptions
            {
                LiteLlmFiles = { path },                                                // optional, imported over the built-in one
                Models = { new ModelCatalogEntry { Provider = "openai", Id = "gpt-4o", // same provider + id: replaces it whole
                    Price = new ModelPrice { Input = 2m, Output = 8m, AsOf = new DateOnly(2026, 12, 1) } } },
                CostMultipliers = { ["openai-backup"] = 0.8m },                         // a negotiated 20 % discount
                ProviderKinds = { ["primary"] = "anthropic" },
            }, logger);

            var found = catalog.Find("openai-backup", "gpt-4o-2024-08-06");            // → openai/gpt-4o, 2 / 8
            var multiplier = catalog.GetCostMultiplier("openai-backup", "openai");       // → 0.8 (name wins over kind, default 1)
            var cheapest = catalog.GetCheapest(new ModelCatalogQuery
            {
                RequiredCapabilities = LlmCapabilities.Tools | LlmCapabilities.Vision,
                MaxInputPrice = 1m, MinQualityScore = 70, IncludeLocal = false,
            });

            using (Assert.EnterMultipleScope())
            {
                Assert.That(found?.ToString(), Is.EqualTo("openai/gpt-4o"));
                Assert.That(found?.Price?.Output, Is.EqualTo(8m));
                Assert.That(multiplier, Is.EqualTo(0.8m));
                Assert.That(catalog.Find("primary", "claude-3-haiku")?.Provider, Is.EqualTo("anthropic"));
                Assert.That(cheapest, Is.Not.Null);
                Assert.That(cheapest!.Price!.Input, Is.LessThanOrEqualTo(1m));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
