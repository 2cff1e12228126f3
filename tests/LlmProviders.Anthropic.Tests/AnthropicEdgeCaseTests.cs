using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;
using static LlmProviders.Anthropic.Tests.AnthropicWire;

namespace LlmProviders.Anthropic.Tests;

/// <summary>One test per edge case of the wire SUMMARY.md that concerns Anthropic (#1–4, 9, 12, 15, 18, 21, 23–28, 30, 31).</summary>
public sealed class AnthropicEdgeCaseTests : AnthropicProviderTestBase
{
    private static CannedResponse Sse(params string[] events) => CannedResponse.EventStream(string.Concat(events));

    [Test]
    public async Task Edge01_reads_split_inside_multi_byte_characters_decode_exactly()
    {
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = 3, MaxReadSize = 1 };
        var updates = await StreamAsync(Sse(
            MessageStart(), BlockStart(0, """{"type":"thinking","thinking":"","signature":""}"""), ThinkingDelta(0, " ÷ 5 "), SignatureDelta(0, "sig"), BlockStop(0),
            TextStart(1), TextDelta(1, "👋 "), TextDelta(1, "你好"), BlockStop(1), MessageDelta("end_turn"), MessageStop()));
        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo(" ÷ 5 "));
        Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("👋 你好"));
    }

    [Test]
    public async Task Edge02_crlf_and_bare_cr_line_ends_frame_events_like_lf()
    {
        string body = string.Concat(MessageStart(), TextStart(0), TextDelta(0, "a"), TextDelta(0, "b"), BlockStop(0), MessageDelta("end_turn"), MessageStop());
        var crlf = await StreamAsync(CannedResponse.EventStream(body.Replace("\n", "\r\n", StringComparison.Ordinal)));
        var cr = await StreamAsync(CannedResponse.EventStream(body.Replace("\n", "\r", StringComparison.Ordinal)));
        Assert.That(string.Concat(crlf.Select(u => u.Text)), Is.EqualTo("ab"));
        Assert.That(string.Concat(cr.Select(u => u.Text)), Is.EqualTo("ab"));
        Assert.That(cr[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Edge03_event_lines_comments_and_id_fields_are_not_parsed_as_json()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(
            ": keep-alive comment\n" + MessageStart() + "id: 7\nretry: 1000\n" + TextStart(0) + ": another comment\n\n" + TextDelta(0, "ok") + BlockStop(0) + MessageDelta("end_turn") + MessageStop()));
        Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Edge04_message_stop_ends_the_stream_without_done_even_when_its_blank_line_is_missing()
    {
        string body = string.Concat(MessageStart(), TextStart(0), TextDelta(0, "end"), BlockStop(0), MessageDelta("end_turn"), MessageStop()).TrimEnd('\n');
        var updates = await StreamAsync(CannedResponse.EventStream(body));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(updates[^1].Usage!.OutputTokenCount, Is.EqualTo(17));
    }

    [Test]
    public async Task Edge09_stream_usage_takes_input_from_message_start_and_output_from_the_last_delta_never_summed()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(Usage(565, 0, 0, 7)), ToolStart(0, "toolu_1", "updateIssueList"), JsonDelta(0, string.Empty), BlockStop(0),
            MessageDelta("tool_use", """{"input_tokens":565,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":48}"""), MessageStop()));
        Assert.That(updates[^1].Usage!.InputTokenCount, Is.EqualTo(565));
        Assert.That(updates[^1].Usage!.OutputTokenCount, Is.EqualTo(48), "48 is cumulative: not 7 + 48.");
    }

    [Test]
    public async Task Edge12_thinking_tokens_come_from_output_tokens_details_and_stay_inside_output()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(Usage(69, 0, 0, 2)), TextStart(0), TextDelta(0, "185"), BlockStop(0),
            MessageDelta("end_turn", """{"output_tokens":120,"output_tokens_details":{"thinking_tokens":100}}"""), MessageStop()));
        Assert.That(updates[^1].Usage!.ReasoningTokenCount, Is.EqualTo(100));
        Assert.That(updates[^1].Usage!.OutputTokenCount, Is.EqualTo(120));
    }

    [Test]
    public async Task Edge15_tool_input_ignores_the_empty_start_object_and_assembles_partial_json()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(), ToolStart(0, "toolu_a", "get_weather"), JsonDelta(0, string.Empty), JsonDelta(0, "{\"ci"), JsonDelta(0, "ty\":\"Paris\"}"), BlockStop(0),
            ToolStart(1, "toolu_b", "no_args"), JsonDelta(1, string.Empty), BlockStop(1),
            MessageDelta("tool_use"), MessageStop()));
        var calls = updates[^1].ToolCalls!;
        Assert.That(calls[0].Arguments!["city"]?.ToString(), Is.EqualTo("Paris"));
        Assert.That(calls[1].Arguments, Is.Empty);
    }

    [TestCase("end_turn", "stop")]
    [TestCase("stop_sequence", "stop")]
    [TestCase("max_tokens", "length")]
    [TestCase("tool_use", "tool_calls")]
    [TestCase("refusal", "content_filter")]
    [TestCase("pause_turn", "pause_turn")]
    [TestCase("model_context_window_exceeded", "length")]
    [TestCase("brand_new_reason", "brand_new_reason")]
    public async Task Edge18_stop_reasons_map_and_unknown_ones_stay_raw(string stopReason, string expected)
    {
        var result = await ChatAsync(CannedResponse.Json(TextMessage("x", stopReason)));
        Assert.That(result.FinishReason?.Value, Is.EqualTo(expected));
    }

    [Test]
    public async Task Edge21_a_refusal_with_empty_content_sets_refusal_from_stop_details()
    {
        var result = await ChatAsync(CannedResponse.Json(Message(string.Empty, "refusal", extra: ""","stop_details":{"type":"refusal","category":"cyber","explanation":"Blocked under the Usage Policy.","recommended_model":"claude-x"}""")));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ContentFilter));
        Assert.That(result.Refusal, Is.EqualTo("Blocked under the Usage Policy."));
        Assert.That(result.Message.Contents, Is.Empty);
    }

    [Test]
    public async Task Edge23_an_error_event_after_a_200_is_an_exception_not_text()
    {
        var updates = new System.Collections.Generic.List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ProviderOverloadedException>(Sse(MessageStart(), TextStart(0), TextDelta(0, "Hi"), ErrorEvent("overloaded_error", "Overloaded")), updates);
        Assert.That(ex.Message, Does.Contain("Overloaded"));
        Assert.That(string.Concat(updates.Select(u => u.Text)), Does.Not.Contain("Overloaded"));
    }

    [Test]
    public async Task Edge24_the_nested_error_type_is_read_and_the_raw_body_kept()
    {
        var body = Error("permission_error", "Your API key does not have permission to use the specified resource.", "req_0123");
        var ex = await CatchChatAsync<ProviderPermissionException>(CannedResponse.Json(body, HttpStatusCode.Forbidden));
        Assert.That(ex.ErrorType, Is.EqualTo("permission_error"));
        Assert.That(ex.ResponseBody, Does.Contain("req_0123"));
    }

    [Test]
    public async Task Edge25_an_exhausted_credit_balance_is_not_retried_forever()
    {
        var ex = await CatchChatAsync<QuotaExhaustedException>(CannedResponse.Json(Error("invalid_request_error", "Your credit balance is too low to access the Anthropic API."), HttpStatusCode.BadRequest)
            .WithHeader("x-should-retry", "true"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Edge26_retry_after_ms_wins_and_x_should_retry_false_is_honoured()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(Error("rate_limit_error", "Slow down"), HttpStatusCode.TooManyRequests)
            .WithHeader("retry-after-ms", "2500").WithHeader("retry-after", "3").WithHeader("x-should-retry", "false"));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(2500)));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Edge27_a_529_is_a_retryable_overload()
    {
        var ex = await CatchChatAsync<ProviderOverloadedException>(CannedResponse.Json("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", (HttpStatusCode)529));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.Kind, Is.EqualTo(LlmErrorKind.Overloaded));
    }

    [Test]
    public async Task Edge28_the_model_list_shape_has_data_has_more_and_last_id()
    {
        Handler.Enqueue(CannedResponse.Json(Models(true, "m1")), CannedResponse.Json(Models(false, "m2")));
        var models = await CreateProvider().ListModelsAsync();
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "m1", "m2" }));
        Assert.That(Handler.Requests[1].Uri.Query, Does.Contain("after_id=m1"));
    }

    [Test]
    public async Task Edge30_created_at_is_read_as_rfc_3339()
    {
        Handler.Response = CannedResponse.Json("""{"data":[{"type":"model","id":"m","display_name":"M","created_at":"2025-02-19T12:34:56.789+02:00"}],"has_more":false,"first_id":"m","last_id":"m"}""");
        var model = (await CreateProvider().ListModelsAsync()).Single();
        Assert.That(model.CreatedAt, Is.EqualTo(new DateTimeOffset(2025, 2, 19, 10, 34, 56, 789, TimeSpan.Zero)));
    }

    [Test]
    public async Task Edge31_unknown_fields_and_values_are_read_leniently()
    {
        var body = """{"model":"claude-x","id":"msg_1","type":"message","role":"assistant","container":null,"content":[{"type":"text","text":"ok","citations":null,"future":{"a":[1,2]}}],"stop_reason":"end_turn","stop_sequence":null,"stop_details":null,"usage":{"input_tokens":1,"output_tokens":2,"service_tier":"priority","inference_geo":"eu","server_tool_use":{"web_search_requests":1},"cache_creation":{"ephemeral_5m_input_tokens":0}},"brand_new":true}""";
        var result = await ChatAsync(CannedResponse.Json(body));
        Assert.That(result.Text, Is.EqualTo("ok"));
        Assert.That(result.Usage!.TotalTokenCount, Is.EqualTo(3));
    }
}
