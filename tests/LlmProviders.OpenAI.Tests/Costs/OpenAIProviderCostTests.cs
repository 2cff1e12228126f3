using System;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.OpenAI.Tests.Compatible;
using LlmProviders.OpenAI.Tests.Embeddings;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;
using static LlmProviders.OpenAI.Tests.OpenAIWire;

namespace LlmProviders.OpenAI.Tests.Costs;

/// <summary>What OpenAI-shaped results cost (SPEC C2): each usage part at its price, reported costs, local servers, failed streams.</summary>
public sealed class OpenAIProviderCostTests : CompatiblePresetTestBase
{
    // gpt-4o: $2.50 input, $1.25 cached input, $10.00 output per million tokens.
    private static readonly ModelPrice Gpt4o = new() { Input = 2.50m, CachedInput = 1.25m, Output = 10.00m };

    // 1,000 input of which 800 cached, 500 output of which 200 reasoning.
    private static readonly string CachedAndReasoningUsage = Usage(prompt: 1000, completion: 500, total: 1500, cached: 800, reasoning: 200);

    // 200 uncached × $2.50 + 800 cached × $1.25 + 500 output × $10.00 (the 200 reasoning tokens are part of the output, charged once)
    // = $0.0005 + $0.0010 + $0.0050.
    private const decimal CachedAndReasoningCost = 0.0065m;

    [Test]
    public async Task Cached_tokens_are_charged_at_the_cached_price_and_reasoning_is_not_charged_twice()
    {
        var provider = OpenAI(Catalog());
        var result = await ChatAsync(CannedResponse.Json(Completion("Hi", usage: CachedAndReasoningUsage, model: "gpt-4o")), provider: provider);

        Assert.That(result.Cost, Is.EqualTo(CachedAndReasoningCost));
        Assert.That(result.IsCostKnown, Is.True);
    }

    [Test]
    public async Task The_final_stream_update_carries_the_cost()
    {
        var provider = OpenAI(Catalog());
        var updates = await StreamAsync(
            CannedResponse.EventStream(Sse([Chunk("{\"content\":\"Hi\"}", model: "gpt-4o"), Chunk("{}", "stop", model: "gpt-4o"), UsageChunk(CachedAndReasoningUsage)])),
            provider: provider);

        var final = Final(updates);
        Assert.That(final.Cost, Is.EqualTo(CachedAndReasoningCost));
        Assert.That(updates.FindAll(u => !u.IsFinal).TrueForAll(u => u.Cost is null), Is.True, "only the final update carries the cost");
    }

    [Test]
    public async Task A_dated_answer_the_catalog_does_not_know_has_an_unknown_cost_not_zero()
    {
        var provider = OpenAI(Catalog());
        var result = await ChatAsync(CannedResponse.Json(Completion("Hi", usage: CachedAndReasoningUsage, model: "gpt-4o-2099-01-01")), provider: provider);

        Assert.That(result.Cost, Is.Null);
        Assert.That(result.IsCostKnown, Is.False);
    }

    [Test]
    public async Task Embeddings_are_priced_by_their_input_tokens()
    {
        // text-embedding-3-small: $0.02 per million input tokens; 1,500 tokens = $0.00003.
        var catalog = new TestModelCatalog().Add(LlmProviderKinds.OpenAI, "text-embedding-3-small", new ModelPrice { Input = 0.02m });
        var provider = OpenAI(catalog);
        Handler.Response = CannedResponse.Json(OpenAIEmbeddingWire.Answer([(0, "[1,2]")], model: "text-embedding-3-small", promptTokens: 1500));

        var result = await provider.EmbedAsync(new EmbeddingRequest("hello")).WaitAsync(HangTimeout);

        Assert.That(result.Cost, Is.EqualTo(0.00003m));
    }

    [Test]
    public async Task A_stream_cut_after_its_usage_chunk_throws_with_the_usage_and_its_cost()
    {
        var provider = OpenAI(Catalog());
        var ex = await CatchStreamAsync<StreamInterruptedException>(
            CannedResponse.EventStream(Sse([Chunk("{\"content\":\"Hi\"}", model: "gpt-4o"), UsageChunk(CachedAndReasoningUsage)], done: false)),
            provider: provider);

        Assert.That(ex.Usage?.InputTokenCount, Is.EqualTo(1000));
        Assert.That(ex.Cost, Is.EqualTo(CachedAndReasoningCost));
    }

