using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;
using static LlmProviders.OpenAI.Tests.OpenAIWire;

namespace LlmProviders.OpenAI.Tests.Compatible;

/// <summary>
/// The conformance suite for the OpenAI-compatible presets. Each derived fixture writes the payloads in its service's own
/// shape (chunk extras, where usage comes, error bodies, model lists); this base assembles the scenarios from them.
/// </summary>
public abstract class CompatibleConformanceTests : ProviderConformanceTests
{
    /// <summary>Usage as the services without details report it.</summary>
    protected const string BasicUsage = """{"prompt_tokens":42,"completion_tokens":17,"total_tokens":59}""";

    /// <summary>Gets the usage JSON of the text scenarios in this service's shape.</summary>
    protected virtual string UsageJson => ConformanceUsage;

    /// <summary>Gets the name of the reasoning field in messages and deltas.</summary>
    protected virtual string ReasoningField => "reasoning_content";

    /// <summary>Gets the chat completions URL the provider must call.</summary>
    protected abstract Uri ExpectedChatUri { get; }

    /// <summary>Gets a value indicating whether streamed requests carry <c>stream_options</c>.</summary>
    protected virtual bool ExpectsStreamOptions => true;

    protected override CannedResponse TextCompletion => CannedResponse.Json(Completion(ExpectedText));

    protected override CannedResponse TextStream => Stream(
        new[] { RoleChunk() }.Concat(ExpectedTextDeltas.Select(d => Chunk($$$"""{"content":{{{Str(d)}}}}"""))).Concat(StreamEnd("stop")));

    protected override CannedResponse ToolCallCompletion => CannedResponse.Json(Completion(null, "tool_calls", ConformanceToolCalls));

    protected override CannedResponse ToolCallStream => Stream(
        new[] { RoleChunk(), ToolStart(0, WeatherCallId, WeatherToolName) }
            .Concat(WeatherArgumentFragments.Select(f => ToolArguments(0, f)))
            .Append(ToolStart(1, TimeCallId, TimeToolName))
            .Concat(TimeArgumentFragments.Select(f => ToolArguments(1, f)))
            .Concat(StreamEnd("tool_calls")));

    protected override CannedResponse LengthCompletion => CannedResponse.Json(Completion("Hello, wö", "length"));

    protected override CannedResponse UnknownFinishReasonCompletion => CannedResponse.Json(Completion(ExpectedText, UnknownFinishReason));

    protected override CannedResponse StreamWithoutTerminator => Stream(
        [RoleChunk(), Chunk($$$"""{"content":{{{Str(ExpectedTextDeltas[0])}}}}"""), Chunk($$$"""{"content":{{{Str(ExpectedTextDeltas[1])}}}}""")], done: false);

    protected override CannedResponse StreamWithErrorEvent => Stream(
        [RoleChunk(), Chunk($$$"""{"content":{{{Str(ExpectedTextDeltas[0])}}}}"""), ErrorEvent()], done: false);

    protected override CannedResponse? ReasoningCompletion => CannedResponse.Json(Completion(ExpectedText, reasoning: ExpectedReasoning));

    protected override CannedResponse? ReasoningStream => Stream(
        new[]
        {
            RoleChunk(),
            Chunk($$$"""{"{{{ReasoningField}}}":{{{Str(ExpectedReasoning[..14])}}}}"""),
            Chunk($$$"""{"{{{ReasoningField}}}":{{{Str(ExpectedReasoning[14..])}}}}"""),
        }.Concat(ExpectedTextDeltas.Select(d => Chunk($$$"""{"content":{{{Str(d)}}}}"""))).Concat(StreamEnd("stop")));

    protected override CannedResponse? RefusalCompletion => CannedResponse.Json(Completion(null, "stop", refusal: ExpectedRefusal));

    protected override CannedResponse? RefusalStream => Stream(
        new[]
        {
            RoleChunk(),
            Chunk($$$"""{"refusal":{{{Str(ExpectedRefusal[..11])}}}}"""),
            Chunk($$$"""{"refusal":{{{Str(ExpectedRefusal[11..])}}}}"""),
        }.Concat(StreamEnd("stop")));

