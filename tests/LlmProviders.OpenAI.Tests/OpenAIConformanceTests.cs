using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.OpenAI.Tests;

/// <summary>The provider conformance suite run against the OpenAI provider with OpenAI wire payloads.</summary>
public sealed class OpenAIConformanceTests : ProviderConformanceTests
{
    protected override CannedResponse TextCompletion => CannedResponse.Json(OpenAIWire.Completion(ExpectedText));

    protected override CannedResponse TextStream => CannedResponse.EventStream(OpenAIWire.Sse(
        new[] { OpenAIWire.RoleChunk() }
            .Concat(ExpectedTextDeltas.Select(d => OpenAIWire.TextChunk(d)))
            .Append(OpenAIWire.FinishChunk("stop"))
            .Append(OpenAIWire.UsageChunk())));

    protected override CannedResponse ToolCallCompletion => CannedResponse.Json(OpenAIWire.Completion(null, "tool_calls", OpenAIWire.ConformanceToolCalls));

    protected override CannedResponse ToolCallStream => CannedResponse.EventStream(OpenAIWire.Sse(
        new[] { OpenAIWire.RoleChunk("null"), OpenAIWire.ToolStartChunk(0, WeatherCallId, WeatherToolName) }
            .Concat(WeatherArgumentFragments.Select(f => OpenAIWire.ToolArgumentsChunk(0, f)))
            .Append(OpenAIWire.ToolStartChunk(1, TimeCallId, TimeToolName))
            .Concat(TimeArgumentFragments.Select(f => OpenAIWire.ToolArgumentsChunk(1, f)))
            .Append(OpenAIWire.FinishChunk("tool_calls"))
            .Append(OpenAIWire.UsageChunk())));

    protected override CannedResponse LengthCompletion => CannedResponse.Json(OpenAIWire.Completion("Hello, wö", "length"));

    protected override CannedResponse UnknownFinishReasonCompletion => CannedResponse.Json(OpenAIWire.Completion(ExpectedText, UnknownFinishReason));

    protected override CannedResponse StreamWithoutTerminator => CannedResponse.EventStream(OpenAIWire.Sse(
        [OpenAIWire.RoleChunk(), OpenAIWire.TextChunk(ExpectedTextDeltas[0]), OpenAIWire.TextChunk(ExpectedTextDeltas[1])], done: false));

    protected override CannedResponse StreamWithErrorEvent => CannedResponse.EventStream(OpenAIWire.Sse(
        [OpenAIWire.RoleChunk(), OpenAIWire.TextChunk(ExpectedTextDeltas[0]), OpenAIWire.Error("The server had an error while processing your request. Sorry about that!", "server_error", null)],
        done: false));

    protected override CannedResponse ModelList => CannedResponse.Json(OpenAIWire.Models([.. ExpectedModelIds]));

    protected override CannedResponse? RefusalCompletion => CannedResponse.Json(OpenAIWire.Completion(null, "stop", refusal: ExpectedRefusal));

    protected override CannedResponse? RefusalStream => CannedResponse.EventStream(OpenAIWire.Sse(
    [
        OpenAIWire.RoleChunk(),
        OpenAIWire.Chunk($$$"""{"refusal":{{{OpenAIWire.Str(ExpectedRefusal[..11])}}}}"""),
        OpenAIWire.Chunk($$$"""{"refusal":{{{OpenAIWire.Str(ExpectedRefusal[11..])}}}}"""),
        OpenAIWire.FinishChunk("stop"),
        OpenAIWire.UsageChunk(),
    ]));

    // OpenAI itself hides reasoning; compatible servers (xAI, vLLM, DeepSeek) send reasoning_content, which the provider reads.
    protected override CannedResponse? ReasoningCompletion => CannedResponse.Json(OpenAIWire.Completion(ExpectedText, reasoningContent: ExpectedReasoning));

    protected override CannedResponse? ReasoningStream => CannedResponse.EventStream(OpenAIWire.Sse(
        new[] { OpenAIWire.RoleChunk() }
            .Append(OpenAIWire.Chunk($$$"""{"reasoning_content":{{{OpenAIWire.Str(ExpectedReasoning[..14])}}}}"""))
            .Append(OpenAIWire.Chunk($$$"""{"reasoning_content":{{{OpenAIWire.Str(ExpectedReasoning[14..])}}}}"""))
            .Concat(ExpectedTextDeltas.Select(d => OpenAIWire.TextChunk(d)))
            .Append(OpenAIWire.FinishChunk("stop"))
            .Append(OpenAIWire.UsageChunk())));

    protected override CannedResponse? ContentFilterCompletion => CannedResponse.Json(OpenAIWire.Completion(null, "content_filter"));

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new OpenAIProvider(new OpenAIProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "openai-conformance", timeProvider, null, new OpenAIEnvironment(_ => null), Costs);

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(OpenAIWire.Error("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "invalid_request_error", "unsupported_parameter", "max_tokens"), HttpStatusCode.BadRequest),
        ErrorScenario.ContextLengthExceeded => CannedResponse.Json(OpenAIWire.Error("This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.", "invalid_request_error", "context_length_exceeded", "messages"), HttpStatusCode.BadRequest),
        ErrorScenario.Authentication => CannedResponse.Json(OpenAIWire.Error($"Incorrect API key provided: {MaskedApiKey}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"), HttpStatusCode.Unauthorized)
            .WithHeader("x-request-id", "req_conformance_401"),
        ErrorScenario.PermissionDenied => CannedResponse.Json(OpenAIWire.Error("Country, region, or territory not supported", "request_forbidden", "unsupported_country_region_territory"), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(OpenAIWire.Error($"The model '{RequestedModel}' does not exist or you do not have access to it.", "invalid_request_error", "model_not_found", "model"), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(OpenAIWire.Error("Rate limit reached for conformance-model in organization org-conformance on tokens per min (TPM): Limit 30000, Used 30000, Requested 120. Please try again in 240ms.", "tokens", "rate_limit_exceeded"), HttpStatusCode.TooManyRequests),
        ErrorScenario.QuotaExhausted => CannedResponse.Json(OpenAIWire.Error("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"), HttpStatusCode.TooManyRequests),
        ErrorScenario.ServerError => CannedResponse.Json(OpenAIWire.Error("The server had an error while processing your request. Sorry about that!", "server_error", null), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(OpenAIWire.Error("The service is temporarily unavailable. Please try again later.", "server_error", null), HttpStatusCode.ServiceUnavailable),
        ErrorScenario.GatewayTimeout => CannedResponse.Json(OpenAIWire.Error("Gateway timeout.", "server_error", null), HttpStatusCode.GatewayTimeout),
        ErrorScenario.Overloaded => CannedResponse.Json(OpenAIWire.Error("That model is currently overloaded with other requests. You can retry your request, or contact us through our help center if the error persists.", "server_error", null), HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertChatRequest(RecordedRequest request, bool streaming)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("https://api.openai.com/v1/chat/completions")));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer " + ApiKey));
        Assert.That(request.Header("Content-Type"), Does.StartWith("application/json"));
        var json = request.Json();
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(RequestedModel));
        Assert.That(json.GetProperty("messages").GetArrayLength(), Is.GreaterThanOrEqualTo(2));
        if (streaming)
        {
            Assert.That(json.GetProperty("stream").GetBoolean(), Is.True);
            Assert.That(json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean(), Is.True);
            Assert.That(request.Header("Accept"), Is.EqualTo("text/event-stream"));
        }
        else
        {
            Assert.That(json.TryGetProperty("stream", out _), Is.False);
            Assert.That(json.TryGetProperty("stream_options", out _), Is.False);
        }
    }
}
