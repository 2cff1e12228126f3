using System;
using System.Collections.Generic;
using System.Linq;
using LlmProviders.Costs;

namespace LlmProviders.Tests.Costs.Catalog;

/// <summary>Finding a model: provider kinds and registration names, aliases, prefixes, dated snapshots, Ollama tags, Azure.</summary>
public class ModelCatalogFindTests
{
    private static ModelCatalog Catalog => ModelCatalog.Default;

    [TestCase("openai", "gpt-4o", "gpt-4o")]
    [TestCase("OpenAI", "GPT-4o", "gpt-4o")]
    [TestCase("openai", "gpt-4o-2024-08-06", "gpt-4o")]
    [TestCase("openai", "gpt-4o-2099-01-31", "gpt-4o")]
    [TestCase("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [TestCase("openai", "gpt-3.5-turbo-0125", "gpt-3.5-turbo")]
    [TestCase("openai", "gpt-4-0613", "gpt-4")]
    [TestCase("openai", "openai/gpt-4o", "gpt-4o")]
    [TestCase("anthropic", "claude-3-opus-20240229", "claude-3-opus")]
    [TestCase("anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [TestCase("anthropic", "claude-sonnet-4-5-20991231", "claude-sonnet-4-5")]
    [TestCase("anthropic", "claude-3-5-sonnet-latest", "claude-3-5-sonnet")]
    [TestCase("google", "models/gemini-2.5-flash", "gemini-2.5-flash")]
    [TestCase("google", "gemini-2.5-flash-preview-05-20", "gemini-2.5-flash")]
    [TestCase("google", "gemini-1.5-pro-002", "gemini-1.5-pro")]
    [TestCase("google", "models/gemini-2.0-flash-001", "gemini-2.0-flash")]
    [TestCase("google", "gemini-pro", "gemini-pro")]
    [TestCase("mistral", "mistral-large-2411", "mistral-large-latest")]
    [TestCase("mistral", "mistral-large", "mistral-large-latest")]
    [TestCase("mistral", "mistral-tiny", "open-mistral-7b")]
    [TestCase("ollama", "llama3:8b", "llama3")]
    [TestCase("ollama", "llama3.1:latest", "llama3.1")]
    [TestCase("ollama", "codellama", "codellama")]
    [TestCase("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [TestCase("openrouter", "openai/gpt-4o", "openai/gpt-4o")]
    [TestCase("openrouter", "anthropic/claude-sonnet-4.5", "anthropic/claude-sonnet-4.5")]
    public void A_model_is_found_by_id_alias_prefix_or_snapshot(string provider, string model, string expectedId)
    {
        var entry = Catalog.Find(provider, model);

        Assert.That(entry?.Id, Is.EqualTo(expectedId));
    }

    [TestCase("openai", "gpt-7")]
    [TestCase("openai", "claude-3-opus")]
    [TestCase("openrouter", "gpt-4o")]
    [TestCase("vllm", "llama3")]
    [TestCase("nobody", "gpt-4o")]
    [TestCase("openai", "")]
    public void An_unknown_model_is_not_found(string provider, string model)
    {
        Assert.That(Catalog.Find(provider, model), Is.Null);
    }

    [Test]
    public void Azure_OpenAI_falls_back_to_the_OpenAI_prices()
    {
        var entry = Catalog.Find("azure-openai", "gpt-4o-mini-2024-07-18");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry?.Provider, Is.EqualTo("openai"));
            Assert.That(entry?.Id, Is.EqualTo("gpt-4o-mini"));
        }
    }

    [Test]
    public void An_Azure_entry_wins_over_the_OpenAI_fallback()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions
        {
            Models = { new ModelCatalogEntry { Provider = "azure-openai", Id = "gpt-4o", Price = new ModelPrice { Input = 2.75m, Output = 11m } } },
        });

        Assert.That(catalog.Find("azure-openai", "gpt-4o")!.Price!.Input, Is.EqualTo(2.75m));
    }

    [Test]
    public void A_registration_name_is_mapped_to_its_kind()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions
        {
            ProviderKinds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["primary"] = "anthropic" },
        });

