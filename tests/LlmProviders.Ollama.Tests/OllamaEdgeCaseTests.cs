using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Tests;

/// <summary>
/// One test per edge case of <c>reference/wire/SUMMARY.md</c> that concerns Ollama (#1, 2, 5, 11, 16, 17, 18, 23, 24, 28, 30, 31).
/// </summary>
public sealed class OllamaEdgeCaseTests : OllamaProviderTestBase
{
    /// <summary>#1: reads that end mid-line and inside a 4-byte emoji still give the exact text.</summary>
    [Test]
    public async Task EdgeCase01_lines_split_inside_multibyte_characters_decode_exactly()
    {
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = 3, MaxReadSize = 1 };
        var updates = await StreamAsync(CannedResponse.Ndjson(OllamaWire.Line("Hi 👋"), OllamaWire.Line(" wörld 你好"), OllamaWire.DoneLine()));
        Assert.That(ConcatText(updates), Is.EqualTo("Hi 👋 wörld 你好"));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    /// <summary>#2: CRLF line ends (a proxy re-writing the body) frame the NDJSON lines like LF.</summary>
    [Test]
    public async Task EdgeCase02_crlf_line_ends_frame_the_stream_like_lf()
    {
        var body = string.Join("\r\n", OllamaWire.Line("a"), OllamaWire.Line("b"), OllamaWire.DoneLine()) + "\r\n";
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = 5, MaxReadSize = 2 };
        var updates = await StreamAsync(CannedResponse.Ndjson().WithBody(body));
        Assert.That(ConcatText(updates), Is.EqualTo("ab"));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    /// <summary>#5: Ollama streams by default, so a plain call always sends <c>"stream": false</c>.</summary>
    [Test]
    public async Task EdgeCase05_plain_call_always_sends_stream_false()
    {
        var body = await SentBody(Ask());
        Assert.That(body.GetProperty("stream").GetBoolean(), Is.False);
        Assert.That(Handler.LastRequest.BodyText, Does.Contain("\"stream\":false"));
    }

    /// <summary>#11: metrics are omitempty: a missing <c>prompt_eval_count</c> (prompt fully cached) is 0 input tokens, not unknown.</summary>
    [Test]
    public async Task EdgeCase11_missing_counts_in_the_done_object_are_zero()
    {
        var updates = await StreamAsync(CannedResponse.Ndjson(OllamaWire.Line("Hi"), OllamaWire.DoneLine(metrics: OllamaWire.Metrics(null, 3))));
        var usage = updates[^1].Usage!;
        Assert.That(usage.InputTokenCount, Is.EqualTo(0));
        Assert.That(usage.OutputTokenCount, Is.EqualTo(3));
        Assert.That(usage.TotalTokenCount, Is.EqualTo(3));
    }

    /// <summary>#16: tool calls arrive whole with arguments as objects and <c>done_reason: "stop"</c>: the finish is tool calls, by content.</summary>
    [Test]
    public async Task EdgeCase16_whole_tool_calls_with_done_reason_stop_finish_with_tool_calls()
    {
        var calls = "[" + OllamaWire.ToolCall("get_weather", """{"city":"Tokyo","days":3}""") + "]";
        var updates = await StreamAsync(CannedResponse.Ndjson(OllamaWire.Line(null, toolCalls: calls), OllamaWire.DoneLine("stop")));
        var final = updates[^1];
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        var call = final.ToolCalls!.Single();
        Assert.That(call.Name, Is.EqualTo("get_weather"));
        Assert.That(call.Arguments!["city"]?.ToString(), Is.EqualTo("Tokyo"));
        Assert.That(call.Arguments["days"]?.ToString(), Is.EqualTo("3"));
    }