    protected override CannedResponse? ContentFilterCompletion => CannedResponse.Json(Completion(null, "content_filter"));

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => ErrorBody(HttpStatusCode.BadRequest, "temperature must be between 0 and 2.", "invalid_request_error"),
        ErrorScenario.ContextLengthExceeded => ErrorBody(HttpStatusCode.BadRequest, "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens (8000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.", "invalid_request_error"),
        ErrorScenario.Authentication => ErrorBody(HttpStatusCode.Unauthorized, $"Invalid API key provided: {MaskedApiKey}.", "authentication_error"),
        ErrorScenario.PermissionDenied => ErrorBody(HttpStatusCode.Forbidden, "This key is not allowed to use this model.", "permission_error"),
        ErrorScenario.ModelNotFound => ErrorBody(HttpStatusCode.NotFound, $"The model `{RequestedModel}` does not exist.", "not_found_error"),
        ErrorScenario.RateLimited => ErrorBody(HttpStatusCode.TooManyRequests, "Rate limit exceeded: 60 requests per minute.", "rate_limit_error"),
        ErrorScenario.QuotaExhausted => ErrorBody(HttpStatusCode.PaymentRequired, "Insufficient credits. Add more credits to continue.", "credit_limit"),
        ErrorScenario.ServerError => ErrorBody(HttpStatusCode.InternalServerError, "Internal server error.", "server_error"),
        ErrorScenario.ServiceUnavailable => ErrorBody(HttpStatusCode.ServiceUnavailable, "Service temporarily unavailable. Please try again later.", "server_error"),
        ErrorScenario.GatewayTimeout => ErrorBody(HttpStatusCode.GatewayTimeout, "Upstream request timed out.", "timeout"),
        ErrorScenario.Overloaded => ErrorBody(HttpStatusCode.ServiceUnavailable, "The server is overloaded, please try again later.", "server_error"),
        _ => null,
    };

    protected override void AssertChatRequest(RecordedRequest request, bool streaming)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(ExpectedChatUri));
        AssertAuthentication(request);
        var json = request.Json();
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(RequestedModel));
        Assert.That(json.GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("system"));
        Assert.That(json.TryGetProperty("max_completion_tokens", out _), Is.False);
        if (streaming)
        {
            Assert.That(json.GetProperty("stream").GetBoolean(), Is.True);
            Assert.That(json.TryGetProperty("stream_options", out _), Is.EqualTo(ExpectsStreamOptions));
            Assert.That(request.Header("Accept"), Is.EqualTo("text/event-stream"));
        }
        else
        {
            Assert.That(json.TryGetProperty("stream", out _), Is.False);
            Assert.That(json.TryGetProperty("stream_options", out _), Is.False);
        }
    }

    /// <summary>Asserts how the key travels.</summary>
    /// <param name="request">The request.</param>
    protected virtual void AssertAuthentication(RecordedRequest request) =>
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer " + ApiKey));

    /// <summary>Builds one stream chunk in the service's shape.</summary>
    /// <param name="delta">The delta object.</param>
    /// <param name="finishReason">The finish reason, or <see langword="null"/>.</param>
    /// <param name="usage">The usage JSON, or <see langword="null"/> for the service's default for a chunk.</param>
    /// <returns>The chunk JSON.</returns>
    protected virtual string Chunk(string delta, string? finishReason = null, string? usage = null) =>
        $$$"""{"id":{{{Str(ExpectedResponseId)}}},"object":"chat.completion.chunk","created":{{{Created}}},"model":{{{Str(ExpectedModel)}}},"choices":[{"index":0,"delta":{{{delta}}},"logprobs":null,"finish_reason":{{{Str(finishReason)}}}}]{{{(usage is null ? string.Empty : ",\"usage\":" + usage)}}}}""";

    /// <summary>Builds the opening role chunk.</summary>
    /// <returns>The chunk JSON.</returns>
    protected virtual string RoleChunk() => Chunk("""{"role":"assistant","content":""}""");

    /// <summary>Builds the chunks that end a stream: the finish reason and the usage, where the service puts them.</summary>
    /// <param name="finishReason">The finish reason.</param>
    /// <returns>The chunks.</returns>
    protected virtual IEnumerable<string> StreamEnd(string finishReason) =>
    [
        Chunk("{}", finishReason),
        $$$"""{"id":{{{Str(ExpectedResponseId)}}},"object":"chat.completion.chunk","created":{{{Created}}},"model":{{{Str(ExpectedModel)}}},"choices":[],"usage":{{{UsageJson}}}}""",
    ];

    /// <summary>Builds a first tool-call fragment.</summary>
    protected virtual string ToolStart(int index, string id, string name) =>
        Chunk($$$"""{"tool_calls":[{"index":{{{index}}},"id":{{{Str(id)}}},"type":"function","function":{"name":{{{Str(name)}}},"arguments":""}}]}""");

    /// <summary>Builds a later tool-call fragment.</summary>
    protected virtual string ToolArguments(int index, string fragment) =>
        Chunk($$$"""{"tool_calls":[{"index":{{{index}}},"function":{"arguments":{{{Str(fragment)}}}}}]}""");

    /// <summary>Builds the service's mid-stream error event (a server error).</summary>
    protected virtual string ErrorEvent() => """{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}""";

    /// <summary>Builds a non-streamed completion in the service's shape.</summary>
    protected virtual string Completion(string? content, string? finishReason = "stop", string? toolCalls = null, string? refusal = null, string? reasoning = null)
    {
        var message = new StringBuilder("{\"role\":\"assistant\",\"content\":").Append(Str(content));
        if (reasoning is not null)
        {
            message.Append(",\"").Append(ReasoningField).Append("\":").Append(Str(reasoning));
        }

        if (toolCalls is not null)
        {
            message.Append(",\"tool_calls\":").Append(toolCalls);
        }

        if (refusal is not null)
        {
            message.Append(",\"refusal\":").Append(Str(refusal));
        }

        message.Append('}');
        return $$$"""{"id":{{{Str(ExpectedResponseId)}}},"object":"chat.completion","created":{{{Created}}},"model":{{{Str(ExpectedModel)}}},"choices":[{"index":0,"message":{{{message}}},"logprobs":null,"finish_reason":{{{Str(finishReason)}}}}],"usage":{{{UsageJson}}}}""";
    }

    /// <summary>Builds an error response in the service's shape.</summary>
    protected virtual CannedResponse ErrorBody(HttpStatusCode status, string message, string type) =>
        CannedResponse.Json($$$"""{"error":{"message":{{{Str(message)}}},"type":{{{Str(type)}}},"param":null,"code":null}}""", status);

    /// <summary>Frames events as the service's SSE body.</summary>
    protected virtual CannedResponse Stream(IEnumerable<string> events, bool done = true) => CannedResponse.EventStream(Sse(events, done));

    /// <summary>Creates a provider of the preset over the scripted server, never reading the machine's environment.</summary>
    private protected OpenAIProvider Create(CompatiblePreset preset, OpenAICompatibleProviderOptions options, HttpMessageHandler handler, TimeProvider time, string name) =>
        OpenAICompatibleProviders.Create(preset, options, new HttpClient(handler), name, time, null, new OpenAICompatibleEnvironment(_ => null), Costs);
}

