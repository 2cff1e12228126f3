using System;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests;

/// <summary>How the provider reads non-streamed chat completions, including the edge cases of the wire summary.</summary>
public sealed class OpenAIProviderChatTests : OpenAIProviderTestBase
{
    [Test]
    public async Task Unknown_fields_everywhere_are_ignored()
    {
        const string Body = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini-2024-07-18","obfuscation":"abc",
             "future":{"nested":[1,{"deep":[true,null]}],"more":"x"},
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi!","refusal":null,"annotations":[{"type":"url_citation","url_citation":{"url":"https://x"}}],"audio":null,"new_field":{"a":[]}},
               "logprobs":{"content":[{"token":"Hi","logprob":-0.1,"bytes":[72,105],"top_logprobs":[]}]},"finish_reason":"stop","native_finish_reason":"stop"}],
             "usage":{"prompt_tokens":11,"completion_tokens":9,"total_tokens":20,"cost":0.0001,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0,"text_tokens":11},"completion_tokens_details":{"reasoning_tokens":0,"accepted_prediction_tokens":0}},
             "service_tier":"default","system_fingerprint":"fp_x","seed":2039908639335532000,"created_big":1e400}
            """;
        var result = await ChatAsync(CannedResponse.Json(Body));
        Assert.That(result.Text, Is.EqualTo("Hi!"));
        Assert.That(result.Model, Is.EqualTo("gpt-4o-mini-2024-07-18"), "the resolved snapshot, not the alias");
        Assert.That(result.Usage!.TotalTokenCount, Is.EqualTo(20));
    }

    [Test]
    public async Task Structured_output_refusal_has_null_content_and_the_refusal_text()
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion(null, "stop", refusal: "I'm very sorry, but I can't assist with that request.")));
        Assert.That(result.Refusal, Is.EqualTo("I'm very sorry, but I can't assist with that request."));
        Assert.That(result.Text, Is.Empty);
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Reasoning_tokens_are_reported_inside_output_and_on_their_own()
    {
        var usage = """{"prompt_tokens":30,"completion_tokens":863,"total_tokens":893,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":128}}""";
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("Themes…", usage: usage)));
        Assert.That(result.Usage!.OutputTokenCount, Is.EqualTo(863));
        Assert.That(result.Usage.ReasoningTokenCount, Is.EqualTo(128));
        Assert.That(result.Usage.InputTokenCount, Is.EqualTo(30));
    }

    [TestCase("""{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}""")]
    [TestCase("""{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8,"prompt_tokens_details":null,"completion_tokens_details":null}""")]
    public async Task Usage_without_details_leaves_cached_and_reasoning_counts_unknown(string usage)
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok", usage: usage)));
        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(5));
        Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(3));
        Assert.That(result.Usage.TotalTokenCount, Is.EqualTo(8));
        Assert.That(result.Usage.CachedInputTokenCount, Is.Null);
        Assert.That(result.Usage.ReasoningTokenCount, Is.Null);
    }

    [Test]
    public async Task Missing_total_tokens_is_the_sum_of_input_and_output()
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok", usage: """{"prompt_tokens":5,"completion_tokens":3}""")));
        Assert.That(result.Usage!.TotalTokenCount, Is.EqualTo(8));
    }

    [Test]
    public async Task Token_counts_beyond_32_bits_are_kept()
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok", usage: """{"prompt_tokens":5000000000,"completion_tokens":1,"total_tokens":5000000001}""")));
        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(5_000_000_000L));
    }

    [Test]
    public async Task Response_without_usage_has_no_usage()
    {
        const string Body = """{"id":"x","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";
        var result = await ChatAsync(CannedResponse.Json(Body));
        Assert.That(result.Usage, Is.Null);
    }

    [Test]
    public async Task Several_choices_keep_choice_zero_whatever_their_order()
    {
        const string Body = """
            {"id":"x","model":"m","choices":[
              {"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"length"},
              {"message":{"role":"assistant","content":"first"},"finish_reason":"stop","index":0},
              {"index":2,"message":{"role":"assistant","content":"third"},"finish_reason":"stop"}]}
            """;
        var result = await ChatAsync(CannedResponse.Json(Body));
        Assert.That(result.Text, Is.EqualTo("first"));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Tool_call_with_invalid_json_arguments_is_returned_with_its_exception()
    {
        var calls = "[" + OpenAIWire.ToolCall("call_1", "get_weather", "{\"city\": \"Par") + "]";
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion(null, "tool_calls", calls)));
        var call = result.ToolCalls.Single();
        Assert.That(call.CallId, Is.EqualTo("call_1"));
        Assert.That(call.Name, Is.EqualTo("get_weather"));
        Assert.That(call.Exception, Is.Not.Null);
    }

    [Test]
    public async Task Tool_call_with_empty_arguments_has_no_arguments()
    {
        var calls = "[" + OpenAIWire.ToolCall("call_1", "get_time", "") + "]";
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion(null, "tool_calls", calls)));
        Assert.That(result.ToolCalls.Single().Arguments, Is.Empty);
        Assert.That(result.ToolCalls.Single().Exception, Is.Null);
    }

    [Test]
    public async Task Tool_call_arguments_sent_as_an_object_by_a_compatible_server_are_read()
    {
        var calls = """[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":{"city":"Paris"}}}]""";
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion(null, "tool_calls", calls)));
        Assert.That(result.ToolCalls.Single().Arguments!["city"]?.ToString(), Is.EqualTo("Paris"));
    }

    [Test]
    public async Task Tool_call_without_an_id_gets_one()
    {
        var calls = """[{"type":"function","function":{"name":"a","arguments":"{}"}},{"type":"function","function":{"name":"b","arguments":"{}"}}]""";
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion(null, "tool_calls", calls)));
        Assert.That(result.ToolCalls.Select(c => c.CallId), Is.EqualTo(new[] { "call_0", "call_1" }));
    }

    [Test]
    public async Task Text_and_tool_calls_in_one_message_are_both_kept()
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("Let me check.", "tool_calls", "[" + OpenAIWire.ToolCall("c1", "get_weather", "{\"city\":\"Oslo\"}") + "]")));
        Assert.That(result.Text, Is.EqualTo("Let me check."));
        Assert.That(result.ToolCalls.Single().Arguments!["city"]?.ToString(), Is.EqualTo("Oslo"));
    }

    [TestCase("function_call")]
    [TestCase("error")]
    public async Task Finish_reasons_of_other_servers_keep_their_raw_value(string raw)
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok", raw)));
        Assert.That(result.FinishReason?.Value, Is.EqualTo(raw));
    }

    [TestCase("stop")]
    [TestCase("length")]
    [TestCase("tool_calls")]
    [TestCase("content_filter")]
    public async Task Known_finish_reasons_map_to_the_standard_values(string raw)
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok", raw)));
        Assert.That(FinishReasons.IsKnown(result.FinishReason!.Value), Is.True);
        Assert.That(result.FinishReason.Value.Value, Is.EqualTo(raw));
    }

    [Test]
    public async Task Null_finish_reason_is_no_finish_reason()
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok", null)));
        Assert.That(result.FinishReason, Is.Null);
    }

    [Test]
    public async Task Reasoning_content_of_compatible_servers_comes_back_as_reasoning()
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("42", reasoningContent: "Six times seven.")));
        Assert.That(result.ReasoningText, Is.EqualTo("Six times seven."));
        Assert.That(result.Message.Contents.OfType<TextReasoningContent>().Single().Text, Is.EqualTo("Six times seven."));
        Assert.That(result.Text, Is.EqualTo("42"));
    }

    [Test]
    public async Task Content_given_as_an_array_of_blocks_is_joined_and_thinking_blocks_become_reasoning()
    {
        const string Body = """
            {"id":"x","model":"magistral","choices":[{"index":0,"message":{"role":"assistant","content":[
              {"type":"thinking","thinking":[{"type":"text","text":"Hmm."}]},
              {"type":"text","text":"Hello, "},{"type":"text","text":"world"}]},"finish_reason":"stop"}]}
            """;
        var result = await ChatAsync(CannedResponse.Json(Body));
        Assert.That(result.Text, Is.EqualTo("Hello, world"));
        Assert.That(result.ReasoningText, Is.EqualTo("Hmm."));
    }

    [Test]
    public async Task Response_without_a_model_reports_the_requested_model()
    {
        const string Body = """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";
        var result = await ChatAsync(CannedResponse.Json(Body), Ask(model: "gpt-4.1"));
        Assert.That(result.Model, Is.EqualTo("gpt-4.1"));
    }

    [Test]
    public async Task Body_with_a_utf8_byte_order_mark_is_read()
    {
        var json = Encoding.UTF8.GetBytes(OpenAIWire.Completion("ok"));
        var result = await ChatAsync(CannedResponse.Json("").WithBody([0xEF, 0xBB, 0xBF, .. json]));
        Assert.That(result.Text, Is.EqualTo("ok"));
    }

    [Test]
    public async Task Repeated_calls_give_equal_results()
    {
        var provider = CreateProvider();
        var first = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("one", model: "gpt-4o-2024-08-06")), provider: provider);
        var second = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("two", model: "gpt-4o-2024-08-06")), provider: provider);
        var third = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("three", model: "gpt-4o-mini-2024-07-18")), provider: provider);
        Assert.That(first.Model, Is.EqualTo("gpt-4o-2024-08-06"));
        Assert.That(second.Model, Is.EqualTo("gpt-4o-2024-08-06"));
        Assert.That(third.Model, Is.EqualTo("gpt-4o-mini-2024-07-18"));
        Assert.That(second.Text, Is.EqualTo("two"));
    }

    [Test]
    public async Task Error_object_in_a_200_body_is_the_mapped_error()
    {
        var ex = await CatchChatAsync<ProviderUnavailableException>(CannedResponse.Json(OpenAIWire.Error("The server had an error processing your request.", "server_error", null)));
        Assert.That(ex.ProviderName, Is.EqualTo("openai"));
        Assert.That(ex.Message, Does.Contain("The server had an error processing your request."));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task Rate_limit_error_object_in_a_200_body_is_a_rate_limit()
    {
        await CatchChatAsync<RateLimitedException>(CannedResponse.Json(OpenAIWire.Error("Rate limit reached.", "tokens", "rate_limit_exceeded")));
    }

    [TestCase("""{"id":"x","model":"m"}""", TestName = "Response_without_choices_is_malformed")]
    [TestCase("""{"id":"x","model":"m","choices":[]}""", TestName = "Response_with_empty_choices_is_malformed")]
    [TestCase("""[{"id":"x"}]""", TestName = "Response_that_is_an_array_is_malformed")]
    [TestCase("\"just a string\"", TestName = "Response_that_is_a_string_is_malformed")]
    [TestCase("""{"id":"x","choices":[{"index":0,"message":{"content":"ok"}}]} trailing""", TestName = "Response_with_trailing_garbage_is_malformed")]
    [TestCase("""{"id":"x","choices":[{"index":0,"message":{"content":"\uD800"}}]}""", TestName = "Response_with_a_lone_surrogate_escape_is_malformed")]
    [TestCase("Internal error", TestName = "Response_in_plain_text_is_malformed")]
    public async Task Bodies_that_are_not_chat_completions_are_malformed(string body)
    {
        var ex = await CatchChatAsync<MalformedResponseException>(CannedResponse.Json(body));
        Assert.That(ex.ProviderName, Is.EqualTo("openai"));
        Assert.That(ex.Message, Does.Contain("openai"));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Html_page_with_200_says_a_gateway_answered()
    {
        var ex = await CatchChatAsync<MalformedResponseException>(CannedResponse.HtmlPage(HttpStatusCode.OK));
        Assert.That(ex.Message, Does.Contain("HTML"));
        Assert.That(ex.ResponseBody, Does.Contain("<html>"));
    }

    [Test]
    public async Task Latency_is_measured_on_the_provider_clock()
    {
        Handler.ServerLatency = TimeSpan.FromMilliseconds(1234);
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")));
        Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(1234)));
        Assert.That(result.ProviderName, Is.EqualTo("openai"));
    }

    [Test]
    public async Task Request_timeout_while_reading_the_body_is_a_timeout()
    {
        var provider = CreateProvider(o => o.RequestTimeout = TimeSpan.FromSeconds(30));
        var body = CannedResponse.Json(OpenAIWire.Completion("ok"));
        Handler.Response = body;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = body.Body.Length / 2 };

        var call = provider.ChatAsync(Ask());
        await Handler.WaitForBodyPauseAsync();
        Assert.That(call.IsCompleted, Is.False);
        Time.Advance(TimeSpan.FromSeconds(31));

        var ex = await CatchAsync<ProviderTimeoutException>(() => call);
        Assert.That(ex.ProviderName, Is.EqualTo("openai"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task Request_timeout_before_the_answer_is_a_timeout_naming_the_limit()
    {
        var provider = CreateProvider(o => o.RequestTimeout = TimeSpan.FromSeconds(5));
        Handler.ServerLatency = TimeSpan.FromSeconds(6); // the clock passes the limit while the server "works"
        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("ok"));

        var ex = await CatchAsync<ProviderTimeoutException>(() => provider.ChatAsync(Ask()));
        Assert.That(ex.Message, Does.Contain("5 s"));
    }

    [Test]
    public async Task Cancellation_reported_by_the_transport_as_an_io_error_is_still_a_cancellation()
    {
        var provider = CreateProvider();
        var body = CannedResponse.Json(OpenAIWire.Completion("ok"));
        Handler.Response = body;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = body.Body.Length / 2, ReportCancellationAsIOException = true };
        using var cts = new System.Threading.CancellationTokenSource();

        var call = provider.ChatAsync(Ask(), cts.Token);
        await Handler.WaitForBodyPauseAsync();
        await cts.CancelAsync();

        var ex = await CatchAsync<OperationCanceledException>(() => call);
        Assert.That(ex.CancellationToken, Is.EqualTo(cts.Token));
    }
}
