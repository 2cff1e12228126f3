using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests;

/// <summary>How the provider reads OpenAI (and OpenAI-compatible) SSE streams, including the edge cases of the wire summary.</summary>
public sealed class OpenAIProviderStreamTests : OpenAIProviderTestBase
{
    private static CannedResponse Sse(bool done, params string[] events) => CannedResponse.EventStream(OpenAIWire.Sse(events, done));

    [Test]
    public async Task Usage_chunk_with_empty_choices_puts_usage_on_the_final_update()
    {
        var usage = OpenAIWire.Usage(22, 712, 734, 3, 0);
        var updates = await StreamAsync(Sse(true, OpenAIWire.RoleChunk(), OpenAIWire.TextChunk("Hi"), OpenAIWire.FinishChunk("stop"), OpenAIWire.UsageChunk(usage)));

        var final = updates.Single(u => u.IsFinal);
        Assert.That(final, Is.SameAs(updates[^1]));
        Assert.That(final.Usage!.InputTokenCount, Is.EqualTo(22));
        Assert.That(final.Usage.OutputTokenCount, Is.EqualTo(712));
        Assert.That(final.Usage.TotalTokenCount, Is.EqualTo(734));
        Assert.That(final.Usage.CachedInputTokenCount, Is.EqualTo(3));
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Stream_without_usage_ends_with_a_final_update_without_usage()
    {
        var updates = await StreamAsync(Sse(true, OpenAIWire.RoleChunk(), OpenAIWire.TextChunk("Hi"), OpenAIWire.FinishChunk("stop")));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].Usage, Is.Null);
        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
    }

    [Test]
    public async Task Usage_inside_the_finish_chunk_is_read()
    {
        // Together AI and Mistral put usage in the chunk that carries finish_reason.
        var finish = OpenAIWire.Chunk("{}", "eos", usage: """{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}""");
        var updates = await StreamAsync(Sse(true, OpenAIWire.TextChunk("Hi"), finish));
        Assert.That(updates[^1].Usage!.TotalTokenCount, Is.EqualTo(9));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop), "Together's eos is a stop");
    }

    [Test]
    public async Task Usage_sent_in_every_chunk_is_taken_from_the_last_not_summed()
    {
        // LocalAI sends (zeroed, then real) usage in every chunk.
        var updates = await StreamAsync(Sse(
            true,
            OpenAIWire.Chunk("""{"content":"a"}""", usage: """{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}"""),
            OpenAIWire.Chunk("""{"content":"b"}""", usage: """{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}"""),
            OpenAIWire.Chunk("{}", "stop", usage: """{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}""")));
        Assert.That(updates[^1].Usage!.InputTokenCount, Is.EqualTo(4));
        Assert.That(updates[^1].Usage!.OutputTokenCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Several_choices_in_a_stream_keep_choice_zero()
    {
        var updates = await StreamAsync(Sse(
            true,
            OpenAIWire.TextChunk("A", index: 0),
            OpenAIWire.TextChunk("X", index: 1),
            OpenAIWire.TextChunk("Y", index: 2),
            OpenAIWire.TextChunk("B", index: 0),
            OpenAIWire.FinishChunk("length", index: 1),
            OpenAIWire.Chunk("""{"tool_calls":[{"index":0,"id":"call_other","type":"function","function":{"name":"other","arguments":"{}"}}]}""", index: 2),
            OpenAIWire.FinishChunk("stop", index: 0),
            OpenAIWire.FinishChunk("tool_calls", index: 2),
            OpenAIWire.UsageChunk()));

        Assert.That(ConcatText(updates), Is.EqualTo("AB"));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(updates[^1].ToolCalls, Is.Null);
    }

    [Test]
    public async Task Obfuscation_and_other_unknown_fields_are_ignored()
    {
        var chunk = """{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4.1-nano-2025-04-14","service_tier":"default","system_fingerprint":"fp","choices":[{"index":0,"delta":{"content":"Hi","annotations":[],"future":{"x":[1,2]}},"logprobs":null,"finish_reason":null,"native_finish_reason":null}],"usage":null,"obfuscation":"Qup1BsQ3","citations":["a"]}""";
        var updates = await StreamAsync(Sse(true, chunk, OpenAIWire.FinishChunk("stop")));
        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
        Assert.That(updates[0].Model, Is.EqualTo("gpt-4.1-nano-2025-04-14"));
    }

    [Test]
    public async Task Refusal_deltas_are_streamed_apart_from_text()
    {
        var updates = await StreamAsync(Sse(
            true,
            OpenAIWire.RoleChunk(),
            OpenAIWire.Chunk("""{"refusal":"I'm sorry, "}"""),
            OpenAIWire.Chunk("""{"refusal":"I can't."}"""),
            OpenAIWire.FinishChunk("stop")));
        Assert.That(string.Concat(updates.Select(u => u.Refusal)), Is.EqualTo("I'm sorry, I can't."));
        Assert.That(ConcatText(updates), Is.Empty);
    }

    [Test]
    public async Task Reasoning_content_deltas_are_streamed_as_reasoning()
    {
        var updates = await StreamAsync(Sse(
            true,
            OpenAIWire.Chunk("""{"reasoning_content":"First","role":"assistant"}"""),
            OpenAIWire.Chunk("""{"reasoning_content":", think."}"""),
            OpenAIWire.TextChunk("Answer"),
            OpenAIWire.FinishChunk("stop")));
        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo("First, think."));
        Assert.That(ConcatText(updates), Is.EqualTo("Answer"));
    }

    [Test]
    public async Task Tool_call_index_starting_at_one_is_assembled()
    {
        var updates = await StreamAsync(Sse(
            true,
            OpenAIWire.TextChunk("Reading it."),
            OpenAIWire.ToolStartChunk(1, "toolu_1", "read_file"),
            OpenAIWire.ToolArgumentsChunk(1, ""),
            OpenAIWire.ToolArgumentsChunk(1, "{\"pa"),
            OpenAIWire.ToolArgumentsChunk(1, "th\": \"a.txt\"}"),
            OpenAIWire.FinishChunk("tool_calls")));
        var call = updates[^1].ToolCalls!.Single();
        Assert.That(call.CallId, Is.EqualTo("toolu_1"));
        Assert.That(call.Name, Is.EqualTo("read_file"));
        Assert.That(call.Arguments!["path"]?.ToString(), Is.EqualTo("a.txt"));
        Assert.That(ConcatText(updates), Is.EqualTo("Reading it."));
    }

    [Test]
    public async Task Whole_tool_calls_without_index_in_one_chunk_are_read()
    {
        // Mistral: whole calls, no index.
        var chunk = OpenAIWire.Chunk("""{"tool_calls":[{"id":"a1","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"a2","function":{"name":"get_time","arguments":"{}"}}]}""");
        var updates = await StreamAsync(Sse(true, chunk, OpenAIWire.FinishChunk("tool_calls")));
        var calls = updates[^1].ToolCalls!;
        Assert.That(calls.Select(c => c.Name), Is.EqualTo(new[] { "get_weather", "get_time" }));
        Assert.That(calls[0].Arguments!["city"]?.ToString(), Is.EqualTo("Paris"));
    }

    [Test]
    public async Task Tool_call_fields_in_any_order_are_read()
    {
        // xAI sends "index" after "function".
        var chunk = OpenAIWire.Chunk("""{"tool_calls":[{"id":"call_7","function":{"name":"weather","arguments":"{\"location\":\"San Francisco\"}"},"index":0,"type":"function"}]}""");
        var updates = await StreamAsync(Sse(true, chunk, OpenAIWire.FinishChunk("tool_calls")));
        Assert.That(updates[^1].ToolCalls!.Single().Arguments!["location"]?.ToString(), Is.EqualTo("San Francisco"));
    }

    [Test]
    public async Task Streamed_tool_call_with_invalid_json_arguments_carries_its_exception()
    {
        var updates = await StreamAsync(Sse(
            true,
            OpenAIWire.ToolStartChunk(0, "call_1", "get_weather"),
            OpenAIWire.ToolArgumentsChunk(0, "{\"city\": \"Par"),
            OpenAIWire.FinishChunk("length")));
        var call = updates[^1].ToolCalls!.Single();
        Assert.That(call.Exception, Is.Not.Null);
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Length));
    }

    [Test]
    public async Task Stream_ending_after_a_finish_reason_without_done_is_complete()
    {
        var updates = await StreamAsync(Sse(false, OpenAIWire.TextChunk("Hi"), OpenAIWire.FinishChunk("stop"), OpenAIWire.UsageChunk()));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].Usage, Is.Not.Null);
    }

    [Test]
    public async Task Done_without_a_finish_reason_ends_the_stream()
    {
        var updates = await StreamAsync(Sse(true, OpenAIWire.TextChunk("Hi")));
        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].FinishReason, Is.Null);
        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
    }

    [Test]
    public async Task Events_after_done_are_not_read()
    {
        var body = OpenAIWire.Sse([OpenAIWire.TextChunk("Hi"), OpenAIWire.FinishChunk("stop")]) + "data: {not json}\n\n";
        var updates = await StreamAsync(CannedResponse.EventStream(body));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public async Task Comments_and_other_sse_fields_are_ignored()
    {
        var body = ": OPENROUTER PROCESSING\n\n" +
            "retry: 3000\nid: 1\ndata: " + OpenAIWire.TextChunk("Hi") + "\n\n" +
            ": keep-alive\n\n" +
            "data: " + OpenAIWire.FinishChunk("stop") + "\n\n" +
            "data: [DONE]\n\n";
        var updates = await StreamAsync(CannedResponse.EventStream(body));
        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [TestCase("data: [DONE]", TestName = "Final_done_without_its_blank_line_is_delivered")]
    [TestCase("data: [DONE]\n", TestName = "Final_done_with_a_single_line_end_is_delivered")]
    public async Task Final_event_without_its_blank_line_is_delivered(string tail)
    {
        var body = "data: " + OpenAIWire.TextChunk("Hi") + "\n\n" + tail;
        var updates = await StreamAsync(CannedResponse.EventStream(body));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public async Task Final_finish_chunk_without_its_blank_line_completes_the_stream()
    {
        var body = "data: " + OpenAIWire.TextChunk("Hi") + "\n\ndata: " + OpenAIWire.FinishChunk("stop");
        var updates = await StreamAsync(CannedResponse.EventStream(body));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Azure_style_empty_first_chunk_and_filter_chunks_after_finish_are_handled()
    {
        var prompt = """{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}""";
        var afterFinish = """{"choices":[{"content_filter_offsets":{"check_offset":0,"start_offset":0,"end_offset":2},"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"finish_reason":null,"index":0}],"created":0,"id":"","model":"","object":""}""";
        var updates = await StreamAsync(Sse(true, prompt, OpenAIWire.TextChunk("Hi"), OpenAIWire.FinishChunk("stop"), afterFinish, OpenAIWire.UsageChunk()));
        var final = updates[^1];
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop), "a later chunk with finish_reason null must not erase it");
        Assert.That(final.ResponseId, Is.EqualTo(Testing.Conformance.ProviderConformanceTests.ExpectedResponseId));
        Assert.That(final.Model, Is.EqualTo(Testing.Conformance.ProviderConformanceTests.ExpectedModel));
    }

    [Test]
    public async Task Mid_stream_server_error_event_is_provider_unavailable_after_the_delivered_text()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ProviderUnavailableException>(
            Sse(false, OpenAIWire.TextChunk("Hel"), OpenAIWire.Error("The server had an error while processing your request.", "server_error", null)),
            updates);
        Assert.That(ConcatText(updates), Is.EqualTo("Hel"));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.Message, Does.Contain("The server had an error"));
        Assert.That(ex.ResponseBody, Does.Contain("server_error"));
    }

    [Test]
    public async Task Mid_stream_rate_limit_error_event_is_a_rate_limit()
    {
        await CatchStreamAsync<RateLimitedException>(Sse(false, OpenAIWire.TextChunk("Hel"), OpenAIWire.Error("Rate limit reached", "requests", "rate_limit_exceeded")));
    }

    [Test]
    public async Task Error_event_with_an_event_type_of_error_is_a_typed_error()
    {
        var body = "data: " + OpenAIWire.TextChunk("Hel") + "\n\nevent: error\ndata: {\"message\":\"upstream failed\"}\n\n";
        var ex = await CatchStreamAsync<LlmProviderException>(CannedResponse.EventStream(body));
        Assert.That(ex, Is.Not.InstanceOf<MalformedResponseException>());
        Assert.That(ex.Message, Does.Contain("upstream failed"));
    }

    [Test]
    public async Task Invalid_json_in_a_middle_event_is_malformed_not_interrupted()
    {
        var ex = await CatchStreamAsync<MalformedResponseException>(Sse(true, OpenAIWire.TextChunk("Hi"), "{\"choices\":[{\"delta\":{\"content\":\"x\"", OpenAIWire.FinishChunk("stop")));
        Assert.That(ex.ProviderName, Is.EqualTo("openai"));
    }

    [Test]
    public async Task Event_that_is_not_a_json_object_is_malformed()
    {
        await CatchStreamAsync<MalformedResponseException>(Sse(true, OpenAIWire.TextChunk("Hi"), "42", OpenAIWire.FinishChunk("stop")));
    }

    [Test]
    public async Task Stream_answered_with_a_json_error_body_and_status_200_is_the_mapped_error()
    {
        var ex = await CatchStreamAsync<QuotaExhaustedException>(CannedResponse.Json(OpenAIWire.Error("You exceeded your current quota.", "insufficient_quota", "insufficient_quota")));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Stream_answered_with_a_whole_completion_is_malformed()
    {
        var ex = await CatchStreamAsync<MalformedResponseException>(CannedResponse.Json(OpenAIWire.Completion("Hi")));
        Assert.That(ex.Message, Does.Contain("event stream"));
    }

    [Test]
    public async Task Stream_of_only_comments_is_malformed()
    {
        await CatchStreamAsync<MalformedResponseException>(CannedResponse.EventStream(": ping\n\n: ping\n\n"));
    }

    [Test]
    public async Task Stream_with_only_a_role_chunk_then_eof_is_interrupted()
    {
        var ex = await CatchStreamAsync<StreamInterruptedException>(Sse(false, OpenAIWire.RoleChunk()));
        Assert.That(ex.PartialText, Is.Empty);
        Assert.That(ex.UpdatesDelivered, Is.Zero);
    }

    [Test]
    public async Task Interrupted_stream_reports_partial_text_and_updates_delivered()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<StreamInterruptedException>(Sse(false, OpenAIWire.TextChunk("Hello"), OpenAIWire.TextChunk(", wörld")), updates);
        Assert.That(ex.PartialText, Is.EqualTo("Hello, wörld"));
        Assert.That(ex.UpdatesDelivered, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("openai"));
        Assert.That(updates, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Request_timeout_mid_stream_interrupts_the_stream()
    {
        var provider = CreateProvider(o => o.RequestTimeout = TimeSpan.FromSeconds(60));
        var body = Sse(true, OpenAIWire.TextChunk("Hello"), OpenAIWire.TextChunk(" there"), OpenAIWire.FinishChunk("stop"));
        Handler.Response = body;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = body.BodyText.IndexOf("\n\n", StringComparison.Ordinal) + 2 };

        var updates = new List<ChatStreamUpdate>();
        var call = Collect(provider.StreamAsync(Ask()), updates);
        await Handler.WaitForBodyPauseAsync();
        Time.Advance(TimeSpan.FromSeconds(61));

        var ex = await CatchAsync<StreamInterruptedException>(() => call);
        Assert.That(ex.PartialText, Is.EqualTo("Hello"));
        Assert.That(ex.Message, Does.Contain("timeout"));
    }

    [Test]
    public async Task Every_update_names_the_provider_model_and_response_id()
    {
        var updates = await StreamAsync(Sse(true, OpenAIWire.RoleChunk(), OpenAIWire.TextChunk("a"), OpenAIWire.TextChunk("b"), OpenAIWire.FinishChunk("stop")));
        Assert.That(updates.Select(u => u.ProviderName).Distinct(), Is.EqualTo(new[] { "openai" }));
        Assert.That(updates.Select(u => u.Model).Distinct(), Is.EqualTo(new[] { Testing.Conformance.ProviderConformanceTests.ExpectedModel }));
        Assert.That(updates.Select(u => u.ResponseId).Distinct(), Is.EqualTo(new[] { Testing.Conformance.ProviderConformanceTests.ExpectedResponseId }));
    }

    [Test]
    public async Task Empty_content_deltas_produce_no_updates()
    {
        var updates = await StreamAsync(Sse(true, OpenAIWire.RoleChunk(), OpenAIWire.TextChunk(""), OpenAIWire.TextChunk("x"), OpenAIWire.FinishChunk("stop")));
        Assert.That(updates, Has.Count.EqualTo(2));
        Assert.That(updates[0].Text, Is.EqualTo("x"));
    }

    [Test]
    public async Task Html_page_answering_a_stream_with_502_is_provider_unavailable()
    {
        var ex = await CatchStreamAsync<ProviderUnavailableException>(CannedResponse.HtmlPage(HttpStatusCode.BadGateway));
        Assert.That(ex.Message, Does.Contain("HTML"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task Long_stream_of_many_small_deltas_is_read_completely()
    {
        var deltas = Enumerable.Range(0, 2000).Select(i => i % 10 == 0 ? "👋" : "ab").ToArray();
        var updates = await StreamAsync(CannedResponse.EventStream(OpenAIWire.Sse(deltas.Select(d => OpenAIWire.TextChunk(d)).Append(OpenAIWire.FinishChunk("stop")))));
        Assert.That(ConcatText(updates), Is.EqualTo(string.Concat(deltas)));
        Assert.That(updates, Has.Count.EqualTo(2001));
    }

    [Test]
    public async Task Stream_cancellation_reported_by_the_transport_as_an_io_error_is_still_a_cancellation()
    {
        var provider = CreateProvider();
        var body = Sse(true, OpenAIWire.TextChunk("Hello"), OpenAIWire.TextChunk(" there"), OpenAIWire.FinishChunk("stop"));
        Handler.Response = body;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = body.BodyText.IndexOf("\n\n", StringComparison.Ordinal) + 2, ReportCancellationAsIOException = true };
        using var cts = new System.Threading.CancellationTokenSource();

        var updates = new List<ChatStreamUpdate>();
        var call = Collect(provider.StreamAsync(Ask(), cts.Token), updates);
        await Handler.WaitForBodyPauseAsync();
        await cts.CancelAsync();

        await CatchAsync<OperationCanceledException>(() => call);
        Assert.That(ConcatText(updates), Is.EqualTo("Hello"));
    }
}
