using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Tests;

/// <summary>Streaming with alt=sse: CRLF framing in random splits, no [DONE], cumulative usage, whole function calls, blocked prompts, raw JSON errors.</summary>
public sealed class GeminiProviderStreamTests : GeminiProviderTestBase
{
    private static string Usage(long candidates, long thoughts) => GeminiWire.Usage(20, candidates, thoughts, 0, 20 + candidates + thoughts);

    // Thoughts, an emoji split across chunks, a function call with a signature, then the finish chunk: the shape of a Gemini 3 stream.
    private static string RichStream => GeminiWire.Sse(
    [
        GeminiWire.Response(GeminiWire.Candidate([GeminiWire.ThoughtPart("Thinking ÷ carefully")], finishReason: null), Usage(0, 8)),
        GeminiWire.Response(GeminiWire.Candidate([GeminiWire.TextPart("Bonjour 👋")], finishReason: null), Usage(3, 8)),
        GeminiWire.Response(GeminiWire.Candidate([GeminiWire.TextPart(" à tous. 你好")], finishReason: null), Usage(7, 8)),
        GeminiWire.Response(GeminiWire.Candidate([GeminiWire.CallPart("get_weather", """{"city":"Paris"}""", "U2lnbmF0dXJl")], "STOP"), Usage(12, 8)),
    ]);

    [Test]
    public async Task Crlf_framed_stream_gives_the_same_result_in_any_byte_split([Range(1, 12)] int seed)
    {
        // Edge cases #1 and #2: reads split inside CRLF pairs and inside multi-byte characters.
        var updates = await StreamAsync(CannedResponse.EventStream(RichStream), bodyOptions: new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 1 + (seed % 5) });