/// <summary>Together AI: usage and <c>finish_reason: "eos"</c> in the last content chunk, <c>text</c>/<c>seed</c>/<c>token_id</c> extras, a bare-array model list.</summary>
[ProviderLacks(ConformanceFeature.Refusal, ConformanceFeature.ContentFilter)]
public sealed class TogetherAIConformanceTests : CompatibleConformanceTests
{
    protected override Uri ExpectedChatUri => new("https://api.together.xyz/v1/chat/completions");

    protected override string UsageJson => BasicUsage;

    protected override bool ReportsCachedInputTokens => false;

    protected override bool ReportsReasoningTokens => false;

    protected override string ReasoningField => "reasoning";

    protected override CannedResponse ModelList => CannedResponse.Json(
        "[" + string.Join(',', ExpectedModelIds.Select(id => $$$"""{"id":{{{Str(id)}}},"object":"model","created":1692896905,"type":"chat","display_name":"Conformance","organization":"Meta","license":"llama","context_length":131072,"pricing":{"input":0.88,"output":0.88,"hourly":0,"base":0,"finetune":0}}""")) + "]");

    protected override string Chunk(string delta, string? finishReason = null, string? usage = null)
    {
        // Together repeats the delta's text in choices[].text and adds token_id and seed; usage is null until the last chunk.
        string text = delta.Contains("\"content\":", StringComparison.Ordinal) ? delta[(delta.IndexOf("\"content\":", StringComparison.Ordinal) + 10)..^1] : "\"\"";
        string withToken = delta.Length > 2 ? "{\"token_id\":1234," + delta[1..] : "{\"token_id\":128009}";
        string seed = finishReason is null ? "null" : "2039908639335532000";
        return $$$"""{"id":{{{Str(ExpectedResponseId)}}},"object":"chat.completion.chunk","created":{{{Created}}},"choices":[{"index":0,"text":{{{text}}},"logprobs":null,"finish_reason":{{{Str(finishReason)}}},"seed":{{{seed}}},"delta":{{{withToken}}}}],"model":{{{Str(ExpectedModel)}}},"usage":{{{usage ?? "null"}}}}""";
    }

