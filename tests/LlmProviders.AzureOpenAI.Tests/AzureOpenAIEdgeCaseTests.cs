using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>The SUMMARY.md edge cases that concern Azure OpenAI, one named test (or a few) each; the number is in a comment.</summary>
public sealed class AzureOpenAIEdgeCaseTests : AzureOpenAIProviderTestBase
{
    private static readonly string[] EmojiDeltas = ["Hey", "!", " 👋", "  \n", "Ça va? 你好"];

    // The shape of the genuine gpt-5.2-chat capture: prompt-filter chunk, role chunk with "content":"", text chunks with annotations.
    private static CannedResponse EmojiStream(bool done = true) => CannedResponse.EventStream(AzureWire.Sse(
        new[] { AzureWire.PromptFilterChunk(), AzureWire.RoleChunk() }
            .Concat(EmojiDeltas.Select(AzureWire.TextChunk))
            .Append(AzureWire.FinishChunk("stop"))
            .Append(AzureWire.UsageChunk()),
        done));

    // #1: reads that end mid-line, mid-JSON and inside the 4-byte emoji.
    [TestCase(1, 1)]
    [TestCase(7, 3)]
    [TestCase(42, 5)]
    [TestCase(1234, 16)]
    public async Task Emoji_stream_split_at_random_byte_boundaries_decodes_intact(int seed, int maxRead)
    {
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = maxRead };
        var updates = await StreamAsync(EmojiStream());

        Assert.That(updates.Where(u => !u.IsFinal).Select(u => u.Text), Is.EqualTo(EmojiDeltas));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    // #4: the gpt-5.2 tool-call capture ends right after the finish chunk, without [DONE].
    [Test]
    public async Task Stream_ending_after_the_finish_chunk_without_done_is_complete()
    {
        var sse = AzureWire.Sse(
        [
            AzureWire.PromptFilterChunk(),
            AzureWire.Chunk("""{"content":null,"refusal":null,"role":"assistant","tool_calls":[{"function":{"arguments":"","name":"getMyIp"},"id":"call_uLWy","index":0,"type":"function"}]}"""),
            AzureWire.ToolArgumentsChunk(0, "{}"),
            AzureWire.FinishChunk("tool_calls"),
        ], done: false);

        var updates = await StreamAsync(CannedResponse.EventStream(sse + "\n\n"));

        var final = updates.Single();
        Assert.That(final.IsFinal, Is.True);
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        Assert.That(final.ToolCalls, Has.Count.EqualTo(1));
        Assert.That(final.ToolCalls![0].Name, Is.EqualTo("getMyIp"));
        Assert.That(final.ToolCalls[0].CallId, Is.EqualTo("call_uLWy"));
        Assert.That(final.ToolCalls[0].Arguments, Is.Empty);
    }

    // #4: … and one that ends before any finish reason is still an interruption.
    [Test]
    public async Task Stream_ending_before_the_finish_chunk_is_interrupted_with_the_partial_text()
    {
        var ex = await CatchStreamAsync<StreamInterruptedException>(EmojiStream(done: false).WithBody(AzureWire.Sse([AzureWire.PromptFilterChunk(), AzureWire.RoleChunk(), AzureWire.TextChunk("Hey")], done: false)));
        Assert.That(ex.PartialText, Is.EqualTo("Hey"));
    }

    // #7: usage only in the last chunk, which has choices: [].
    [Test]
    public async Task Usage_in_the_final_choiceless_chunk_is_reported()
    {
        var updates = await StreamAsync(EmojiStream());
        var usage = updates[^1].Usage;
        Assert.That(usage, Is.Not.Null);
        Assert.That(usage!.InputTokenCount, Is.EqualTo(42));
        Assert.That(usage.OutputTokenCount, Is.EqualTo(17));
        Assert.That(usage.ReasoningTokenCount, Is.EqualTo(5));
        Assert.That(usage.CachedInputTokenCount, Is.EqualTo(8));
    }

