using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;
using static LlmProviders.Anthropic.Tests.AnthropicWire;

namespace LlmProviders.Anthropic.Tests;

/// <summary>The provider conformance suite run against the Anthropic provider with Anthropic wire payloads (every optional scenario supplied).</summary>
public sealed class AnthropicConformanceTests : ProviderConformanceTests
{
    // 30 uncached + 8 cache reads + 4 cache writes (AnthropicWire.ConformanceUsage).
    protected override long ExpectedCacheWriteTokens => 4;

    private const string Signature = "EqQBCkYIBxgCKkBconformancesignature==";

    protected override CannedResponse TextCompletion => CannedResponse.Json(TextMessage(ExpectedText));

    protected override CannedResponse TextStream => CannedResponse.EventStream(AnthropicWire.TextStream(ExpectedTextDeltas));

    protected override CannedResponse ToolCallCompletion => CannedResponse.Json(Message(ConformanceToolBlocks, "tool_use"));

    protected override CannedResponse ToolCallStream => CannedResponse.EventStream(
        MessageStart() +
        ToolStart(0, WeatherCallId, WeatherToolName) + JsonDelta(0, string.Empty) + string.Concat(WeatherArgumentFragments.Select(f => JsonDelta(0, f))) + BlockStop(0) +
        Ping() +
        ToolStart(1, TimeCallId, TimeToolName) + JsonDelta(1, string.Empty) + string.Concat(TimeArgumentFragments.Select(f => JsonDelta(1, f))) + BlockStop(1) +
        MessageDelta("tool_use") + MessageStop());

    protected override CannedResponse LengthCompletion => CannedResponse.Json(TextMessage("Hello, wö", "max_tokens"));

    protected override CannedResponse UnknownFinishReasonCompletion => CannedResponse.Json(TextMessage(ExpectedText, UnknownFinishReason));

    protected override CannedResponse StreamWithoutTerminator => CannedResponse.EventStream(
        MessageStart() + TextStart(0) + TextDelta(0, ExpectedTextDeltas[0]) + TextDelta(0, ExpectedTextDeltas[1]));

    protected override CannedResponse StreamWithErrorEvent => CannedResponse.EventStream(
        MessageStart() + TextStart(0) + TextDelta(0, ExpectedTextDeltas[0]) + ErrorEvent("api_error", "Internal server error"));

    protected override CannedResponse ModelList => CannedResponse.Json(Models(false, [.. ExpectedModelIds]));

    // Anthropic's refusal: stop_reason "refusal", empty content, the reason in stop_details.explanation.
    protected override CannedResponse? RefusalCompletion => CannedResponse.Json(Message(
        string.Empty, "refusal", extra: $$$""","stop_details":{"type":"refusal","category":"cyber","explanation":{{{Str(ExpectedRefusal)}}}}"""));

    protected override CannedResponse? RefusalStream => CannedResponse.EventStream(
        MessageStart() + Ping() +
        MessageDelta("refusal", deltaExtra: $$$""","stop_details":{"type":"refusal","category":"cyber","explanation":{{{Str(ExpectedRefusal)}}}}""") +
        MessageStop());

    protected override CannedResponse? ReasoningCompletion => CannedResponse.Json(Message(ThinkingBlock(ExpectedReasoning, Signature) + "," + TextBlock(ExpectedText)));

    protected override CannedResponse? ReasoningStream => CannedResponse.EventStream(
        MessageStart() +
        BlockStart(0, """{"type":"thinking","thinking":"","signature":""}""") + ThinkingDelta(0, ExpectedReasoning[..14]) + Ping() + ThinkingDelta(0, ExpectedReasoning[14..]) +
        ThinkingDelta(0, string.Empty) + SignatureDelta(0, Signature) + BlockStop(0) +
        TextStart(1) + string.Concat(ExpectedTextDeltas.Select(d => TextDelta(1, d))) + BlockStop(1) +
        MessageDelta("end_turn") + MessageStop());

    protected override CannedResponse? ContentFilterCompletion => RefusalCompletion;

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new AnthropicProvider(new AnthropicProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "anthropic-conformance", timeProvider, null, new AnthropicEnvironment(_ => null), Costs);

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(Error("invalid_request_error", "max_tokens: Input should be a valid integer"), HttpStatusCode.BadRequest),
        ErrorScenario.ContextLengthExceeded => CannedResponse.Json(Error("invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"), HttpStatusCode.BadRequest),
        ErrorScenario.Authentication => CannedResponse.Json(Error("authentication_error", $"invalid x-api-key {MaskedApiKey}"), HttpStatusCode.Unauthorized)
            .WithHeader("request-id", "req_conformance_401"),
        ErrorScenario.PermissionDenied => CannedResponse.Json(Error("permission_error", "Your API key does not have permission to use the specified resource."), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(Error("not_found_error", $"model: {RequestedModel}"), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(Error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit."), HttpStatusCode.TooManyRequests),
        ErrorScenario.QuotaExhausted => CannedResponse.Json(Error("invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."), HttpStatusCode.BadRequest),
        ErrorScenario.ServerError => CannedResponse.Json(Error("api_error", "Internal server error"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(Error("api_error", "Service unavailable"), HttpStatusCode.ServiceUnavailable),
        ErrorScenario.GatewayTimeout => CannedResponse.Json(Error("api_error", "Deadline exceeded"), HttpStatusCode.GatewayTimeout),
        ErrorScenario.Overloaded => CannedResponse.Json("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", (HttpStatusCode)529)
            .WithHeader("x-should-retry", "true"),
        _ => null,
    };

    protected override void AssertChatRequest(RecordedRequest request, bool streaming)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("https://api.anthropic.com/v1/messages")));
        Assert.That(request.Header("x-api-key"), Is.EqualTo(ApiKey));
        Assert.That(request.Header("Authorization"), Is.Null);
        Assert.That(request.Header("anthropic-version"), Is.EqualTo("2023-06-01"));
        Assert.That(request.Header("Content-Type"), Does.StartWith("application/json"));
        var json = request.Json();
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(RequestedModel));
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(4096));
        Assert.That(json.GetProperty("system").GetString(), Is.EqualTo("You are a conformance test."));
        Assert.That(json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()), Is.All.EqualTo("user"));
        if (streaming)
        {
            Assert.That(json.GetProperty("stream").GetBoolean(), Is.True);
            Assert.That(request.Header("Accept"), Is.EqualTo("text/event-stream"));
        }
        else
        {
            Assert.That(json.TryGetProperty("stream", out _), Is.False);
        }
    }
}
