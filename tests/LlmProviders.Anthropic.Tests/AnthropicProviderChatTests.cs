using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;
using static LlmProviders.Anthropic.Tests.AnthropicWire;

namespace LlmProviders.Anthropic.Tests;

/// <summary>Non-streamed messages: content blocks, usage convention, stop reasons, refusals, thinking, incomplete tool calls.</summary>
public sealed class AnthropicProviderChatTests : AnthropicProviderTestBase
{
    [Test]
    public async Task Usage_counts_cached_reads_and_writes_in_the_input_and_reports_each_apart()
    {
        var result = await ChatAsync(CannedResponse.Json(TextMessage("ok", usage: Usage(12, 6289, 300, 29))));
        var usage = result.Usage!;
        Assert.Multiple(() =>
        {
            Assert.That(usage.InputTokenCount, Is.EqualTo(12 + 6289 + 300));
            Assert.That(usage.CachedInputTokenCount, Is.EqualTo(6289));
            Assert.That(usage.AdditionalCounts![UsageCounts.CacheWriteInputTokens], Is.EqualTo(300));
            Assert.That(usage.OutputTokenCount, Is.EqualTo(29));
            Assert.That(usage.TotalTokenCount, Is.EqualTo(12 + 6289 + 300 + 29));
            Assert.That(usage.ReasoningTokenCount, Is.Null);
        });
    }

    [Test]
    public async Task Thinking_tokens_are_reported_as_reasoning_when_the_api_sends_them()
    {
        var result = await ChatAsync(CannedResponse.Json(TextMessage("ok", usage: Usage(10, 0, 0, 50, thinking: 20))));
        Assert.That(result.Usage!.ReasoningTokenCount, Is.EqualTo(20));
        Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(50), "Output includes reasoning.");
    }

    [Test]
    public async Task Text_and_tool_use_blocks_keep_their_order()
    {
        var result = await ChatAsync(CannedResponse.Json(Message(TextBlock("Let me check.") + "," + ToolUseBlock("toolu_01", "get_weather", """{"city":"Paris"}"""), "tool_use")));
        Assert.That(result.Message.Contents[0], Is.TypeOf<TextContent>());
        var call = (FunctionCallContent)result.Message.Contents[1];
        Assert.That(call.CallId, Is.EqualTo("toolu_01"));
        Assert.That(call.Arguments!["city"]?.ToString(), Is.EqualTo("Paris"));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
    }

    [Test]
    public async Task A_tool_use_with_empty_input_has_empty_arguments()
    {
        var result = await ChatAsync(CannedResponse.Json(Message(ToolUseBlock("toolu_02", "updateIssueList", "{}"), "tool_use")));
        Assert.That(result.ToolCalls.Single().Arguments, Is.Not.Null.And.Empty);
        Assert.That(result.ToolCalls.Single().Exception, Is.Null);
    }

    [Test]
    public async Task A_last_tool_use_cut_by_max_tokens_is_flagged_incomplete()
    {
        var result = await ChatAsync(CannedResponse.Json(Message(TextBlock("Writing.") + "," + ToolUseBlock("toolu_03", "make_file", """{"filename":"taxes.txt"}"""), "max_tokens")));
        var call = result.ToolCalls.Single();
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Length));
        Assert.That(call.Exception, Is.Not.Null);
        Assert.That(call.Arguments, Is.Null);
        Assert.That(call.AdditionalProperties!["incomplete"], Is.EqualTo(true));
    }

    [Test]
    public async Task Thinking_keeps_its_signature_as_protected_data()
    {
        var result = await ChatAsync(CannedResponse.Json(Message(ThinkingBlock("Hmm.", "sig-abc") + "," + TextBlock("Answer"))));
        var reasoning = (TextReasoningContent)result.Message.Contents[0];
        Assert.That(reasoning.Text, Is.EqualTo("Hmm."));
        Assert.That(reasoning.ProtectedData, Is.EqualTo("sig-abc"));
        Assert.That(result.Text, Is.EqualTo("Answer"));
    }

    [Test]
    public async Task Redacted_thinking_is_kept_opaquely_and_round_trips()
    {
        var result = await ChatAsync(CannedResponse.Json(Message("""{"type":"redacted_thinking","data":"EmwKAhgB"}""" + "," + TextBlock("Answer"))));
        var redacted = (TextReasoningContent)result.Message.Contents[0];
        Assert.That(redacted.ProtectedData, Is.EqualTo("EmwKAhgB"));
        Assert.That(result.ReasoningText, Is.Empty);

        // Sent back as it came.
        var next = new ChatRequest([new ChatMessage(ChatRole.User, "Q"), result.Message, new ChatMessage(ChatRole.User, "More")]);
        var json = await SentJsonAsync(next);
        var block = json.GetProperty("messages")[1].GetProperty("content")[0];
        Assert.That(block.GetProperty("type").GetString(), Is.EqualTo("redacted_thinking"));
        Assert.That(block.GetProperty("data").GetString(), Is.EqualTo("EmwKAhgB"));
    }

    [Test]
    public async Task A_refusal_without_an_explanation_still_sets_refusal_and_content_filter()
    {
        var result = await ChatAsync(CannedResponse.Json(Message(string.Empty, "refusal")));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ContentFilter));
        Assert.That(result.Refusal, Does.Contain("refusal"));
        Assert.That(result.Text, Is.Empty);
    }

    [Test]
    public async Task Pause_turn_is_kept_raw()
    {
        var result = await ChatAsync(CannedResponse.Json(TextMessage("Searching…", "pause_turn")));
        Assert.That(result.FinishReason?.Value, Is.EqualTo("pause_turn"));
        Assert.That(FinishReasons.IsKnown(result.FinishReason!.Value), Is.False);
    }

    [Test]
    public async Task Stop_sequence_maps_to_stop()
    {
        var result = await ChatAsync(CannedResponse.Json(TextMessage("1, 2, 3", "stop_sequence")));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Server_tool_blocks_are_skipped_and_text_blocks_split_by_citations_read_as_one()
    {
        var blocks = """{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"x"}},{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},""" +
            """{"type":"text","text":"Paris is ","citations":null},{"type":"text","text":"the capital.","citations":[{"type":"web_search_result_location","url":"https://example.com"}]}""";
        var result = await ChatAsync(CannedResponse.Json(Message(blocks)));
        Assert.That(result.Text, Is.EqualTo("Paris is the capital."));
        Assert.That(result.ToolCalls, Is.Empty);
    }

    [Test]
    public async Task A_body_that_is_not_a_message_is_malformed()
    {
        await CatchChatAsync<MalformedResponseException>(CannedResponse.Json("""{"id":"msg_1","type":"message"}"""));
    }

    [Test]
    public async Task An_error_envelope_in_a_200_body_is_the_typed_error()
    {
        var ex = await CatchChatAsync<ProviderOverloadedException>(CannedResponse.Json(Error("overloaded_error", "Overloaded")));
        Assert.That(ex.IsTransient, Is.True);
    }
}