    // #18, #19: finish_reason content_filter with content null is a 200 answer, not an error; the categories are reported.
    [Test]
    public async Task Content_filter_finish_reason_reports_the_filtered_categories()
    {
        var result = await ChatAsync(CannedResponse.Json(AzureWire.Completion(null, "content_filter", filters: AzureWire.Filters("violence", "protected_material_text"))));

        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ContentFilter));
        Assert.That(result.ContentFilterCategories, Is.EqualTo(new[] { "violence", "protected_material_text" }));
        Assert.That(result.Text, Is.Empty);
    }

    [Test]
    public async Task Categories_are_not_reported_when_the_answer_was_not_filtered()
    {
        var result = await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hello", "stop")));
        Assert.That(result.ContentFilterCategories, Is.Null);
        Assert.That(result.Text, Is.EqualTo("Hello"));
    }

    // #18, #19 streamed: the finish chunk says content_filter, the annotations name the category.
    [Test]
    public async Task Streamed_content_filter_stop_reports_the_categories_on_the_final_update()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(AzureWire.Sse(
        [
            AzureWire.PromptFilterChunk(),
            AzureWire.RoleChunk(),
            AzureWire.TextChunk("Here is how"),
            AzureWire.FinishChunk("content_filter", AzureWire.Filters("violence")),
        ])));

        var final = updates[^1];
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ContentFilter));
        Assert.That(final.ContentFilterCategories, Is.EqualTo(new[] { "violence" }));
        Assert.That(ConcatText(updates), Is.EqualTo("Here is how"));
    }

    // #19: the first chunk has choices: [], id "", model "", created 0 — nothing is recorded from it.
    [Test]
    public async Task Prompt_filter_first_chunk_records_neither_its_blank_id_nor_its_blank_model()
    {
        var updates = await StreamAsync(EmojiStream());

        Assert.That(updates.All(u => u.ResponseId == "resp-conformance-0001"), Is.True);
        Assert.That(updates.All(u => u.Model == "conformance-model-2026-01-01"), Is.True);
        Assert.That(updates.Count(u => u.IsFinal), Is.EqualTo(1));
    }

    [Test]
    public async Task Stream_whose_only_ids_are_blank_reports_no_response_id_and_the_deployment()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(AzureWire.Sse(
        [
            AzureWire.PromptFilterChunk(),
            AzureWire.Chunk("""{"content":"Hi"}""", id: string.Empty, model: string.Empty),
            AzureWire.Chunk("{}", "stop", id: string.Empty, model: string.Empty),
        ])));

        Assert.That(updates[^1].ResponseId, Is.Null);
        Assert.That(updates[^1].Model, Is.EqualTo(Deployment));
        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
    }

    // #19: asynchronous-filter chunks after the finish chunk neither end nor break the stream, nor overwrite the finish reason.
    [Test]
    public async Task Content_filter_chunks_after_the_finish_chunk_do_not_end_the_stream_or_change_the_finish_reason()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(AzureWire.Sse(
        [
            AzureWire.PromptFilterChunk(),
            AzureWire.RoleChunk(),
            AzureWire.TextChunk("Kindness"),
            AzureWire.FinishChunk("stop"),
            AzureWire.AsyncFilterChunk(),
            AzureWire.AsyncFilterChunk("""{"protected_material_code":{"detected":false,"filtered":false},"protected_material_text":{"detected":false,"filtered":false}}"""),
            AzureWire.UsageChunk(),
        ])));

        var final = updates[^1];
        Assert.That(ConcatText(updates), Is.EqualTo("Kindness"));
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(final.ResponseId, Is.EqualTo("resp-conformance-0001"));
        Assert.That(final.Model, Is.EqualTo("conformance-model-2026-01-01"));
        Assert.That(final.ContentFilterCategories, Is.Null);
        Assert.That(final.Usage?.InputTokenCount, Is.EqualTo(42), "the usage chunk after the filter chunks is still read");
    }

    // #19: a prompt rejected by the filter is a 400 content_filter: ContentFilteredException with the categories.
    [Test]
    public async Task Prompt_filtered_400_is_content_filtered_with_the_categories()
    {
        var ex = await CatchChatAsync<ContentFilteredException>(CannedResponse.Json(AzureWire.PromptFilteredError("sexual"), HttpStatusCode.BadRequest));

        Assert.That(ex.Categories, Is.EqualTo(new[] { "sexual" }));
        Assert.That(ex.ErrorCode, Is.EqualTo("content_filter"));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.Message, Does.Contain("content management policy"));
    }

    [Test]
    public async Task Prompt_filtered_400_on_a_stream_is_content_filtered_before_any_update()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ContentFilteredException>(CannedResponse.Json(AzureWire.PromptFilteredError("hate", "jailbreak"), HttpStatusCode.BadRequest), updates);
        Assert.That(ex.Categories, Is.EquivalentTo(new[] { "hate", "jailbreak" }));
        Assert.That(updates, Is.Empty);
    }

    // #23 for Azure: a content-filter error event inside a 200 stream.
    [Test]
    public async Task Content_filter_error_event_mid_stream_is_content_filtered()
    {
        var body = AzureWire.Sse([AzureWire.PromptFilterChunk(), AzureWire.TextChunk("Once upon"), AzureWire.PromptFilteredError("violence")], done: false);
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ContentFilteredException>(CannedResponse.EventStream(body), updates);
        Assert.That(ex.Categories, Is.EqualTo(new[] { "violence" }));
        Assert.That(ConcatText(updates), Is.EqualTo("Once upon"));
    }

    // #24: Azure's codes are strings — "401", "429" — or names such as DeploymentNotFound.
    [Test]
    public async Task String_code_401_is_an_authentication_error()
    {
        var ex = await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json(AzureWire.Error("401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."), HttpStatusCode.Unauthorized));
        Assert.That(ex.ErrorCode, Is.EqualTo("401"));
        Assert.That(ex.Message, Does.Contain("Access denied"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task String_code_429_is_rate_limited_and_transient()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(AzureWire.RateLimitError(3), HttpStatusCode.TooManyRequests));
        Assert.That(ex.ErrorCode, Is.EqualTo("429"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task String_code_429_in_a_stream_error_event_is_rate_limited()
    {
        var body = AzureWire.Sse([AzureWire.PromptFilterChunk(), AzureWire.RateLimitError(3)], done: false);
        var ex = await CatchStreamAsync<RateLimitedException>(CannedResponse.EventStream(body));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public async Task Deployment_not_found_is_model_not_found_naming_the_deployment()
    {
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(AzureWire.DeploymentNotFound, HttpStatusCode.NotFound), Ask(model: "gpt-missing"));
        Assert.That(ex.ErrorCode, Is.EqualTo("DeploymentNotFound"));
        Assert.That(ex.Model, Is.EqualTo("gpt-missing"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Bare_404_resource_not_found_is_an_invalid_request_not_a_missing_model()
    {
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse.Json(AzureWire.Error("404", "Resource not found"), HttpStatusCode.NotFound));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    // #26: retry-after-ms wins over Retry-After.
    [Test]
    public async Task Retry_after_ms_gives_the_wait_in_milliseconds()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(AzureWire.RateLimitError(3), HttpStatusCode.TooManyRequests)
            .WithHeader("retry-after-ms", "2500").WithHeader("Retry-After", "3"));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(2500)));
    }

    // #26: x-ms-retry-after-ms (Azure.Core's header).
    [Test]
    public async Task X_ms_retry_after_ms_gives_the_wait_in_milliseconds()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(AzureWire.RateLimitError(3), HttpStatusCode.TooManyRequests)
            .WithHeader("x-ms-retry-after-ms", "750"));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(750)));
    }

    // #26: a day-long Retry-After is surfaced at once (one request, no sleep), for the caller or router to decide.
    [Test]
    public async Task Huge_retry_after_is_surfaced_not_slept()
    {
        var provider = CreateProvider();
        Handler.Response = CannedResponse.Json(AzureWire.RateLimitError(86400), HttpStatusCode.TooManyRequests).WithHeader("Retry-After", "86400");
        var call = provider.ChatAsync(Ask());

        var ex = await CatchAsync<RateLimitedException>(() => call);
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromDays(1)));
        Assert.That(Handler.Requests, Has.Count.EqualTo(1));
        Assert.That(Time.GetUtcNow(), Is.EqualTo(new LlmProviders.Testing.ManualTimeProvider().GetUtcNow()), "the manual clock never moved: nothing waited");
    }

    // #26: with no header, the wait in Azure's message ("Please retry after 86400 seconds") is reported.
    [Test]
    public async Task Wait_named_in_the_429_message_is_reported_when_no_header_says()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(AzureWire.RateLimitError(86400), HttpStatusCode.TooManyRequests));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(86400)));
        Assert.That(Handler.Requests, Has.Count.EqualTo(1));
    }

    // #30: the prompt-filter and async-filter chunks carry created: 0; it is never read as a 1970 date.
    [Test]
    public async Task Created_zero_chunks_are_read_without_surfacing_a_1970_date()
    {
        var updates = await StreamAsync(CannedResponse.EventStream(AzureWire.Sse(
            [AzureWire.PromptFilterChunk(), AzureWire.TextChunk("Hi"), AzureWire.FinishChunk("stop"), AzureWire.AsyncFilterChunk()])));

        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
        Assert.That(updates.All(u => u.AdditionalProperties is null || !u.AdditionalProperties.Values.Any(v => v is DateTimeOffset d && d.Year == 1970)), Is.True);
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    // #31: unknown fields everywhere (obfuscation, content_filter_offsets, prompt_filter_results null, system_fingerprint null, annotations).
    [Test]
    public async Task Unknown_and_null_extra_fields_are_ignored()
    {
        const string Body = """{"choices":[{"content_filter_results":{"custom_blocklists":[],"error":{"code":"content_filter_error","message":"unavailable"}},"finish_reason":"stop","index":0,"logprobs":null,"message":{"annotations":[{"type":"url_citation"}],"audio":null,"content":"Fine.","context":{"citations":[]},"refusal":null,"role":"assistant"}}],"created":0,"id":"chatcmpl-x1","model":"gpt-4o-2024-11-20","object":"chat.completion","prompt_filter_results":null,"service_tier":"default","system_fingerprint":null,"usage":{"completion_tokens":2,"prompt_tokens":5,"total_tokens":7}}""";
        var result = await ChatAsync(CannedResponse.Json(Body));

        Assert.That(result.Text, Is.EqualTo("Fine."));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(result.Model, Is.EqualTo("gpt-4o-2024-11-20"));
        Assert.That(result.ResponseId, Is.EqualTo("chatcmpl-x1"));
        Assert.That(result.Usage?.TotalTokenCount, Is.EqualTo(7));
    }
}
