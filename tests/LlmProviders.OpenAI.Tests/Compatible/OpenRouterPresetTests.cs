using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests.Compatible;

/// <summary>OpenRouter's quirks: keep-alive comments, <c>usage.cost</c>, mid-stream errors, numeric codes, 402, string prices, attribution headers.</summary>
public sealed class OpenRouterPresetTests : CompatiblePresetTestBase
{
    private const string Role = """{"id":"gen-stream-001","provider":"OpenAI","model":"openai/gpt-4o","object":"chat.completion.chunk","created":1719000000,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null}]}""";
    private const string Text = """{"id":"gen-stream-001","provider":"OpenAI","model":"openai/gpt-4o","object":"chat.completion.chunk","created":1719000000,"choices":[{"index":0,"delta":{"content":"Hi from OpenRouter!"},"finish_reason":null,"native_finish_reason":null}]}""";
    private const string Finish = """{"id":"gen-stream-001","provider":"OpenAI","model":"openai/gpt-4o","object":"chat.completion.chunk","created":1719000000,"choices":[{"index":0,"delta":{},"finish_reason":"stop","native_finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":8,"total_tokens":20,"cost":0.000123,"is_byok":false}}""";

    [Test]
    public async Task Skips_openrouter_processing_comment_lines()
    {
        // SUMMARY #3: ": OPENROUTER PROCESSING" is an SSE comment, before and between events.
        var updates = await StreamAsync(
            Events(": OPENROUTER PROCESSING", ": OPENROUTER PROCESSING", Role, Text, ": OPENROUTER PROCESSING", Finish, "[DONE]"),
            provider: Preset(CompatiblePreset.OpenRouter));

        Assert.That(ConcatText(updates), Is.EqualTo("Hi from OpenRouter!"));
        Assert.That(Final(updates).FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Takes_usage_cost_as_the_cost_of_a_streamed_call()
    {
        // SPEC C2: a provider-reported cost wins.
        var updates = await StreamAsync(Events(Role, Text, Finish, "[DONE]"), provider: Preset(CompatiblePreset.OpenRouter));

        var final = Final(updates);
        Assert.That(final.Cost, Is.EqualTo(0.000123m));
        Assert.That(final.Usage!.TotalTokenCount, Is.EqualTo(20));
    }

    [Test]
    public async Task Takes_usage_cost_as_the_cost_of_a_completion()
    {
        var body = """{"id":"gen-1764926476-0N0195qHFzGljvYKVijc","provider":"OpenAI","model":"openai/gpt-4o-mini","object":"chat.completion","created":1764926476,"choices":[{"logprobs":null,"finish_reason":"stop","native_finish_reason":"stop","index":0,"message":{"role":"assistant","content":"Paris.","refusal":null,"reasoning":null}}],"system_fingerprint":"fp_aa07c96156","usage":{"prompt_tokens":29,"completion_tokens":33,"total_tokens":62,"cost":0.00002415,"is_byok":false,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0,"video_tokens":0},"cost_details":{"upstream_inference_cost":null,"upstream_inference_prompt_cost":0.00000435,"upstream_inference_completions_cost":0.0000198},"completion_tokens_details":{"reasoning_tokens":0,"image_tokens":0}}}""";
        var result = await ChatAsync(CannedResponse.Json(body), provider: Preset(CompatiblePreset.OpenRouter));

        Assert.That(result.Text, Is.EqualTo("Paris."));
        Assert.That(result.Cost, Is.EqualTo(0.00002415m));
        Assert.That(result.IsCostKnown, Is.True);
        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(29));
        Assert.That(result.ReasoningText, Is.Empty, "reasoning: null is no reasoning");
    }

    [Test]
    public async Task Cost_sent_as_a_string_or_negative_is_read_leniently()
    {
        var stringCost = Finish.Replace("\"cost\":0.000123", "\"cost\":\"0.0005\"", StringComparison.Ordinal);
        var updates = await StreamAsync(Events(Role, stringCost, "[DONE]"), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(Final(updates).Cost, Is.EqualTo(0.0005m));

        var negative = Finish.Replace("\"cost\":0.000123", "\"cost\":-1", StringComparison.Ordinal);
        updates = await StreamAsync(Events(Role, negative, "[DONE]"), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(Final(updates).Cost, Is.Null, "a negative number is not a cost");
    }

    [Test]
    public async Task Completion_without_cost_leaves_the_cost_unknown()
    {
        var body = """{"id":"gen-1756333451","provider":"OpenAI","model":"openai/gpt-4o-mini","object":"chat.completion","created":1756333451,"choices":[{"finish_reason":"stop","native_finish_reason":"stop","index":0,"message":{"role":"assistant","content":"The capital of France is Paris."}}],"usage":{"prompt_tokens":14,"completion_tokens":7,"total_tokens":21}}""";
        var result = await ChatAsync(CannedResponse.Json(body), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(result.Cost, Is.Null);
    }

    [Test]
    public async Task Mid_stream_error_event_is_a_typed_failure_with_the_partial_text()
    {
        // SUMMARY #23: HTTP 200, then a data event with a top-level error and finish_reason "error".
        var error = """{"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"gpt-3.5-turbo","provider":"openai","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}""";
        var first = """{"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"gpt-3.5-turbo","choices":[{"index":0,"delta":{"content":"The"},"finish_reason":null}]}""";
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ProviderUnavailableException>(Events(": OPENROUTER PROCESSING", first, error), updates, provider: Preset(CompatiblePreset.OpenRouter, name: "openrouter"));

        Assert.That(ex.Message, Does.Contain("Provider disconnected unexpectedly"));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.ProviderName, Is.EqualTo("openrouter"));
        Assert.That(ConcatText(updates), Is.EqualTo("The"));
    }

    [Test]
    public async Task Mid_stream_error_with_numeric_code_402_is_quota_exhausted()
    {
        // SUMMARY #24/#25: OpenRouter's numeric code is the HTTP status even inside a 200 stream.
        var error = """{"error":{"code":402,"message":"Insufficient credits. Add more using https://openrouter.ai/settings/credits"}}""";
        var ex = await CatchStreamAsync<QuotaExhaustedException>(Events(Role, error), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Http_402_is_quota_exhausted_and_never_transient()
    {
        // SUMMARY #25: 402 is insufficient credit, not a rate limit; retrying will not help.
        var body = """{"error":{"message":"Insufficient credits. Add more using https://openrouter.ai/settings/credits","code":402,"metadata":{"limit_source":"openrouter_credits","remedy_hint":"Add credits at https://openrouter.ai/settings/credits, or lower max_tokens / prompt size to fit your remaining balance."}}}""";
        var ex = await CatchChatAsync<QuotaExhaustedException>(CannedResponse.Json(body, HttpStatusCode.PaymentRequired).WithHeader("Retry-After", "5"), provider: Preset(CompatiblePreset.OpenRouter));

        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));
        Assert.That(ex.ErrorCode, Is.EqualTo("402"));
        Assert.That(ex.Message, Does.Contain("Insufficient credits"));
    }

    [Test]
    public async Task Numeric_401_code_is_an_authentication_failure()
    {
        // SUMMARY #24: {"error":{"message":…,"code":401}}.
        var ex = await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json("""{"error":{"message":"No auth credentials found","code":401}}""", HttpStatusCode.Unauthorized), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(ex.ErrorCode, Is.EqualTo("401"));
        Assert.That(ex.Message, Does.Contain("No auth credentials found"));
    }

    [Test]
    public async Task Moderation_403_is_a_content_filter_failure()
    {
        var body = """{"error":{"code":403,"message":"Input was flagged by moderation.","metadata":{"reasons":["harassment"],"flagged_input":"…","provider_name":"OpenAI","model_slug":"openai/gpt-4o"}}}""";
        var ex = await CatchChatAsync<ContentFilteredException>(CannedResponse.Json(body, HttpStatusCode.Forbidden), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Keeps_the_error_finish_reason_raw()
    {
        // SUMMARY #18: OpenRouter's normalized "error" finish (no error object): kept as its own value, not a stop.
        var body = """{"id":"gen-1","model":"openai/gpt-4o","object":"chat.completion","created":1,"choices":[{"finish_reason":"error","native_finish_reason":"error","index":0,"message":{"role":"assistant","content":"Par"}}]}""";
        var result = await ChatAsync(CannedResponse.Json(body), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(result.FinishReason?.Value, Is.EqualTo("error"));
    }

    [Test]
    public async Task Lists_models_whose_prices_are_strings()
    {
        // SUMMARY #28: {"data":[…]} without "object", prices as strings.
        Handler.Response = CannedResponse.Json("""{"data":[{"id":"openai/gpt-4o","canonical_slug":"openai/gpt-4o","name":"OpenAI: GPT-4o","created":1715367049,"description":"GPT-4o.","context_length":128000,"architecture":{"input_modalities":["text","image"],"output_modalities":["text"],"tokenizer":"GPT"},"pricing":{"prompt":"0.0000025","completion":"0.00001","request":"0","image":"0.003613"},"top_provider":{"context_length":128000,"max_completion_tokens":16384,"is_moderated":true},"per_request_limits":null,"supported_parameters":["tools","tool_choice","max_tokens"]}]}""");
        var models = await Preset(CompatiblePreset.OpenRouter).ListModelsAsync();

        Assert.That(models, Has.Count.EqualTo(1));
        Assert.That(models[0].Id, Is.EqualTo("openai/gpt-4o"));
        Assert.That(models[0].ContextWindow, Is.EqualTo(128000));
        Assert.That(models[0].DisplayName, Is.EqualTo("OpenAI: GPT-4o"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://openrouter.ai/api/v1/models")));
    }

    [Test]
    public async Task Sends_attribution_headers_and_reasoning_effort_in_openrouter_shape()
    {
        var provider = Preset(CompatiblePreset.OpenRouter, o =>
        {
            var options = (OpenRouterProviderOptions)o;
            options.SiteUrl = new Uri("https://myapp.example.com");
            options.AppName = "My App";
        });
        var request = Ask(model: null);
        request.ReasoningEffort = ReasoningEffort.High;
        request.MaxOutputTokens = 100;
        await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), request, provider);

        var sent = Handler.LastRequest;
        var json = sent.Json();
        Assert.That(sent.Uri, Is.EqualTo(new Uri("https://openrouter.ai/api/v1/chat/completions")));
        Assert.That(sent.Header("Authorization"), Is.EqualTo("Bearer " + Key));
        Assert.That(sent.Header("HTTP-Referer"), Is.EqualTo("https://myapp.example.com/"));
        Assert.That(sent.Header("X-Title"), Is.EqualTo("My App"));
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo("openrouter/auto"));
        Assert.That(json.GetProperty("reasoning").GetProperty("effort").GetString(), Is.EqualTo("high"));
        Assert.That(json.TryGetProperty("reasoning_effort", out _), Is.False);
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(100));
    }

    [Test]
    public async Task Without_attribution_options_sends_no_attribution_headers()
    {
        await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(Handler.LastRequest.Header("HTTP-Referer"), Is.Null);
        Assert.That(Handler.LastRequest.Header("X-Title"), Is.Null);
    }

    [Test]
    public async Task Reasoning_deltas_become_reasoning_updates()
    {
        // SUMMARY #12: OpenRouter streams thinking as delta.reasoning.
        var thinking = """{"id":"gen-2","model":"deepseek/deepseek-r1","object":"chat.completion.chunk","created":1,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Thinking…"},"finish_reason":null}]}""";
        var updates = await StreamAsync(Events(thinking, Text, Finish, "[DONE]"), provider: Preset(CompatiblePreset.OpenRouter));
        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo("Thinking…"));
        Assert.That(ConcatText(updates), Is.EqualTo("Hi from OpenRouter!"));
    }
}
