using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Tests;

/// <summary>Whole answers: usage convention, finish reasons, tool calls by content, thoughts, blocked prompts and safety stops.</summary>
public sealed class GeminiProviderChatTests : GeminiProviderTestBase
{
    private const string BlockedSafety =
        """[{"category":"HARM_CATEGORY_HARASSMENT","probability":"NEGLIGIBLE"},{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"MEDIUM","blocked":true}]""";

    [Test]
    public async Task Usage_input_includes_cached_and_output_includes_thoughts_with_each_part_reported()
    {
        // Edge cases #10 and #12: thoughtsTokenCount is separate from candidatesTokenCount on the wire; total includes it.
        var result = await ChatAsync(CannedResponse.Json(GeminiWire.Completion("ok", usage: GeminiWire.Usage(prompt: 9, candidates: 28, thoughts: 244, cached: 4, total: 281))));

        Assert.Multiple(() =>
        {
            Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(9));
            Assert.That(result.Usage.CachedInputTokenCount, Is.EqualTo(4));
            Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(28 + 244));
            Assert.That(result.Usage.ReasoningTokenCount, Is.EqualTo(244));
            Assert.That(result.Usage.TotalTokenCount, Is.EqualTo(281));
        });
    }

    [Test]
    public async Task Reasoning_tokens_come_from_thoughtsTokenCount_which_candidatesTokenCount_excludes()
    {
        // Edge case #12: Gemini reports thoughts apart from the candidates; the library's output includes them.
        var result = await ChatAsync(CannedResponse.Json(GeminiWire.Completion("ok", usage: """{"promptTokenCount":5,"candidatesTokenCount":2,"thoughtsTokenCount":30,"totalTokenCount":37}""")));
        Assert.That(result.Usage!.ReasoningTokenCount, Is.EqualTo(30));
        Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(32));
        Assert.That(result.Usage.InputTokenCount + result.Usage.OutputTokenCount, Is.EqualTo(result.Usage.TotalTokenCount));
    }

    [Test]
    public async Task Usage_total_is_computed_when_gemini_omits_it_and_absent_counts_stay_null()
    {
        var result = await ChatAsync(CannedResponse.Json(GeminiWire.Completion("ok", usage: """{"promptTokenCount":7,"candidatesTokenCount":3}""")));
        Assert.That(result.Usage!.TotalTokenCount, Is.EqualTo(10));
        Assert.That(result.Usage.ReasoningTokenCount, Is.Null);
        Assert.That(result.Usage.CachedInputTokenCount, Is.Null);
    }

    [TestCase("STOP", "stop")]
    [TestCase("MAX_TOKENS", "length")]
    [TestCase("SAFETY", "content_filter")]
    [TestCase("RECITATION", "content_filter")]
    [TestCase("PROHIBITED_CONTENT", "content_filter")]
    [TestCase("BLOCKLIST", "content_filter")]
    [TestCase("SPII", "content_filter")]
    [TestCase("MALFORMED_FUNCTION_CALL", "MALFORMED_FUNCTION_CALL")]
    [TestCase("OTHER", "OTHER")]
    [TestCase("LANGUAGE", "LANGUAGE")]
    public async Task Finish_reasons_are_mapped_and_unknown_ones_kept_raw(string wire, string expected)
    {
        // Edge case #18.
        var result = await ChatAsync(CannedResponse.Json(GeminiWire.Completion("partial", wire)));
        Assert.That(result.FinishReason?.Value, Is.EqualTo(expected));
    }

    [Test]
    public async Task A_function_call_finishing_with_STOP_is_a_tool_call_turn_with_object_arguments_and_generated_ids()
    {
        // Edge case #16: Gemini has no tool-call finish reason and sends args as objects, without ids.
        var result = await ChatAsync(CannedResponse.Json(GeminiWire.Response(GeminiWire.Candidate(
        [
            GeminiWire.TextPart("Let me check."),
            GeminiWire.CallPart("get_weather", """{"city":"Paris","days":3,"detail":{"hourly":true}}"""),
            GeminiWire.CallPart("get_weather", """{"city":"Lyon"}"""),
        ], finishMessage: "Model generated function call(s)."))));

        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        Assert.That(result.Text, Is.EqualTo("Let me check."));
        var calls = result.ToolCalls;
        Assert.That(calls.Select(c => c.CallId), Is.EqualTo(new[] { "call_0", "call_1" }));
        Assert.That(calls[0].Arguments!["city"]?.ToString(), Is.EqualTo("Paris"));
        Assert.That(calls[0].Arguments!["days"]?.ToString(), Is.EqualTo("3"));
        Assert.That(calls[0].Arguments!["detail"]?.ToString(), Does.Contain("hourly"));
        Assert.That(calls[1].Arguments!["city"]?.ToString(), Is.EqualTo("Lyon"));
        Assert.That(calls.All(c => c.Exception is null), Is.True);
    }

    [Test]
    public async Task A_call_id_sent_by_the_api_is_kept_and_a_call_without_args_has_empty_arguments()
    {
        var result = await ChatAsync(CannedResponse.Json(GeminiWire.Response(GeminiWire.Candidate(
        [
            GeminiWire.CallPart("get_weather", """{"city":"Paris"}""", id: "fc-1234"),
            """{"functionCall":{"name":"get_time"}}""",
        ]))));

        Assert.That(result.ToolCalls[0].CallId, Is.EqualTo("fc-1234"));
        Assert.That(result.ToolCalls[1].CallId, Is.EqualTo("call_1"));
        Assert.That(result.ToolCalls[1].Arguments, Is.Empty);
    }

    [Test]
    public async Task The_thoughtSignature_of_a_function_call_is_kept_on_the_call()
    {
        // Edge case #17.
        var result = await ChatAsync(CannedResponse.Json(GeminiWire.Response(GeminiWire.Candidate(
            [GeminiWire.CallPart("get_weather", """{"city":"Paris"}""", "RXRvRjEyMw==")]))));
        Assert.That(result.ToolCalls[0].AdditionalProperties![GeminiProvider.ThoughtSignatureKey], Is.EqualTo("RXRvRjEyMw=="));
    }

    [Test]
    public async Task Thought_parts_are_reasoning_and_text_parts_are_concatenated()
    {
        var result = await ChatAsync(CannedResponse.Json(GeminiWire.Response(GeminiWire.Candidate(
        [
            GeminiWire.ThoughtPart("**Planning** I will greet."),
            GeminiWire.TextPart("Hello"),
            GeminiWire.TextPart(", world", "c2ln"),
        ]))));

        Assert.That(result.ReasoningText, Is.EqualTo("**Planning** I will greet."));
        Assert.That(result.Text, Is.EqualTo("Hello, world"));
        Assert.That(result.Message.Contents.OfType<TextReasoningContent>().Single().Text, Is.EqualTo("**Planning** I will greet."));
    }

    [Test]
    public async Task A_blocked_prompt_without_candidates_throws_content_filtered_with_the_block_reason()
    {
        // Edge case #20: HTTP 200, no candidates key at all, only promptFeedback.blockReason.
        var body = GeminiWire.Response(null, usage: """{"promptTokenCount":13,"totalTokenCount":13}""", promptFeedback: """{"blockReason":"PROHIBITED_CONTENT","safetyRatings":[{"category":"HARM_CATEGORY_SEXUALLY_EXPLICIT","probability":"HIGH"}]}""");
        var ex = await CatchChatAsync<ContentFilteredException>(CannedResponse.Json(body));

        Assert.That(ex.Categories, Does.Contain("PROHIBITED_CONTENT"));
        Assert.That(ex.Categories, Does.Contain("HARM_CATEGORY_SEXUALLY_EXPLICIT"));
        Assert.That(ex.ProviderName, Is.EqualTo("gemini"));
        Assert.That(ex.Message, Does.Contain("gemini").And.Contain("PROHIBITED_CONTENT"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task A_candidate_blocked_for_safety_without_content_is_a_content_filter_result_with_its_categories()
    {
        // Edge case #20: the blocked candidate has no content.
        var body = GeminiWire.Response(GeminiWire.Candidate(null, "SAFETY")[..^1] + ",\"safetyRatings\":" + BlockedSafety + "}");
        var result = await ChatAsync(CannedResponse.Json(body));

        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ContentFilter));
        Assert.That(result.Text, Is.Empty);
        Assert.That(result.AdditionalProperties![GeminiProvider.FinishReasonKey], Is.EqualTo("SAFETY"));
        Assert.That((string[])result.AdditionalProperties[GeminiProvider.SafetyCategoriesKey]!, Is.EqualTo(new[] { "HARM_CATEGORY_DANGEROUS_CONTENT" }));
    }

    [Test]
    public async Task Finish_OTHER_with_content_lacking_parts_is_an_empty_answer_with_the_raw_reason()
    {
        // Edge case #20: content without parts.
        var body = GeminiWire.Response("""{"content":{"role":"model"},"finishReason":"OTHER","index":0}""");
        var result = await ChatAsync(CannedResponse.Json(body));
        Assert.That(result.Text, Is.Empty);
        Assert.That(result.FinishReason?.Value, Is.EqualTo("OTHER"));
        Assert.That(FinishReasons.IsKnown(result.FinishReason!.Value), Is.False);
    }

    [Test]
    public async Task Unknown_fields_and_enum_values_are_ignored()
    {
        // Edge case #31.
        var body = """{"candidates":[{"content":{"parts":[{"text":"Hi","futurePart":{"x":[1,2]}}],"role":"model"},"finishReason":"STOP","citationMetadata":{"citationSources":[{"startIndex":1}]},"avgLogprobs":-0.25,"groundingMetadata":{},"index":0,"newField":"NEW_ENUM_VALUE"}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2,"promptTokensDetails":[{"modality":"TEXT","tokenCount":1}],"trafficType":"ON_DEMAND"},"modelVersion":"gemini-2.5-flash","responseId":"abc","sdkHttpResponse":null}""";
        var result = await ChatAsync(CannedResponse.Json(body));
        Assert.That(result.Text, Is.EqualTo("Hi"));
        Assert.That(result.Model, Is.EqualTo("gemini-2.5-flash"));
        Assert.That(result.ResponseId, Is.EqualTo("abc"));
    }

    [Test]
    public async Task Only_the_first_candidate_is_kept()
    {
        var body = GeminiWire.Response(GeminiWire.Candidate([GeminiWire.TextPart("first")]) + "," + GeminiWire.Candidate([GeminiWire.CallPart("x", "{}")]));
        var result = await ChatAsync(CannedResponse.Json(body));
        Assert.That(result.Text, Is.EqualTo("first"));
        Assert.That(result.ToolCalls, Is.Empty);
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task A_response_without_candidates_or_block_reason_is_malformed()
    {
        var ex = await CatchChatAsync<MalformedResponseException>(CannedResponse.Json("""{"usageMetadata":{"promptTokenCount":3},"modelVersion":"gemini-2.5-flash"}"""));
        Assert.That(ex.Message, Does.Contain("without candidates"));
    }
}
