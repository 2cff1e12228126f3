using System;
using System.Collections.Generic;
using System.Linq;
using LlmProviders.Costs;

namespace LlmProviders.Tests.Costs.Catalog;

/// <summary>The embedded, dated catalog: it loads, every price is dated, nothing is listed twice, the seed models are there.</summary>
public class BuiltInCatalogTests
{
    [Test]
    public void Every_entry_loads_with_a_provider_an_id_and_a_dated_price()
    {
        var entries = ModelCatalog.Default.List();

        Assert.That(entries, Has.Count.GreaterThan(70));
        foreach (var entry in entries)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(entry.Provider, Is.Not.Empty, entry.ToString());
                Assert.That(entry.Id, Is.Not.Empty, entry.ToString());
                Assert.That(entry.Price, Is.Not.Null, entry.ToString());
                Assert.That(entry.Price?.AsOf, Is.Not.Null, entry.ToString());
                Assert.That(entry.Price?.Source, Is.Not.Null.And.Not.Empty, entry.ToString());
                Assert.That(entry.ContextWindow, Is.GreaterThan(0), entry.ToString());
                Assert.That(entry.Capabilities, Is.Not.EqualTo(LlmCapabilities.None), entry.ToString());
                Assert.That(entry.QualityScore is null or >= 0 and <= 100, Is.True, entry.ToString());
            }
        }
    }

    [Test]
    public void No_provider_has_an_id_or_alias_twice()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var duplicates = new List<string>();
        foreach (var entry in ModelCatalog.Default.List())
        {
            foreach (var name in entry.Aliases.Prepend(entry.Id))
            {
                if (!names.Add(entry.Provider + "/" + name))
                {
                    duplicates.Add(entry.Provider + "/" + name);
                }
            }
        }

        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void The_catalog_is_dated()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ModelCatalog.BuiltInAsOf, Is.EqualTo(new DateOnly(2026, 11, 1)));
            Assert.That(ModelCatalog.Default.List().Max(e => e.Price!.AsOf), Is.EqualTo(ModelCatalog.BuiltInAsOf));
        }
    }

    [TestCase("openai", "gpt-4", 30, 60, 8192)]
    [TestCase("openai", "gpt-3.5-turbo", 0.5, 1.5, 16385)]
    [TestCase("anthropic", "claude-3-opus", 15, 75, 200000)]
    [TestCase("anthropic", "claude-3-sonnet", 3, 15, 200000)]
    [TestCase("anthropic", "claude-3-haiku", 0.25, 1.25, 200000)]
    [TestCase("google", "gemini-pro", 0.5, 1.5, 32760)]
    [TestCase("mistral", "mistral-large", 2, 6, 131072)]
    [TestCase("mistral", "mistral-medium", 0.4, 2, 131072)]
    [TestCase("mistral", "mistral-small", 0.1, 0.3, 131072)]
    [TestCase("mistral", "mistral-tiny", 0.25, 0.25, 32768)]
    public void Seed_named_models_have_their_prices(string provider, string model, decimal input, decimal output, int context)
    {
        var entry = ModelCatalog.Default.Find(provider, model);

        Assert.That(entry, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry!.Price!.Input, Is.EqualTo(input));
            Assert.That(entry.Price.Output, Is.EqualTo(output));
            Assert.That(entry.ContextWindow, Is.EqualTo(context));
        }
    }

    [TestCase("llama2")]
    [TestCase("codellama")]
    [TestCase("mistral")]
    [TestCase("llama3.1")]
    [TestCase("nomic-embed-text")]
    public void Ollama_models_are_local_and_cost_nothing(string model)
    {
        var entry = ModelCatalog.Default.Find("ollama", model);

        Assert.That(entry, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry!.IsLocal, Is.True);
            Assert.That(entry.Price!.Input, Is.Zero);
            Assert.That(entry.Price.Output, Is.Zero);
        }
    }

    [Test]
    public void Every_provider_of_the_issue_is_covered()
    {
        var providers = ModelCatalog.Default.List().Select(e => e.Provider).Distinct().ToList();

        Assert.That(providers, Is.EquivalentTo(new[] { "anthropic", "google", "mistral", "ollama", "openai", "openrouter", "together" }));
    }

    [Test]
    public void Anthropic_cache_prices_are_a_tenth_and_one_and_a_quarter_of_input()
    {
        var sonnet = ModelCatalog.Default.Find("anthropic", "claude-sonnet-4-5")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sonnet.Price!.CachedInput, Is.EqualTo(0.3m));
            Assert.That(sonnet.Price.CacheWrite, Is.EqualTo(3.75m));
            Assert.That(sonnet.Price.Tiers.Single().AbovePromptTokens, Is.EqualTo(200_000));
            Assert.That(sonnet.Price.Tiers.Single().Input, Is.EqualTo(6m));
            Assert.That(sonnet.Price.Tiers.Single().Output, Is.EqualTo(22.5m));
        }
    }

    [TestCase("anthropic", "claude-3-opus", "2026-01-05")]
    [TestCase("anthropic", "claude-3-sonnet", "2025-07-21")]
    [TestCase("google", "gemini-1.5-pro", "2025-09-24")]
    [TestCase("google", "gemini-1.5-flash", "2025-09-24")]
    public void Announced_deprecation_dates_are_recorded(string provider, string model, string date)
    {
        Assert.That(ModelCatalog.Default.Find(provider, model)!.DeprecationDate, Is.EqualTo(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
