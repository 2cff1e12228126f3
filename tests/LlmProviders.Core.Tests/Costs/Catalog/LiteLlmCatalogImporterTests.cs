using System;
using System.IO;
using System.Linq;
using System.Text;
using LlmProviders.Costs;

namespace LlmProviders.Tests.Costs.Catalog;

/// <summary>The LiteLLM price-map importer: prices per million without float noise, provider and id mapping, skips with reasons.</summary>
public class LiteLlmCatalogImporterTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 1);

    private static LiteLlmImportResult Sample() => LiteLlmCatalogImporter.Import(LiteLlmSample.Utf8, AsOf);

    private static ModelCatalogEntry Entry(LiteLlmImportResult result, string provider, string id)
        => result.Entries.Single(e => e.Provider == provider && e.Id == id);

    [Test]
    public void Per_token_prices_become_exact_decimal_prices_per_million()
    {
        var gpt4o = Entry(Sample(), "openai", "gpt-4o");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(gpt4o.Price!.Input, Is.EqualTo(2.5m));
            Assert.That(gpt4o.Price.Input.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("2.5"));
            Assert.That(gpt4o.Price.Output, Is.EqualTo(10m));
            Assert.That(gpt4o.Price.CachedInput, Is.EqualTo(1.25m));
            Assert.That(gpt4o.Price.AsOf, Is.EqualTo(AsOf));
            Assert.That(gpt4o.Price.Source, Is.EqualTo("litellm"));
        }
    }

    [Test]
    public void Limits_and_capability_flags_are_mapped()
    {
        var gpt4o = Entry(Sample(), "openai", "gpt-4o");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(gpt4o.ContextWindow, Is.EqualTo(128000));
            Assert.That(gpt4o.MaxOutputTokens, Is.EqualTo(16384));
            Assert.That(gpt4o.Capabilities, Is.EqualTo(
                LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools | LlmCapabilities.ParallelToolCalls
                | LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema | LlmCapabilities.PromptCaching));
            Assert.That(gpt4o.IsLocal, Is.False);
        }
    }

    [Test]
    public void Legacy_max_tokens_is_only_an_output_limit()
    {
        var azure = Entry(Sample(), "azure-openai", "gpt-4o-mini");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(azure.ContextWindow, Is.Null);
            Assert.That(azure.MaxOutputTokens, Is.EqualTo(16384));
            Assert.That(azure.Price!.Input, Is.EqualTo(0.165m));
        }
    }

    [Test]
    public void Cache_prices_and_tiers_above_200k_are_imported()
    {
        var sonnet = Entry(Sample(), "anthropic", "claude-sonnet-4-5");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sonnet.Price!.CachedInput, Is.EqualTo(0.3m));
            Assert.That(sonnet.Price.CacheWrite, Is.EqualTo(3.75m));
            Assert.That(sonnet.Price.Tiers, Has.Count.EqualTo(1));
            Assert.That(sonnet.Price.Tiers[0].AbovePromptTokens, Is.EqualTo(200_000));
            Assert.That(sonnet.Price.Tiers[0].Input, Is.EqualTo(6m));
            Assert.That(sonnet.Price.Tiers[0].Output, Is.EqualTo(22.5m));
            Assert.That(sonnet.Price.Tiers[0].CachedInput, Is.EqualTo(0.6m));
            Assert.That(sonnet.Price.Tiers[0].CacheWrite, Is.EqualTo(7.5m));
            Assert.That(sonnet.Price.Source, Is.EqualTo("https://www.anthropic.com/pricing"));
            Assert.That(sonnet.Capabilities.HasFlag(LlmCapabilities.Reasoning | LlmCapabilities.AssistantPrefill), Is.True);
        }
    }

    [Test]
    public void Tiered_pricing_ranges_become_the_base_price_and_tiers()
    {
        var qwen = Entry(Sample(), "dashscope", "qwen-tiered");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(qwen.Price!.Input, Is.EqualTo(1m));
            Assert.That(qwen.Price.Output, Is.EqualTo(5m));
            Assert.That(qwen.Price.Tiers.Select(t => (t.AbovePromptTokens, t.Input, t.Output)),
                Is.EqualTo(new[] { (256000, 3m, 15m) }));
        }
    }

    [Test]
    public void Reasoning_price_and_deprecation_date_are_imported()
    {
        var gemini = Entry(Sample(), "google", "gemini-2.5-pro");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(gemini.Price!.Reasoning, Is.EqualTo(10m));
            Assert.That(gemini.DeprecationDate, Is.EqualTo(new DateOnly(2026, 6, 17)));
            Assert.That(gemini.Price.Tiers.Single().Input, Is.EqualTo(2.5m));
        }
    }

    [Test]
    public void Provider_slugs_map_to_kinds_and_key_prefixes_are_removed()
    {
        var ids = Sample().Entries.Select(e => e.Provider + " " + e.Id).ToList();

        Assert.That(ids, Is.SupersetOf(new[]
        {
            "google gemini-2.5-pro",
            "azure-openai gpt-4o-mini",
            "together meta-llama/Llama-3.3-70B-Instruct-Turbo",
            "openrouter anthropic/claude-3.5-sonnet",
            "ollama llama3",
            "openai text-embedding-3-small",
        }));
    }

    [Test]
    public void Ollama_models_are_local_and_free()
    {
        var llama = Entry(Sample(), "ollama", "llama3");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(llama.IsLocal, Is.True);
            Assert.That(llama.Price!.Input, Is.Zero);
            Assert.That(llama.Price.Output, Is.Zero);
        }
    }

    [Test]
    public void Embedding_models_are_imported_with_the_embeddings_capability()
    {
        var embedding = Entry(Sample(), "openai", "text-embedding-3-small");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(embedding.Capabilities, Is.EqualTo(LlmCapabilities.Embeddings));
            Assert.That(embedding.Price!.Input, Is.EqualTo(0.02m));
            Assert.That(embedding.ContextWindow, Is.EqualTo(8191));
        }
    }

    [Test]
    public void Skipped_entries_are_reported_with_their_reason()
    {
        var result = Sample();
        var reasons = result.Skipped.ToDictionary(s => s.Key, s => s.Reason);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reasons["sample_spec"], Is.EqualTo("documentation template, not a model"));
            Assert.That(reasons["dall-e-3"], Is.EqualTo("mode 'image_generation' is not a chat or embedding model"));
            Assert.That(reasons["negative-model"], Does.Contain("input_cost_per_token is negative"));
            Assert.That(reasons["string-price"], Does.Contain("input_cost_per_token is not a number"));
            Assert.That(reasons["no-price"], Does.Contain("price is unknown"));
            Assert.That(reasons["no-provider"], Does.Contain("no litellm_provider"));
            Assert.That(reasons["not-an-object"], Does.Contain("a number, not an object"));
            Assert.That(reasons["also-not-an-object"], Does.Contain("an array, not an object"));
            Assert.That(reasons["gemini-2.5-pro"], Does.Contain("duplicate of 'gemini/gemini-2.5-pro'"));
            Assert.That(reasons["gpt-4o "], Does.Contain("duplicate of 'gpt-4o'"));
            Assert.That(result.ImportedCount, Is.EqualTo(9));
            Assert.That(result.SkippedCount, Is.EqualTo(10));
            Assert.That(result.TotalCount, Is.EqualTo(19));
        }
    }

    [Test]
    public void The_stream_overload_reads_the_same_document()
    {
        using var stream = new MemoryStream(LiteLlmSample.Utf8);

        var result = LiteLlmCatalogImporter.Import(stream, AsOf);

        Assert.That(result.Entries.Select(e => e.Id), Is.EqualTo(Sample().Entries.Select(e => e.Id)));
    }

    [Test]
    public void A_file_is_imported_and_prices_are_dated_today_by_default()
    {
        var path = Path.Combine(Path.GetTempPath(), "litellm-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. LiteLlmSample.Utf8]);
        try
        {
            var result = LiteLlmCatalogImporter.ImportFile(path);

            Assert.That(result.AsOf, Is.EqualTo(DateOnly.FromDateTime(DateTime.UtcNow)).Or.EqualTo(DateOnly.FromDateTime(DateTime.UtcNow.AddMinutes(-1))));
            Assert.That(result.Entries.All(e => e.Price!.AsOf == result.AsOf), Is.True);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("[{\"gpt-4o\": {}}]", "must be a JSON object")]
    [TestCase("\"models\"", "must be a JSON object")]
    [TestCase("", "empty")]
    public void A_document_that_is_not_an_object_is_rejected(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => LiteLlmCatalogImporter.Import(Encoding.UTF8.GetBytes(json), AsOf));

        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void A_truncated_document_throws_saying_where_instead_of_a_half_import()
    {
        var truncated = LiteLlmSample.Utf8.AsSpan(0, LiteLlmSample.Utf8.Length / 2).ToArray();

        var ex = Assert.Throws<FormatException>(() => LiteLlmCatalogImporter.Import(truncated, AsOf));

        Assert.That(ex!.Message, Does.Contain("line").And.Contain("Nothing was imported"));
    }

    [Test]
    public void Malformed_json_throws_a_format_exception_with_the_line()
    {
        var ex = Assert.Throws<FormatException>(() => LiteLlmCatalogImporter.Import("{\n\"a\": {\"mode\": chat}\n}"u8, AsOf));

        Assert.That(ex!.Message, Does.Contain("line 2"));
    }
}
