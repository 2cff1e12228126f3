using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;
using static LlmProviders.Anthropic.Tests.AnthropicWire;

namespace LlmProviders.Anthropic.Tests;

/// <summary>Streaming: cumulative usage, partial_json assembly, incomplete tool calls, ping, error events, thinking.</summary>
public sealed class AnthropicProviderStreamTests : AnthropicProviderTestBase
{
    private static CannedResponse Sse(params string[] events) => CannedResponse.EventStream(string.Concat(events));

    [Test]
    public async Task Output_tokens_come_from_the_last_cumulative_message_delta_and_are_never_summed()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(Usage(100, 0, 0, 1)), TextStart(0), TextDelta(0, "Hi"), BlockStop(0),
            MessageDelta(null, """{"output_tokens":10}"""),
            MessageDelta("end_turn", """{"output_tokens":25}"""),
            MessageStop()));

        var usage = updates[^1].Usage!;
        Assert.Multiple(() =>
        {
            Assert.That(usage.OutputTokenCount, Is.EqualTo(25));
            Assert.That(usage.InputTokenCount, Is.EqualTo(100));
            Assert.That(usage.TotalTokenCount, Is.EqualTo(125));
        });
    }

    [Test]
    public async Task A_changed_input_tokens_in_message_delta_wins_over_message_start()
    {
        var updates = await StreamAsync(Sse(
            MessageStart("""{"input_tokens":43,"output_tokens":1}"""), TextStart(0), TextDelta(0, "p"), Ping(), TextDelta(0, "ong"), BlockStop(0),
            MessageDelta("end_turn", """{"input_tokens":61,"output_tokens":2}"""), MessageStop()));

        var usage = updates[^1].Usage!;
        Assert.That(usage.InputTokenCount, Is.EqualTo(61));
        Assert.That(usage.OutputTokenCount, Is.EqualTo(2));
        Assert.That(usage.TotalTokenCount, Is.EqualTo(63));
    }

    [Test]
    public async Task Cache_read_and_write_tokens_from_message_start_are_reported_in_usage()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(Usage(3, 6289, 120, 1)), TextStart(0), TextDelta(0, "ok"), BlockStop(0),
            MessageDelta("end_turn", """{"input_tokens":3,"cache_creation_input_tokens":120,"cache_read_input_tokens":6289,"output_tokens":9}"""), MessageStop()));

        var usage = updates[^1].Usage!;
        Assert.Multiple(() =>
        {
            Assert.That(usage.InputTokenCount, Is.EqualTo(3 + 6289 + 120));
            Assert.That(usage.CachedInputTokenCount, Is.EqualTo(6289));
            Assert.That(usage.AdditionalCounts![UsageCounts.CacheWriteInputTokens], Is.EqualTo(120));
            Assert.That(usage.ReasoningTokenCount, Is.Null, "Thinking tokens are reported only when the API sends them.");
        });
    }

    [Test]
    public async Task Usage_is_reported_once_on_the_final_update_only()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(TextStream(["a", "b", "c"])));
        Assert.That(updates.Count(u => u.Usage is not null), Is.EqualTo(1));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].Usage, Is.Not.Null);
    }

    [Test]
    public async Task Tool_input_is_the_concatenated_partial_json_after_an_empty_first_fragment()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(), TextStart(0), TextDelta(0, "Let me check."), BlockStop(0),
            ToolStart(1, "toolu_01", "get_weather"), JsonDelta(1, string.Empty), JsonDelta(1, "{\"locati"), Ping(), JsonDelta(1, "on\": \"San Fra"), JsonDelta(1, "ncisco\"}"), BlockStop(1),
            MessageDelta("tool_use"), MessageStop()));

        var final = updates[^1];
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        var call = final.ToolCalls!.Single();
        Assert.That(call.CallId, Is.EqualTo("toolu_01"));
        Assert.That(call.Name, Is.EqualTo("get_weather"));
        Assert.That(call.Exception, Is.Null);
        Assert.That(call.Arguments!["location"]?.ToString(), Is.EqualTo("San Francisco"));
    }

    [Test]
    public async Task A_no_argument_tool_with_only_an_empty_fragment_gets_an_empty_object()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(), ToolStart(0, "toolu_02", "updateIssueList"), Ping(), JsonDelta(0, string.Empty), BlockStop(0),
            MessageDelta("tool_use"), MessageStop()));

        var call = updates[^1].ToolCalls!.Single();
        Assert.That(call.Exception, Is.Null);
        Assert.That(call.Arguments, Is.Not.Null.And.Empty);
    }

    [Test]
    public async Task A_tool_call_cut_by_max_tokens_is_flagged_incomplete_not_parsed()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(), TextStart(0), TextDelta(0, "Writing the file."), BlockStop(0),
            ToolStart(1, "toolu_03", "make_file"), JsonDelta(1, string.Empty), JsonDelta(1, "{\"filename\": \"taxes.txt"), JsonDelta(1, "\", \"lines\": [\"# GUIDE\","),
            MessageDelta("max_tokens", """{"output_tokens":124}"""), MessageStop()));

        var final = updates[^1];
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Length));
        var call = final.ToolCalls!.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.CallId, Is.EqualTo("toolu_03"));
            Assert.That(call.Name, Is.EqualTo("make_file"));
            Assert.That(call.Arguments, Is.Null);
            Assert.That(call.Exception, Is.Not.Null);
            Assert.That(call.Exception!.Message, Does.Contain("max_tokens"));
            Assert.That(call.AdditionalProperties!["incomplete"], Is.EqualTo(true));
            Assert.That(call.AdditionalProperties!["anthropic.partial_json"], Is.EqualTo("{\"filename\": \"taxes.txt\", \"lines\": [\"# GUIDE\","));
        });
    }

    [Test]
    public async Task Ping_events_anywhere_are_ignored()
    {
        var updates = await StreamAsync(Sse(
            Ping(), MessageStart(), Ping(), TextStart(0), Ping(), TextDelta(0, "A"), Ping(), TextDelta(0, "B"), Ping(), BlockStop(0), Ping(),
            MessageDelta("end_turn"), Ping(), MessageStop()));

        Assert.That(updates.Where(u => !u.IsFinal).Select(u => u.Text), Is.EqualTo(new[] { "A", "B" }));
        Assert.That(updates.Count(u => u.IsFinal), Is.EqualTo(1));
    }

    [Test]
    public async Task An_overloaded_error_event_mid_stream_is_a_transient_overloaded_exception()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ProviderOverloadedException>(Sse(
            MessageStart(), TextStart(0), TextDelta(0, "Hello"), TextDelta(0, "! I"), ErrorEvent("overloaded_error", "Overloaded")), updates);

        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.ErrorType, Is.EqualTo("overloaded_error"));
        Assert.That(ex.ProviderName, Is.EqualTo("anthropic"));
        Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("Hello! I"));
        Assert.That(updates.Any(u => u.IsFinal), Is.False);
    }

    [Test]
    public async Task A_rate_limit_error_event_mid_stream_is_rate_limited()
    {
        await CatchStreamAsync<RateLimitedException>(Sse(MessageStart(), ErrorEvent("rate_limit_error", "Too many tokens")));
    }

    [Test]
    public async Task Thinking_deltas_stream_as_reasoning_and_the_signature_as_protected_data()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(), BlockStart(0, """{"type":"thinking","thinking":"","signature":""}"""),
            ThinkingDelta(0, "925 "), ThinkingDelta(0, "÷ 5 = 185"), ThinkingDelta(0, string.Empty), SignatureDelta(0, "EvQBsig"), BlockStop(0),
            TextStart(1), TextDelta(1, "185"), BlockStop(1), MessageDelta("end_turn"), MessageStop()));

        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo("925 ÷ 5 = 185"));
        Assert.That(updates.Single(u => u.ReasoningProtectedData is not null).ReasoningProtectedData, Is.EqualTo("EvQBsig"));
        Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("185"));
    }

    [Test]
    public async Task Redacted_thinking_streams_as_opaque_protected_data()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(), BlockStart(0, """{"type":"redacted_thinking","data":"EmwKAhgBEgy3va"}"""), BlockStop(0),
            TextStart(1), TextDelta(1, "ok"), BlockStop(1), MessageDelta("end_turn"), MessageStop()));

        var redacted = updates.Single(u => u.ReasoningProtectedData is not null);
        Assert.That(redacted.ReasoningProtectedData, Is.EqualTo("EmwKAhgBEgy3va"));
        Assert.That(redacted.AdditionalProperties!["anthropic.redacted_thinking"], Is.EqualTo(true));
        Assert.That(redacted.ReasoningText, Is.Null);
    }

    [TestCase("end_turn", "stop")]
    [TestCase("stop_sequence", "stop")]
    [TestCase("max_tokens", "length")]
    [TestCase("tool_use", "tool_calls")]
    [TestCase("refusal", "content_filter")]
    [TestCase("pause_turn", "pause_turn")]
    public async Task Stop_reasons_are_mapped_on_the_final_update(string stopReason, string expected)
    {
        var updates = await StreamAsync(CannedResponse.EventStream(TextStream(["x"], stopReason)));
        Assert.That(updates[^1].FinishReason?.Value, Is.EqualTo(expected));
    }

    [Test]
    public async Task A_stream_ending_after_the_stop_reason_without_message_stop_is_complete()
    {
        var updates = await StreamAsync(Sse(MessageStart(), TextStart(0), TextDelta(0, "done"), BlockStop(0), MessageDelta("end_turn")));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task A_stream_ending_before_the_stop_reason_is_interrupted_with_the_text_so_far()
    {
        var ex = await CatchStreamAsync<StreamInterruptedException>(Sse(MessageStart(), TextStart(0), TextDelta(0, "half"), BlockStop(0)));
        Assert.That(ex.PartialText, Is.EqualTo("half"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task A_duplicated_message_start_from_a_gateway_is_tolerated()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(Usage(10, 0, 0, 1)), MessageStart(Usage(10, 0, 0, 1)), TextStart(0), TextDelta(0, "ok"), BlockStop(0),
            MessageDelta("end_turn", """{"output_tokens":3}"""), MessageStop()));
        Assert.That(updates[^1].Usage!.InputTokenCount, Is.EqualTo(10));
        Assert.That(updates[^1].Usage!.OutputTokenCount, Is.EqualTo(3));
    }

    [Test]
    public async Task Unknown_event_types_and_server_tool_blocks_are_ignored()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(),
            Event("future_event", """{"type":"future_event","payload":{"x":1}}"""),
            BlockStart(0, """{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}"""), JsonDelta(0, "{\"query\":\"x\"}"), BlockStop(0),
            TextStart(1), TextDelta(1, "result"), Delta(1, """{"type":"citations_delta","citation":{"type":"web_search_result_location"}}"""), BlockStop(1),
            MessageDelta("end_turn"), MessageStop()));

        Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("result"));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public async Task Updates_carry_the_message_id_and_model_from_message_start()
    {
        var updates = await StreamAsync(Sse(
            MessageStart(id: "msg_01ABC", model: "claude-opus-4-5-20251101"), TextStart(0), TextDelta(0, "x"), BlockStop(0), MessageDelta("end_turn"), MessageStop()));
        Assert.That(updates[0].ResponseId, Is.EqualTo("msg_01ABC"));
        Assert.That(updates[0].Model, Is.EqualTo("claude-opus-4-5-20251101"));
        Assert.That(updates[^1].Model, Is.EqualTo("claude-opus-4-5-20251101"));
    }
}