        Assert.That(ConcatText(updates), Is.EqualTo("Bonjour 👋 à tous. 你好"));
        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo("Thinking ÷ carefully"));
        var final = updates[^1];
        Assert.That(final.IsFinal, Is.True);
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        Assert.That(final.ToolCalls!.Single().Name, Is.EqualTo("get_weather"));
        Assert.That(final.ToolCalls![0].AdditionalProperties![GeminiProvider.ThoughtSignatureKey], Is.EqualTo("U2lnbmF0dXJl"));
    }

    [Test]
    public async Task Stream_without_done_ends_at_eof_after_the_finish_reason_even_without_a_closing_blank_line()
    {
        // Edge case #4: no [DONE]; the last event may lack its blank line.
        var body = GeminiWire.Sse([GeminiWire.TextChunk("Hi")]) + "data: " + GeminiWire.FinishChunk();
        var updates = await StreamAsync(CannedResponse.EventStream(body));
        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Bare_cr_line_ends_read_one_byte_at_a_time_frame_events_like_crlf()
    {
        // Edge case #2: the SSE specification also allows a bare CR.
        var body = GeminiWire.Sse([GeminiWire.TextChunk("Grüß "), GeminiWire.TextChunk("dich 🌍"), GeminiWire.FinishChunk()]).Replace("\r\n", "\r", StringComparison.Ordinal);
        var updates = await StreamAsync(CannedResponse.EventStream(body), bodyOptions: new ScriptedBodyOptions { SplitSeed = 3, MaxReadSize = 1 });
        Assert.That(ConcatText(updates), Is.EqualTo("Grüß dich 🌍"));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Lf_framing_comments_and_event_fields_are_accepted()
    {
        // Edge case #3: comments and id/event fields are not data.
        var body = ": keep-alive\n\nevent: message\nid: 1\ndata: " + GeminiWire.TextChunk("A") + "\n\ndata: " + GeminiWire.FinishChunk() + "\n\n";
        var updates = await StreamAsync(CannedResponse.EventStream(body));
        Assert.That(ConcatText(updates), Is.EqualTo("A"));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public async Task Cumulative_usage_is_taken_from_the_last_chunk_never_summed()
    {
        // Edge case #10: usageMetadata repeats in every chunk.
        var updates = await StreamAsync(CannedResponse.EventStream(RichStream));
        var usage = updates[^1].Usage!;
        Assert.That(usage.InputTokenCount, Is.EqualTo(20));
        Assert.That(usage.OutputTokenCount, Is.EqualTo(12 + 8));
        Assert.That(usage.ReasoningTokenCount, Is.EqualTo(8));
        Assert.That(usage.TotalTokenCount, Is.EqualTo(40));
    }

    [Test]
    public async Task Whole_function_calls_in_several_chunks_get_distinct_ids_and_a_tool_calls_finish()
    {
        // Edge case #16: calls arrive whole; STOP is their finish reason.
        var body = GeminiWire.Sse(
        [
            GeminiWire.Response(GeminiWire.Candidate([GeminiWire.CallPart("get_weather", """{"city":"Paris"}""")], finishReason: null)),
            GeminiWire.Response(GeminiWire.Candidate([GeminiWire.CallPart("get_weather", """{"city":"Rome"}""")], "STOP")),
        ]);
        var final = (await StreamAsync(CannedResponse.EventStream(body)))[^1];
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        Assert.That(final.ToolCalls!.Select(c => c.CallId), Is.EqualTo(new[] { "call_0", "call_1" }));
        Assert.That(final.ToolCalls!.Select(c => c.Arguments!["city"]?.ToString()), Is.EqualTo(new[] { "Paris", "Rome" }));
    }

    [Test]
    public async Task A_stream_that_ends_before_any_finish_reason_is_interrupted_with_the_text_so_far()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<StreamInterruptedException>(CannedResponse.EventStream(GeminiWire.Sse([GeminiWire.TextChunk("Bon"), GeminiWire.TextChunk("jour")])), updates);
        Assert.That(ex.PartialText, Is.EqualTo("Bonjour"));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(updates.Any(u => u.IsFinal), Is.False);
    }

    [Test]
    public async Task A_blocked_prompt_in_a_stream_throws_content_filtered_with_the_block_reason()
    {
        // Edge case #20 (stream): a single event with promptFeedback and nothing else.
        var body = GeminiWire.Sse([GeminiWire.Response(null, usage: """{"promptTokenCount":13,"totalTokenCount":13}""", promptFeedback: """{"blockReason":"PROHIBITED_CONTENT"}""")]);
        var ex = await CatchStreamAsync<ContentFilteredException>(CannedResponse.EventStream(body));
        Assert.That(ex.Categories, Is.EqualTo(new[] { "PROHIBITED_CONTENT" }));
        Assert.That(ex.ProviderName, Is.EqualTo("gemini"));
    }

    [Test]
    public async Task A_safety_stop_in_a_stream_finishes_with_content_filter()
    {
        var body = GeminiWire.Sse([GeminiWire.TextChunk("Here is"), GeminiWire.Response(GeminiWire.Candidate(null, "SAFETY"))]);
        var final = (await StreamAsync(CannedResponse.EventStream(body)))[^1];
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ContentFilter));
        Assert.That(final.AdditionalProperties![GeminiProvider.FinishReasonKey], Is.EqualTo("SAFETY"));
    }

    [Test]
    public async Task A_raw_json_error_mid_stream_is_a_typed_error_with_its_retry_delay()
    {
        // Edge case #23: Gemini's failure after HTTP 200 arrives as raw multi-line JSON, not as a data: event.
        var body = GeminiWire.Sse([GeminiWire.TextChunk("Hel")]).Replace("\r\n", "\n", StringComparison.Ordinal) +
            GeminiWire.Error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", GeminiWire.RetryDetails("GenerateRequestsPerMinutePerProjectPerModel", "7s"));
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<RateLimitedException>(CannedResponse.EventStream(body), updates);
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ConcatText(updates), Is.EqualTo("Hel"));
    }

    [Test]
    public async Task An_error_object_in_a_data_event_is_a_typed_error()
    {
        var body = GeminiWire.Sse([GeminiWire.TextChunk("Hel"), """{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"""]);
        var ex = await CatchStreamAsync<ProviderOverloadedException>(CannedResponse.EventStream(body));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task Unframed_text_that_is_not_an_error_is_malformed()
    {
        var body = GeminiWire.Sse([GeminiWire.TextChunk("Hel")]) + "<html>proxy error</html>\r\n";
        await CatchStreamAsync<MalformedResponseException>(CannedResponse.EventStream(body));
    }

    [Test]
    public async Task A_json_array_answer_to_a_stream_request_is_malformed_not_silently_parsed()
    {
        // Edge case #6: without alt=sse Gemini streams one JSON array; the provider always asks for alt=sse and rejects the array.
        var body = "[" + GeminiWire.TextChunk("Hi") + ",\n" + GeminiWire.FinishChunk() + "]";
        var ex = await CatchStreamAsync<MalformedResponseException>(CannedResponse.Json(body));
        Assert.That(ex.Message, Does.Contain("alt=sse"));
        Assert.That(Handler.LastRequest.Uri.Query, Is.EqualTo("?alt=sse"));
    }

    [Test]
    public async Task A_json_error_body_answering_a_stream_with_200_is_the_typed_error()
    {
        var ex = await CatchStreamAsync<ProviderAuthenticationException>(CannedResponse.Json(GeminiWire.Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", GeminiWire.ApiKeyInvalidDetails)));
        Assert.That(ex.ErrorCode, Is.EqualTo("API_KEY_INVALID"));
    }

    [Test]
    public async Task A_stream_error_status_is_typed_before_any_update()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ProviderUnavailableException>(CannedResponse.Json(GeminiWire.Error(503, "UNAVAILABLE", "The service is currently unavailable."), HttpStatusCode.ServiceUnavailable), updates);
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(updates, Is.Empty);
    }

    [Test]
    public async Task Stream_updates_carry_model_version_and_response_id()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(RichStream));
        Assert.That(updates.Where(u => u.Text is not null).All(u => u.Model == "conformance-model-2026-01-01" && u.ResponseId == "resp-conformance-0001"), Is.True);
        Assert.That(updates[^1].Model, Is.EqualTo("conformance-model-2026-01-01"));
    }
}