    protected override IEnumerable<string> StreamEnd(string finishReason) =>
        [Chunk("{\"content\":\"\"}", finishReason == "stop" ? "eos" : finishReason, UsageJson)];

    protected override CannedResponse ErrorBody(HttpStatusCode status, string message, string type) =>
        CannedResponse.Json($$$"""{"id":"8b43a5cfadf99e5c-SJC","error":{"message":{{{Str(message)}}},"type":{{{Str(type)}}},"param":null,"code":null}}""", status);

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        Create(CompatiblePreset.TogetherAI, new OpenAICompatibleProviderOptions { ApiKey = ApiKey }, handler, timeProvider, "together-conformance");
}

/// <summary>OpenRouter: <c>: OPENROUTER PROCESSING</c> comment lines, <c>provider</c> and <c>native_finish_reason</c> extras, usage with <c>cost</c>, numeric error codes, 402.</summary>
public sealed class OpenRouterConformanceTests : CompatibleConformanceTests
{
    protected override Uri ExpectedChatUri => new("https://openrouter.ai/api/v1/chat/completions");

    // OpenRouter's own usage.cost wins over the catalog.
    protected override decimal? ReportedCost => 0.00002415m;

    protected override string UsageJson =>
        """{"prompt_tokens":42,"completion_tokens":17,"total_tokens":59,"cost":0.00002415,"is_byok":false,"prompt_tokens_details":{"cached_tokens":8,"audio_tokens":0},"cost_details":{"upstream_inference_cost":null,"upstream_inference_prompt_cost":0.00000435,"upstream_inference_completions_cost":0.0000198},"completion_tokens_details":{"reasoning_tokens":5,"image_tokens":0}}""";

    protected override string ReasoningField => "reasoning";

    protected override CannedResponse ModelList => CannedResponse.Json(
        "{\"data\":[" + string.Join(',', ExpectedModelIds.Select(id => $$$"""{"id":{{{Str(id)}}},"canonical_slug":{{{Str(id)}}},"name":"Conformance: Model","created":1719000000,"description":"A model.","context_length":128000,"architecture":{"input_modalities":["text","image"],"output_modalities":["text"],"tokenizer":"GPT"},"pricing":{"prompt":"0.0000025","completion":"0.00001"},"top_provider":{"is_moderated":true},"supported_parameters":["tools","max_tokens"]}""")) + "]}");

    protected override string Chunk(string delta, string? finishReason = null, string? usage = null) =>
        $$$"""{"id":{{{Str(ExpectedResponseId)}}},"provider":"OpenAI","model":{{{Str(ExpectedModel)}}},"object":"chat.completion.chunk","created":{{{Created}}},"choices":[{"index":0,"delta":{{{delta}}},"finish_reason":{{{Str(finishReason)}}},"native_finish_reason":{{{Str(finishReason)}}},"logprobs":null}]{{{(usage is null ? string.Empty : ",\"usage\":" + usage)}}}}""";

