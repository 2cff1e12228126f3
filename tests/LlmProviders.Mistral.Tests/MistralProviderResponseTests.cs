using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Mistral.Tests;

/// <summary>How Mistral's answers are read, whole and streamed: the SUMMARY.md edge cases that concern Mistral.</summary>
public sealed class MistralProviderResponseTests : MistralProviderTestBase
{
    private const string Model = "mistral-small-latest";

    private static string Chunk(string delta, string? finish = null, string? usage = null) =>
        MistralWire.Chunk(delta, finish, usage, MistralWire.HexId, Model);

    // Edge case #1: an emoji answer streamed in reads of 1..3 bytes, split inside the 4-byte sequences.
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(42)]
    public async Task Emoji_text_survives_byte_splits_inside_utf8_sequences(int seed)
    {
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 3 };
        var deltas = new[] { "Would you celebrate it? ", "\U0001F60A", " Ça va, 你好 👋" };
        var body = MistralWire.Sse(new[] { Chunk("""{"role":"assistant","content":""}""") }
            .Concat(deltas.Select(d => Chunk($$$"""{"content":{{{MistralWire.Str(d)}}}}""")))
            .Append(Chunk("""{"content":""}""", "stop", MistralWire.Usage(13, 8, 21))));

        var updates = await StreamAsync(CannedResponse.EventStream(body));

        Assert.That(ConcatText(updates), Is.EqualTo(string.Concat(deltas)));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Chat_reads_text_usage_id_and_model_with_usage_before_choices()
    {
        var result = await ChatAsync(CannedResponse.Json(MistralWire.Completion("Kindness is universal \U0001F60A", usage: MistralWire.Usage(13, 434, 447), id: MistralWire.HexId, model: Model)));

        Assert.That(result.Text, Is.EqualTo("Kindness is universal \U0001F60A"));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(result.ResponseId, Is.EqualTo(MistralWire.HexId));
        Assert.That(result.Model, Is.EqualTo(Model));
        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(13));
        Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(434));
        Assert.That(result.Usage.TotalTokenCount, Is.EqualTo(447));
        Assert.That(result.ToolCalls, Is.Empty, "tool_calls: null is no call");
        Assert.That(result.ProviderName, Is.EqualTo("mistral"));
    }

    // Edge cases #7/#8: usage: null in every chunk but the finish chunk, role: null in later deltas; no choices:[] usage chunk.
    [Test]
    public async Task Stream_reads_usage_from_the_finish_chunk_after_null_usage_and_null_roles()
    {
        var body = MistralWire.Sse(
        [
            Chunk("""{"role":"assistant","content":""}""", usage: "null"),
            Chunk("""{"role":null,"content":"It"}""", usage: "null"),
            Chunk("""{"role":null,"content":" is"}""", usage: "null"),
            Chunk("""{"role":null,"content":" subjective."}""", usage: "null"),
            Chunk("""{"content":""}""", "stop", MistralWire.Usage(15, 4, 19)),
        ]);

        var updates = await StreamAsync(CannedResponse.EventStream(body));

        Assert.That(updates.Where(u => !u.IsFinal).Select(u => u.Text), Is.EqualTo(new[] { "It", " is", " subjective." }));
        var final = updates.Single(u => u.IsFinal);
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(final.Usage!.InputTokenCount, Is.EqualTo(15));
        Assert.That(final.Usage.OutputTokenCount, Is.EqualTo(4));
        Assert.That(final.Usage.TotalTokenCount, Is.EqualTo(19));
        Assert.That(final.ResponseId, Is.EqualTo(MistralWire.HexId));
        Assert.That(final.Model, Is.EqualTo(Model));
    }

    // Edge cases #12/#22: magistral answers with content blocks; "thinking" blocks hold an array of text blocks.
    [Test]
    public async Task Chat_reads_magistral_thinking_blocks_as_reasoning_and_text_blocks_as_the_answer()
    {
        var content = """[{"type":"thinking","thinking":[{"type":"text","text":"The user asks 2+2. "},{"type":"text","text":"That is 4."}]},{"type":"text","text":"2 + 2 = 4"}]""";
        var result = await ChatAsync(CannedResponse.Json(MistralWire.CompletionRaw(content, model: "magistral-medium-2507")));

        Assert.That(result.Text, Is.EqualTo("2 + 2 = 4"));
        Assert.That(result.ReasoningText, Is.EqualTo("The user asks 2+2. That is 4."));
        Assert.That(result.Message.Contents[0], Is.TypeOf<TextReasoningContent>());
        Assert.That(result.Model, Is.EqualTo("magistral-medium-2507"));
    }

    // Edge cases #12/#22 streamed: content arrays of thinking blocks, then text blocks, then a final delta.content "".
    [Test]
    public async Task Stream_reads_magistral_thinking_block_deltas_as_reasoning()
    {
        var body = MistralWire.Sse(
        [
            Chunk("""{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":"The user is asking"}]}]}"""),
            Chunk("""{"content":[{"type":"thinking","thinking":[{"type":"text","text":" for 2+2."}]}]}"""),
            Chunk("""{"content":[{"type":"text","text":"2 + 2 = 4"}]}"""),
            Chunk("""{"content":""}""", "stop", MistralWire.Usage(10, 46, 56)),
        ]);

        var updates = await StreamAsync(CannedResponse.EventStream(body));

        Assert.That(ConcatReasoning(updates), Is.EqualTo("The user is asking for 2+2."));
        Assert.That(ConcatText(updates), Is.EqualTo("2 + 2 = 4"));
        Assert.That(updates.Where(u => !u.IsFinal).Select(u => u.Text is null), Is.EqualTo(new[] { true, true, false }), "thinking deltas carry no answer text");
        Assert.That(updates[^1].Usage!.TotalTokenCount, Is.EqualTo(56));
    }

    // Edge case #14: tool calls without type or index, non-streamed, content absent.
    [Test]
    public async Task Chat_reads_tool_calls_without_type_or_index()
    {
        var calls = "[" + MistralWire.ToolCall("gSIMJiOkT", "weather", """{"location": "San Francisco"}""") + "," +
            MistralWire.ToolCall("ejOH4Z1A2", "time", """{"zone": "PST"}""") + "]";
        var body = $$$"""{"id":"{{{MistralWire.HexId}}}","created":1769088854,"model":"mistral-small-latest","usage":{"prompt_tokens":124,"total_tokens":146,"completion_tokens":22},"object":"chat.completion","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","tool_calls":{{{calls}}}}}]}""";

        var result = await ChatAsync(CannedResponse.Json(body));

        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        Assert.That(result.ToolCalls.Select(c => c.CallId), Is.EqualTo(new[] { "gSIMJiOkT", "ejOH4Z1A2" }));
        Assert.That(result.ToolCalls[0].Name, Is.EqualTo("weather"));
        Assert.That(result.ToolCalls[0].Arguments!["location"]?.ToString(), Is.EqualTo("San Francisco"));
        Assert.That(result.ToolCalls[1].Arguments!["zone"]?.ToString(), Is.EqualTo("PST"));
        Assert.That(result.Text, Is.Empty);
    }

    // Edge case #14 streamed: one delta carries the whole call (no index), the finish reason and the usage; content: null.
    [Test]
    public async Task Stream_reads_a_whole_tool_call_without_index_in_the_finish_chunk()
    {
        var body = MistralWire.Sse(
        [
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"content":null,"tool_calls":[{"id":"u2ef3Udel","function":{"name":"get_weather","arguments":"{\"location\": \"Paris\", \"unit\": \"celsius\"}"}},{"id":"Qw3rTy7Ui","function":{"name":"get_time","arguments":"{\"zone\": \"CET\"}"}}]}""", "tool_calls", MistralWire.Usage(118, 31, 149)),
        ]);

        var updates = await StreamAsync(CannedResponse.EventStream(body));

        var final = updates.Single(u => u.IsFinal);
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        Assert.That(final.ToolCalls!.Select(c => (c.CallId, c.Name)), Is.EqualTo(new[] { ("u2ef3Udel", "get_weather"), ("Qw3rTy7Ui", "get_time") }));
        Assert.That(final.ToolCalls![0].Arguments!["unit"]?.ToString(), Is.EqualTo("celsius"));
        Assert.That(final.ToolCalls[1].Arguments!["zone"]?.ToString(), Is.EqualTo("CET"));
        Assert.That(final.Usage!.TotalTokenCount, Is.EqualTo(149));
        Assert.That(ConcatText(updates), Is.Empty);
    }

    // Edge case #14, the other variant seen on Mistral's endpoint (GLM): fragments with index inside each call and inside delta, empty name later.
    [Test]
    public async Task Stream_assembles_incremental_tool_call_with_index_inside_delta()
    {
        var body = MistralWire.Sse(
        [
            Chunk("""{"tool_calls":[{"id":"chatcmpl-tool-9f149c74","type":"function","function":{"name":"webSearchTool","arguments":""},"index":0}],"index":0,"content":""}"""),
            Chunk("""{"tool_calls":[{"type":"function","function":{"name":"","arguments":"{\"query\": \"current "}, "index":0}],"index":0,"content":""}"""),
            Chunk("""{"tool_calls":[{"type":"function","function":{"name":"","arguments":"Berlin weather\"}"},"index":0}],"index":0,"content":""}"""),
            Chunk("""{"index":0,"content":""}""", "tool_calls", """{"prompt_tokens":171,"total_tokens":185,"completion_tokens":14,"prompt_tokens_details":{"cached_tokens":128}}"""),
        ]);

        var updates = await StreamAsync(CannedResponse.EventStream(body));

        var call = updates.Single(u => u.IsFinal).ToolCalls!.Single();
        Assert.That(call.CallId, Is.EqualTo("chatcmpl-tool-9f149c74"));
        Assert.That(call.Name, Is.EqualTo("webSearchTool"));
        Assert.That(call.Arguments!["query"]?.ToString(), Is.EqualTo("current Berlin weather"));
        Assert.That(updates[^1].Usage!.CachedInputTokenCount, Is.EqualTo(128));
    }

    // Edge case #18: Mistral's finish reasons.
    [TestCase("stop", "stop")]
    [TestCase("length", "length")]
    [TestCase("model_length", "length")]
    [TestCase("tool_calls", "tool_calls")]
    [TestCase("error", "error")]
    public async Task Finish_reason_maps(string wire, string expected)
    {
        var result = await ChatAsync(CannedResponse.Json(MistralWire.Completion("partial", wire)));
        Assert.That(result.FinishReason!.Value.Value, Is.EqualTo(expected));
    }

    // Edge case #18 streamed: model_length (the context window ran out) is a length stop.
    [Test]
    public async Task Stream_finish_reason_model_length_is_length()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(MistralWire.Sse([Chunk("""{"content":"Once upon"}"""), Chunk("""{"content":""}""", "model_length", MistralWire.Usage(32760, 8, 32768))])));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Length));
        Assert.That(ConcatText(updates), Is.EqualTo("Once upon"));
    }

    // Edge case #31: unknown fields everywhere are skipped.
    [Test]
    public async Task Unknown_fields_in_completion_and_chunks_are_ignored()
    {
        var completion = $$$"""{"id":"{{{MistralWire.HexId}}}","object":"chat.completion","created":1,"model":"mistral-large-latest","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","prefix":false,"tool_calls":null,"future":{"x":[1,2]}},"finish_reason":"stop","logprobs":null,"stop_details":{}}],"usage":{"prompt_tokens":1,"total_tokens":2,"completion_tokens":1,"prompt_audio_seconds":null},"service_tier":"standard","p":"abc"}""";
        var result = await ChatAsync(CannedResponse.Json(completion));
        Assert.That(result.Text, Is.EqualTo("Hi"));
        Assert.That(result.Usage!.TotalTokenCount, Is.EqualTo(2));

        var stream = MistralWire.Sse(
        [
            Chunk("""{"role":"assistant","content":"Hi","future":[{"a":1}]}""").Replace("\"logprobs\":null", "\"logprobs\":null,\"stop_details\":{\"k\":true}", StringComparison.Ordinal),
            Chunk("""{"content":""}""", "stop", MistralWire.Usage(1, 1, 2)).Replace("\"created\"", "\"p\":\"obf\",\"created\"", StringComparison.Ordinal),
        ]);
        var updates = await StreamAsync(CannedResponse.EventStream(stream));
        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Stream_without_done_after_the_finish_chunk_completes()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(MistralWire.Sse([Chunk("""{"content":"Hi"}"""), Chunk("""{"content":""}""", "stop", MistralWire.Usage(1, 1, 2))], done: false)));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].Usage!.TotalTokenCount, Is.EqualTo(2));
    }

    // Edge case #23: a flat Mistral error object after HTTP 200 is the provider's error, not text and not garbage.
    [Test]
    public async Task Mid_stream_flat_error_object_throws_the_typed_error()
    {
        var updates = new List<ChatStreamUpdate>();
        var body = MistralWire.Sse([Chunk("""{"content":"Hel"}"""), MistralWire.Error("Service tier capacity exceeded for this model.", "service_tier_capacity_exceeded", "3505")], done: false);
        var ex = await CatchStreamAsync<ProviderOverloadedException>(CannedResponse.EventStream(body), updates);
        Assert.That(ConcatText(updates), Is.EqualTo("Hel"));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.Message, Does.Contain("capacity exceeded"));
    }
}