    [Test]
    public async Task An_error_event_after_the_usage_throws_with_the_usage_and_its_cost()
    {
        var provider = OpenAI(Catalog());
        var ex = await CatchStreamAsync<ProviderUnavailableException>(
            CannedResponse.EventStream(Sse([Chunk("{\"content\":\"Hi\"}", model: "gpt-4o"), UsageChunk(CachedAndReasoningUsage), Error("The server had an error.", "server_error", null)], done: false)),
            provider: provider);

        Assert.That(ex.Usage?.OutputTokenCount, Is.EqualTo(500));
        Assert.That(ex.Cost, Is.EqualTo(CachedAndReasoningCost));
    }

    [Test]
    public async Task A_failed_stream_without_usage_has_no_cost()
    {
        var provider = OpenAI(Catalog());
        var ex = await CatchStreamAsync<StreamInterruptedException>(
            CannedResponse.EventStream(Sse([Chunk("{\"content\":\"Hi\"}", model: "gpt-4o")], done: false)),
            provider: provider);

        Assert.That(ex.Usage, Is.Null);
        Assert.That(ex.Cost, Is.Null);
    }

    [Test]
    public async Task OpenRouter_usage_cost_wins_over_the_catalog()
    {
        // The catalog would say 1,000 × $2.50 + 500 × $10.00 = $0.0075; OpenRouter bills $0.00123 and says so.
        var catalog = new TestModelCatalog().Add(TestModelCatalog.AnyProvider, "openai/gpt-4o", new ModelPrice { Input = 2.50m, Output = 10.00m });
        var provider = Compatible(CompatiblePreset.OpenRouter, catalog);
        const string usage = """{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,"cost":0.00123}""";

        var result = await ChatAsync(CannedResponse.Json(Completion("Hi", usage: usage, model: "openai/gpt-4o")), provider: provider);
        var updates = await StreamAsync(
            CannedResponse.EventStream(Sse([Chunk("{\"content\":\"Hi\"}", model: "openai/gpt-4o"), Chunk("{}", "stop", usage: usage, model: "openai/gpt-4o")])),
            provider: provider);

        Assert.That(result.Cost, Is.EqualTo(0.00123m));
        Assert.That(Final(updates).Cost, Is.EqualTo(0.00123m));
    }

    [Test]
    public async Task OpenRouter_without_a_reported_cost_is_priced_by_the_catalog()
    {
        var catalog = new TestModelCatalog().Add(LlmProviderKinds.OpenRouter, "openai/gpt-4o", new ModelPrice { Input = 2.50m, Output = 10.00m });
        var provider = Compatible(CompatiblePreset.OpenRouter, catalog);
        const string usage = """{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500}""";

        var result = await ChatAsync(CannedResponse.Json(Completion("Hi", usage: usage, model: "openai/gpt-4o")), provider: provider);

        // 1,000 × $2.50 + 500 × $10.00 per million.
        Assert.That(result.Cost, Is.EqualTo(0.0075m));
    }

    [Test]
    public async Task A_local_server_costs_zero_whatever_the_catalog_says()
    {
        var catalog = new TestModelCatalog().Add(TestModelCatalog.AnyProvider, "gpt-4o", Gpt4o);
        var provider = Compatible(CompatiblePreset.Vllm, catalog);

        var result = await ChatAsync(CannedResponse.Json(Completion("Hi", usage: CachedAndReasoningUsage, model: "gpt-4o")), provider: provider);

        Assert.That(result.Cost, Is.EqualTo(0m));
    }

    [Test]
    public async Task The_registration_cost_multiplier_scales_the_cost()
    {
        var provider = OpenAI(Catalog().SetMultiplier("openai-eu", 1.1m), name: "openai-eu");
        var result = await ChatAsync(CannedResponse.Json(Completion("Hi", usage: CachedAndReasoningUsage, model: "gpt-4o")), provider: provider);

        // $0.0065 × 1.1.
        Assert.That(result.Cost, Is.EqualTo(0.00715m));
    }

    private static TestModelCatalog Catalog() => new TestModelCatalog().Add(LlmProviderKinds.OpenAI, "gpt-4o", Gpt4o);

    private OpenAIProvider OpenAI(TestModelCatalog catalog, string name = "openai") =>
        new(new OpenAIProviderOptions { ApiKey = Key }, new HttpClient(Handler), name, Time, null, new OpenAIEnvironment(_ => null), new CostCalculator(catalog));

    private OpenAIProvider Compatible(CompatiblePreset preset, TestModelCatalog catalog)
    {
        OpenAICompatibleProviderOptions options = ReferenceEquals(preset, CompatiblePreset.OpenRouter) ? new OpenRouterProviderOptions() : new OpenAICompatibleProviderOptions();
        options.ApiKey = Key;
        return OpenAICompatibleProviders.Create(preset, options, new HttpClient(Handler), "preset", Time, null, new OpenAICompatibleEnvironment(_ => null), new CostCalculator(catalog));
    }
}