    protected override IEnumerable<string> StreamEnd(string finishReason) => [Chunk("{}", finishReason, UsageJson)];

    protected override string ErrorEvent() =>
        $$$"""{"id":{{{Str(ExpectedResponseId)}}},"object":"chat.completion.chunk","created":{{{Created}}},"model":{{{Str(ExpectedModel)}}},"provider":"openai","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}""";

    protected override CannedResponse Stream(IEnumerable<string> events, bool done = true)
    {
        // Keep-alive comments before the first event and between events.
        var sb = new StringBuilder(": OPENROUTER PROCESSING\n\n");
        foreach (var e in events)
        {
            sb.Append("data: ").Append(e).Append("\n\n: OPENROUTER PROCESSING\n\n");
        }

        if (done)
        {
            sb.Append("data: [DONE]\n\n");
        }

        return CannedResponse.EventStream(sb.ToString());
    }

    protected override string Completion(string? content, string? finishReason = "stop", string? toolCalls = null, string? refusal = null, string? reasoning = null)
    {
        var body = base.Completion(content, finishReason, toolCalls, refusal, reasoning);
        return "{\"provider\":\"OpenAI\",\"system_fingerprint\":\"fp_aa07c96156\"," + body[1..];
    }

    protected override CannedResponse ErrorBody(HttpStatusCode status, string message, string type) =>
        CannedResponse.Json($$$"""{"error":{"code":{{{(int)status}}},"message":{{{Str(message)}}},"metadata":{"provider_name":null""" + "}}}", status);

    protected override void AssertChatRequest(RecordedRequest request, bool streaming)
    {
        base.AssertChatRequest(request, streaming);
        Assert.That(request.Header("HTTP-Referer"), Is.EqualTo("https://conformance.example.com/"));
        Assert.That(request.Header("X-Title"), Is.EqualTo("Conformance"));
    }

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        Create(CompatiblePreset.OpenRouter, new OpenRouterProviderOptions { ApiKey = ApiKey, SiteUrl = new Uri("https://conformance.example.com"), AppName = "Conformance" }, handler, timeProvider, "openrouter-conformance");
}

/// <summary>vLLM: <c>stop_reason</c> next to <c>finish_reason</c>, <c>reasoning_content</c>, a <c>choices: []</c> usage chunk, integer error codes.</summary>
[ProviderLacks(ConformanceFeature.Refusal, ConformanceFeature.ContentFilter)]
public sealed class VllmConformanceTests : CompatibleConformanceTests
{
    protected override Uri ExpectedChatUri => new("http://gpu-box:8000/v1/chat/completions");

    // vLLM reports cached tokens with --enable-prompt-tokens-details and no completion details.
    protected override string UsageJson => """{"prompt_tokens":42,"total_tokens":59,"completion_tokens":17,"prompt_tokens_details":{"cached_tokens":8}}""";

    protected override bool ReportsReasoningTokens => false;

    protected override CannedResponse ModelList => CannedResponse.Json(
        "{\"object\":\"list\",\"data\":[" + string.Join(',', ExpectedModelIds.Select(id => $$$"""{"id":{{{Str(id)}}},"object":"model","created":1710926036,"owned_by":"vllm","root":{{{Str(id)}}},"parent":null,"max_model_len":32768,"permission":[{"id":"modelperm-7f7d","object":"model_permission","created":1710926036,"allow_create_engine":false,"allow_sampling":true,"allow_logprobs":true,"allow_search_indices":false,"allow_view":true,"allow_fine_tuning":false,"organization":"*","group":null,"is_blocking":false}]}""")) + "]}");

    protected override string Chunk(string delta, string? finishReason = null, string? usage = null) =>
        $$$"""{"id":{{{Str(ExpectedResponseId)}}},"object":"chat.completion.chunk","created":{{{Created}}},"model":{{{Str(ExpectedModel)}}},"choices":[{"index":0,"delta":{{{delta}}},"logprobs":null,"finish_reason":{{{Str(finishReason)}}}{{{(finishReason is null ? string.Empty : ",\"stop_reason\":null")}}}}]{{{(usage is null ? string.Empty : ",\"usage\":" + usage)}}}}""";

