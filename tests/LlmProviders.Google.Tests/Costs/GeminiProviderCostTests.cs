using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Google.Tests.Embeddings;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;
using static LlmProviders.Google.Tests.GeminiWire;

namespace LlmProviders.Google.Tests.Costs;

/// <summary>What Gemini results cost (SPEC C2): cached content and thoughts, the long-prompt tier, blocked prompts, embeddings.</summary>
public sealed class GeminiProviderCostTests : GeminiProviderTestBase
{
    private const string Model = "gemini-2.5-pro";

    // $1.25 input, $0.125 cached, $10.00 output per million tokens; above 200K prompt tokens: $2.50, $0.25 and $15.00.
    private static readonly ModelPrice Pro = new()
    {
        Input = 1.25m,
        CachedInput = 0.125m,
        Output = 10.00m,
        Tiers = [new ModelPriceTier { AbovePromptTokens = 200_000, Input = 2.50m, CachedInput = 0.25m, Output = 15.00m }],
    };

    // 10,000 prompt of which 4,000 cached; 800 candidates + 200 thoughts.
    private static readonly string CachedAndThoughtsUsage = Usage(prompt: 10_000, candidates: 800, thoughts: 200, cached: 4_000, total: 11_000);

    // 6,000 × $1.25 + 4,000 × $0.125 + (800 + 200) × $10.00 = $0.0075 + $0.0005 + $0.0100: thoughts are output, charged once.
    private const decimal CachedAndThoughtsCost = 0.018m;

    [Test]
    public async Task Cached_content_and_thoughts_are_each_charged_once_at_their_price()
    {
        var result = await ChatAsync(CannedResponse.Json(Response(Candidate([TextPart("Hi")]), CachedAndThoughtsUsage, model: Model)), provider: Provider());

        Assert.That(result.Cost, Is.EqualTo(CachedAndThoughtsCost));
        Assert.That(result.IsCostKnown, Is.True);
    }

    [Test]
    public async Task A_prompt_above_200K_tokens_is_priced_at_the_long_context_tier()
    {
        // 250,000 prompt of which 50,000 cached; 1,000 output: 200,000 × $2.50 + 50,000 × $0.25 + 1,000 × $15.00 per million.
        string usage = Usage(prompt: 250_000, candidates: 1_000, thoughts: 0, cached: 50_000, total: 251_000);

        var result = await ChatAsync(CannedResponse.Json(Response(Candidate([TextPart("Hi")]), usage, model: Model)), provider: Provider());

        Assert.That(result.Cost, Is.EqualTo(0.5275m));
    }

    [Test]
    public async Task The_final_stream_update_carries_the_cost()
    {
        var body = Sse([Response(Candidate([TextPart("Hi")], finishReason: null), Usage(10_000, 1, 0, 4_000, 10_001), model: Model),
            Response(Candidate([TextPart("!")]), CachedAndThoughtsUsage, model: Model)]);

        var updates = await StreamAsync(CannedResponse.EventStream(body), provider: Provider());

        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].Cost, Is.EqualTo(CachedAndThoughtsCost));
    }

    [Test]
    public async Task A_blocked_prompt_throws_with_the_prompt_usage_and_its_cost()
    {
        string body = Response(null, Usage(prompt: 10_000, candidates: 0, thoughts: 0, cached: 0, total: 10_000), """{"blockReason":"SAFETY"}""", model: Model);

        var ex = await CatchChatAsync<ContentFilteredException>(CannedResponse.Json(body), provider: Provider());

        // 10,000 × $1.25 per million.
        Assert.That(ex.Usage?.InputTokenCount, Is.EqualTo(10_000));
        Assert.That(ex.Cost, Is.EqualTo(0.0125m));
    }

    [Test]
    public async Task A_stream_cut_after_a_chunk_with_usage_throws_with_the_usage_and_its_cost()
    {
        // 10,000 prompt of which 4,000 cached; 1 output so far: 6,000 × $1.25 + 4,000 × $0.125 + 1 × $10.00 per million.
        var body = Sse([Response(Candidate([TextPart("Hi")], finishReason: null), Usage(10_000, 1, 0, 4_000, 10_001), model: Model)]);

        var ex = await CatchStreamAsync<StreamInterruptedException>(CannedResponse.EventStream(body), provider: Provider());

        Assert.That(ex.Usage?.InputTokenCount, Is.EqualTo(10_000));
        Assert.That(ex.Cost, Is.EqualTo(0.00801m));
    }

    [Test]
    public async Task Embeddings_are_priced_by_their_input_tokens()
    {
        // gemini-embedding-001: $0.15 per million input tokens; 2,000 tokens = $0.0003.
        var catalog = new TestModelCatalog().Add(LlmProviderKinds.Google, "gemini-embedding-001", new ModelPrice { Input = 0.15m });
        Handler.Response = CannedResponse.Json(GeminiEmbeddingWire.Single([1f, 2f], """{"promptTokenCount":2000,"totalTokenCount":2000}"""));

        var result = await Provider(catalog).EmbedAsync(new EmbeddingRequest("hello") { Model = "gemini-embedding-001" }).WaitAsync(HangTimeout);

        Assert.That(result.Cost, Is.EqualTo(0.0003m));
    }

    private GeminiProvider Provider(TestModelCatalog? catalog = null) =>
        new(new GeminiProviderOptions { ApiKey = Key }, new HttpClient(Handler), "gemini", Time, null, new GeminiEnvironment(_ => null),
            new CostCalculator(catalog ?? new TestModelCatalog().Add(LlmProviderKinds.Google, Model, Pro)));
}
