using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;
using static LlmProviders.Anthropic.Tests.AnthropicWire;

namespace LlmProviders.Anthropic.Tests.Costs;

/// <summary>What Anthropic results cost (SPEC C2): cache reads, cache writes and output each at their price, failed streams.</summary>
public sealed class AnthropicProviderCostTests : AnthropicProviderTestBase
{
    private const string Model = "claude-sonnet-4-5";

    // $3.00 input, $0.30 cache read, $3.75 cache write, $15.00 output per million tokens.
    private static readonly ModelPrice Sonnet = new() { Input = 3.00m, CachedInput = 0.30m, CacheWrite = 3.75m, Output = 15.00m };

    // 1,000 uncached + 4,000 cache reads + 2,000 cache writes; 500 output of which 100 thinking.
    private static readonly string CacheUsage = Usage(input: 1000, cacheRead: 4000, cacheWrite: 2000, output: 500, thinking: 100);

    // 1,000 × $3.00 + 4,000 × $0.30 + 2,000 × $3.75 + 500 × $15.00 = $0.0030 + $0.0012 + $0.0075 + $0.0075.
    private const decimal CacheCost = 0.0192m;

    [Test]
    public async Task Cache_reads_cache_writes_and_output_are_each_charged_at_their_price()
    {
        var result = await ChatAsync(CannedResponse.Json(Message(TextBlock("Hi"), usage: CacheUsage, model: Model)), provider: Provider());

        Assert.That(result.Cost, Is.EqualTo(CacheCost));
        Assert.That(result.IsCostKnown, Is.True);
    }

    [Test]
    public async Task The_final_stream_update_carries_the_cost_of_the_merged_usage()
    {
        string body = MessageStart(Usage(1000, 4000, 2000, 1), model: Model) + TextStart(0) + TextDelta(0, "Hi") + BlockStop(0) +
            MessageDelta("end_turn", """{"output_tokens":500,"output_tokens_details":{"thinking_tokens":100}}""") + MessageStop();

        var updates = await StreamAsync(CannedResponse.EventStream(body), provider: Provider());

        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].Cost, Is.EqualTo(CacheCost));
    }

    [Test]
    public async Task A_model_the_catalog_does_not_know_has_an_unknown_cost()
    {
        var result = await ChatAsync(CannedResponse.Json(Message(TextBlock("Hi"), usage: CacheUsage, model: "claude-unknown-9")), provider: Provider());

        Assert.That(result.Cost, Is.Null);
        Assert.That(result.IsCostKnown, Is.False);
    }

    [Test]
    public async Task A_stream_cut_after_message_start_throws_with_the_input_usage_and_its_cost()
    {
        string body = MessageStart(Usage(1000, 4000, 2000, 1), model: Model) + TextStart(0) + TextDelta(0, "Hi");

        var ex = await CatchStreamAsync<StreamInterruptedException>(CannedResponse.EventStream(body), provider: Provider());

        // 1,000 × $3.00 + 4,000 × $0.30 + 2,000 × $3.75 + 1 output × $15.00 per million.
        Assert.That(ex.Usage?.InputTokenCount, Is.EqualTo(7000));
        Assert.That(ex.Cost, Is.EqualTo(0.011715m));
    }

    [Test]
    public async Task An_error_event_after_message_start_throws_with_the_usage_and_its_cost()
    {
        string body = MessageStart(Usage(1000, 4000, 2000, 1), model: Model) + TextStart(0) + TextDelta(0, "Hi") + ErrorEvent("overloaded_error", "Overloaded");

        var ex = await CatchStreamAsync<ProviderOverloadedException>(CannedResponse.EventStream(body), provider: Provider());

        Assert.That(ex.Usage?.CachedInputTokenCount, Is.EqualTo(4000));
        Assert.That(ex.Cost, Is.EqualTo(0.011715m));
    }

    private AnthropicProvider Provider() =>
        new(new AnthropicProviderOptions { ApiKey = Key }, new HttpClient(Handler), "anthropic", Time, null, new AnthropicEnvironment(_ => null),
            new CostCalculator(new TestModelCatalog().Add(LlmProviderKinds.Anthropic, Model, Sonnet)));
}