    protected override string ToolStart(int index, string id, string name) =>
        Chunk($$$"""{"tool_calls":[{"id":{{{Str(id)}}},"type":"function","index":{{{index}}},"function":{"name":{{{Str(name)}}}}}]}""");

    protected override string ErrorEvent() => """{"error":{"message":"EngineCore encountered an issue.","type":"InternalServerError","param":null,"code":500}}""";

    protected override string Completion(string? content, string? finishReason = "stop", string? toolCalls = null, string? refusal = null, string? reasoning = null)
    {
        var body = base.Completion(content, finishReason, toolCalls, refusal, reasoning);
        return body.Replace("\"logprobs\":null,", "\"logprobs\":null,\"stop_reason\":null,", StringComparison.Ordinal)[..^1] + ",\"prompt_logprobs\":null,\"kv_transfer_params\":null}";
    }

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.Authentication => CannedResponse.Json($$$"""{"error":{{{Str("Unauthorized: " + MaskedApiKey)}}}}""", HttpStatusCode.Unauthorized),
        _ => base.ErrorResponse(scenario), // QuotaExhausted: a metering gateway in front of the server answers 402.
    };

    protected override CannedResponse ErrorBody(HttpStatusCode status, string message, string type) =>
        CannedResponse.Json($$$"""{"error":{"message":{{{Str(message)}}},"type":{{{Str(type)}}},"param":null,"code":{{{(int)status}}}}}""", status);

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        Create(CompatiblePreset.Vllm, new OpenAICompatibleProviderOptions { ApiKey = ApiKey, BaseUrl = new Uri("http://gpu-box:8000/v1") }, handler, timeProvider, "vllm-conformance");
}

/// <summary>LocalAI: usage in every chunk (zeros first), chunks without <c>choices</c>, whole tool-call arguments, the completion id as every call's id.</summary>
[ProviderLacks(ConformanceFeature.Refusal, ConformanceFeature.ContentFilter, ConformanceFeature.Reasoning)]
public sealed class LocalAIConformanceTests : CompatibleConformanceTests
{
    private int _completion;

    protected override Uri ExpectedChatUri => new("http://localhost:8080/v1/chat/completions");

    protected override string UsageJson => BasicUsage;

    protected override bool ReportsCachedInputTokens => false;

    protected override bool ReportsReasoningTokens => false;

    // LocalAI sends the completion id as every tool call's id: the library gives the later calls ids of their own.
    protected override bool ReportsToolCallIds => false;

    protected override CannedResponse ModelList => CannedResponse.Json(
        "{\"object\":\"list\",\"data\":[" + string.Join(',', ExpectedModelIds.Select(id => $$$"""{"id":{{{Str(id)}}},"object":"model"}""")) + "]}");

    protected override CannedResponse TextStream
    {
        get
        {
            _completion = 0;
            return Stream(
                new[] { RoleChunk(), ChoicelessChunk() }.Concat(ExpectedTextDeltas.Select(d => Chunk($$$"""{"content":{{{Str(d)}}}}"""))).Concat(StreamEnd("stop")));
        }
    }

    protected override CannedResponse ToolCallStream => Stream(
    [
        RoleChunk(),
        Chunk($$$"""{"tool_calls":[{"index":0,"id":{{{Str(ExpectedResponseId)}}},"type":"function","function":{"name":{{{Str(WeatherToolName)}}}}}]}"""),
        Chunk($$$"""{"tool_calls":[{"index":0,"id":{{{Str(ExpectedResponseId)}}},"type":"function","function":{"arguments":{{{Str(WeatherArguments)}}}}}]}"""),
        Chunk($$$"""{"tool_calls":[{"index":1,"id":{{{Str(ExpectedResponseId)}}},"type":"function","function":{"name":{{{Str(TimeToolName)}}}}}]}"""),
        Chunk($$$"""{"tool_calls":[{"index":1,"id":{{{Str(ExpectedResponseId)}}},"type":"function","function":{"arguments":{{{Str(TimeArguments)}}}}}]}"""),
        .. StreamEnd("tool_calls"),
    ]);