        Assert.That(catalog.Find("primary", "claude-3-haiku-20240307")?.Id, Is.EqualTo("claude-3-haiku"));
    }

    [TestCase("openai-backup", "gpt-4o", "openai")]
    [TestCase("anthropic-eu", "claude-3-haiku", "anthropic")]
    [TestCase("azure-openai-westeurope", "gpt-4o", "openai")]
    public void A_registration_name_starting_with_a_kind_uses_that_kind(string name, string model, string expectedProvider)
    {
        Assert.That(Catalog.Find(name, model)?.Provider, Is.EqualTo(expectedProvider));
    }

    [Test]
    public void A_repeated_find_returns_the_same_instance_without_allocating()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions());
        var first = catalog.Find("openai-backup", "gpt-4o-2024-08-06");
        _ = catalog.Find("openai-backup", "gpt-4o-2024-08-06");

        var before = GC.GetAllocatedBytesForCurrentThread();
        ModelCatalogEntry? last = null;
        for (var i = 0; i < 1000; i++)
        {
            last = catalog.Find("openai-backup", "gpt-4o-2024-08-06");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(last, Is.SameAs(first));
            Assert.That(allocated, Is.Zero);
        }
    }

    [Test]
    public void Concurrent_finds_all_see_the_same_entries()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions());
        string[] models = ["gpt-4o-2024-08-06", "gpt-4o", "gpt-4o-mini", "unknown", "gpt-4-0613"];
        var results = new string?[64 * models.Length];

        System.Threading.Tasks.Parallel.For(0, results.Length, i => results[i] = catalog.Find("openai", models[i % models.Length])?.Id);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.That(results[i], Is.EqualTo(new[] { "gpt-4o", "gpt-4o", "gpt-4o-mini", null, "gpt-4" }[i % models.Length]));
        }
    }

    [Test]
    public void A_miss_is_remembered_too()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions());
        _ = catalog.Find("openai", "no-such-model");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = catalog.Find("openai", "no-such-model");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.Null);
            Assert.That(allocated, Is.Zero);
        }
    }

    [Test]
    public void Lookups_beyond_the_cache_bound_are_still_answered()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions());
        for (var i = 0; i < ModelCatalog.MaxCachedLookups + 10; i++)
        {
            _ = catalog.Find("openai", "unknown-" + i);
        }

        Assert.That(catalog.Find("openai", "gpt-4o-2024-11-20")?.Id, Is.EqualTo("gpt-4o"));
    }

    [Test]
    public void Changing_a_listed_entry_does_not_change_the_catalog()
    {
        var catalog = ModelCatalog.Create(new ModelCatalogOptions());
        var listed = catalog.List("openai");
        foreach (var entry in listed)
        {
            entry.Price!.Input = 999m;
            entry.Aliases.Clear();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.List("openai")[0].Price!.Input, Is.Not.EqualTo(999m));
            Assert.That(catalog.Find("openai", "gpt-4o")!.Price!.Input, Is.EqualTo(2.5m));
            Assert.That(catalog.Find("openai", "gpt-4o-2024-08-06"), Is.Not.Null);
        }
    }

    [Test]
    public void List_is_ordered_by_provider_then_id_and_filters_by_provider()
    {
        var all = ModelCatalog.Default.List();
        var anthropic = ModelCatalog.Default.List("anthropic");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(e => e.ToString()), Is.EqualTo(
                all.OrderBy(e => e.Provider, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Id, StringComparer.OrdinalIgnoreCase).Select(e => e.ToString())));
            Assert.That(anthropic, Has.Count.EqualTo(11));
            Assert.That(anthropic, Has.All.Property(nameof(ModelCatalogEntry.Provider)).EqualTo("anthropic"));
        }
    }
}