    /// <summary>#17: tool calls without ids get stable generated ids (<c>call_0</c>, <c>call_1</c> …), the same on every run.</summary>
    [Test]
    public async Task EdgeCase17_tool_calls_without_ids_get_stable_generated_ids()
    {
        var calls = "[" + OllamaWire.ToolCall("a", "{}") + "," + OllamaWire.ToolCall("b", "{}") + "]";
        var first = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("", toolCalls: calls)));
        var second = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("", toolCalls: calls)));
        var streamed = await StreamAsync(CannedResponse.Ndjson(
            OllamaWire.Line(null, toolCalls: "[" + OllamaWire.ToolCall("a", "{}") + "]"),
            OllamaWire.Line(null, toolCalls: "[" + OllamaWire.ToolCall("b", "{}") + "]"),
            OllamaWire.DoneLine()));

        Assert.That(first.ToolCalls.Select(c => c.CallId), Is.EqualTo(new[] { "call_0", "call_1" }));
        Assert.That(second.ToolCalls.Select(c => c.CallId), Is.EqualTo(new[] { "call_0", "call_1" }));
        Assert.That(streamed[^1].ToolCalls!.Select(c => c.CallId), Is.EqualTo(new[] { "call_0", "call_1" }), "Ids count across the lines of one stream.");
    }

    /// <summary>#18: <c>load</c> (empty messages) and <c>unload</c> (keep_alive 0) done reasons carry no message and keep their raw value.</summary>
    [TestCase("load")]
    [TestCase("unload")]
    public async Task EdgeCase18_load_and_unload_done_reasons_keep_their_raw_value(string reason)
    {
        var body = $$$"""{"model":"llama3.2","created_at":"2024-09-12T21:17:29.110811Z","message":{"role":"assistant","content":""},"done_reason":"{{{reason}}}","done":true}""";
        var result = await ChatAsync(CannedResponse.Json(body));
        Assert.That(result.FinishReason, Is.EqualTo(new ChatFinishReason(reason)));
        Assert.That(FinishReasons.IsKnown(result.FinishReason!.Value), Is.False);
        Assert.That(result.Text, Is.Empty);
        Assert.That(result.Usage!.TotalTokenCount, Is.EqualTo(0));

        var updates = await StreamAsync(CannedResponse.Ndjson(body));
        Assert.That(updates.Single().FinishReason, Is.EqualTo(new ChatFinishReason(reason)));
    }

    /// <summary>#23: an <c>{"error": …}</c> line in a 200 stream is an exception, never text.</summary>
    [Test]
    public async Task EdgeCase23_midstream_error_line_is_an_exception_not_text()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<LlmProviderException>(
            CannedResponse.Ndjson(OllamaWire.Line("The"), OllamaWire.Error("an error was encountered while running the model")), updates);
        Assert.That(ex, Is.TypeOf<ProviderUnavailableException>());
        Assert.That(ConcatText(updates), Does.Not.Contain("error"));
        Assert.That(ex.StatusCode, Is.Null, "The error came inside a 200 stream, not as a status.");
    }

    /// <summary>#24: the error body is a string (<c>{"error":"…"}</c>), parsed defensively; the raw body is kept.</summary>
    [Test]
    public async Task EdgeCase24_string_error_body_is_parsed_and_the_raw_body_kept()
    {
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse.Json(OllamaWire.Error("model is required"), HttpStatusCode.BadRequest));
        Assert.That(ex.Message, Does.Contain("model is required"));
        Assert.That(ex.ResponseBody, Is.EqualTo(OllamaWire.Error("model is required")));

        var objectShaped = await CatchChatAsync<ProviderUnavailableException>(CannedResponse.Json("""{"error":{"message":"proxy says no"}}""", HttpStatusCode.BadGateway));
        Assert.That(objectShaped.Message, Does.Contain("proxy says no"));
    }

    /// <summary>#28: the model list is <c>{"models":[{name, model, details}]}</c>; <c>"models": null</c> is an empty list.</summary>
    [Test]
    public async Task EdgeCase28_models_array_shape_is_read_and_null_means_empty()
    {
        Handler.Response = CannedResponse.Json("""{"models":[{"name":"phi3:mini","model":"phi3:mini","details":{"parameter_size":"3.8B"}},{"model":"only-model-field"}]}""");
        var models = await CreateProvider().ListModelsAsync();
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "phi3:mini", "only-model-field" }));

        Handler.Response = CannedResponse.Json("""{"models":null}""");
        Assert.That(await CreateProvider().ListModelsAsync(), Is.Empty);
    }

    /// <summary>#30: <c>created_at</c> with nine fractional digits and a local offset is parsed (DateTime.Parse would fail).</summary>
    [Test]
    public async Task EdgeCase30_nanosecond_timestamps_with_offsets_are_parsed()
    {
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("Hi")));
        var created = (DateTimeOffset)result.AdditionalProperties![OllamaProvider.CreatedAtProperty]!;
        Assert.That(created, Is.EqualTo(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.FromHours(-7)).AddTicks(1234567)));
        Assert.That(created.Offset, Is.EqualTo(TimeSpan.FromHours(-7)));
    }

    /// <summary>#31: unknown fields (<c>remote_model</c>, <c>logprobs</c>, <c>_debug_info</c>, new message fields) are ignored.</summary>
    [Test]
    public async Task EdgeCase31_unknown_fields_are_ignored()
    {
        var body = """{"model":"llama3.2","remote_model":"gpt-oss:120b","remote_host":"https://ollama.com","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"Hi","images":null,"tool_name":"x","future":{"a":[1,2]}},"logprobs":[{"token":"Hi","logprob":-0.1}],"_debug_info":{"template":"t"},"done_reason":"stop","done":true,"eval_count":1,"brand_new_metric":7}""";
        var result = await ChatAsync(CannedResponse.Json(body));
        Assert.That(result.Text, Is.EqualTo("Hi"));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(result.Usage!.OutputTokenCount, Is.EqualTo(1));
        var stream = await StreamAsync(CannedResponse.Ndjson(body));
        Assert.That(ConcatText(stream), Is.EqualTo("Hi"));
    }
}