    protected override CannedResponse ToolCallCompletion => CannedResponse.Json(Completion(null, "tool_calls",
        "[" + ToolCall(ExpectedResponseId, WeatherToolName, WeatherArguments) + "," + ToolCall(ExpectedResponseId, TimeToolName, TimeArguments) + "]"));

    // Every chunk carries usage: zeros in the first, growing counts after; the final one is the call's.
    protected override string Chunk(string delta, string? finishReason = null, string? usage = null)
    {
        usage ??= _completion == 0
            ? """{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}"""
            : $$$"""{"prompt_tokens":42,"completion_tokens":{{{_completion}}},"total_tokens":{{{42 + _completion}}}}""";
        _completion++;
        return $$$"""{"created":{{{Created}}},"object":"chat.completion.chunk","id":{{{Str(ExpectedResponseId)}}},"model":{{{Str(ExpectedModel)}}},"choices":[{"index":0,"finish_reason":{{{Str(finishReason)}}},"delta":{{{delta}}}}],"usage":{{{usage}}}}""";
    }

    protected override string RoleChunk()
    {
        _completion = 0;
        return Chunk("""{"role":"assistant","content":""}""");
    }

    protected override IEnumerable<string> StreamEnd(string finishReason) => [Chunk("{\"content\":\"\"}", finishReason, UsageJson)];

    protected override string ErrorEvent() => """{"error":{"code":500,"message":"rpc error: code = Unavailable desc = error reading from server: EOF","type":""}}""";

    protected override CannedResponse ErrorBody(HttpStatusCode status, string message, string type) =>
        CannedResponse.Json($$$"""{"error":{"code":{{{(int)status}}},"message":{{{Str(message)}}},"type":""}}""", status);

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        Create(CompatiblePreset.LocalAI, new OpenAICompatibleProviderOptions { ApiKey = ApiKey }, handler, timeProvider, "localai-conformance");

    private static string ChoicelessChunk() =>
        $$$"""{"created":{{{Created}}},"object":"chat.completion.chunk","id":{{{Str(ExpectedResponseId)}}},"model":{{{Str(ExpectedModel)}}},"usage":{"prompt_tokens":42,"completion_tokens":0,"total_tokens":42}}""";
}

/// <summary>A custom endpoint behind a gateway: the key in <c>api-key</c> without a scheme, an extra header, no <c>stream_options</c> (usage sent anyway in the finish chunk).</summary>
public sealed class CustomEndpointConformanceTests : CompatibleConformanceTests
{
    protected override Uri ExpectedChatUri => new("https://gateway.example.com/llm/v1/chat/completions");

    protected override bool ExpectsStreamOptions => false;

    protected override CannedResponse ModelList => CannedResponse.Json(Models([.. ExpectedModelIds]));

    protected override IEnumerable<string> StreamEnd(string finishReason) => [Chunk("{}", finishReason, UsageJson)];

    protected override void AssertAuthentication(RecordedRequest request)
    {
        Assert.That(request.Header("api-key"), Is.EqualTo(ApiKey));
        Assert.That(request.Header("Authorization"), Is.Null);
        Assert.That(request.Header("X-Tenant"), Is.EqualTo("conformance"));
    }

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.QuotaExhausted => CannedResponse.Json(OpenAIWire.Error("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"), HttpStatusCode.TooManyRequests),
        _ => base.ErrorResponse(scenario),
    };

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider)
    {
        var options = new OpenAICompatibleProviderOptions
        {
            ApiKey = ApiKey,
            BaseUrl = new Uri("https://gateway.example.com/llm/v1/"),
            ApiKeyHeaderName = "api-key",
            ApiKeyScheme = null,
            IncludeStreamUsage = false,
        };
        options.Headers["X-Tenant"] = "conformance";
        return Create(CompatiblePreset.Custom, options, handler, timeProvider, "custom-conformance");
    }
}
