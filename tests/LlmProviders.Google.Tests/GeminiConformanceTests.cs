using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.Google.Tests;

/// <summary>The provider conformance suite run against the Gemini provider with Gemini wire payloads (CRLF-framed SSE, no [DONE]).</summary>
/// <remarks>Gemini's API has no refusal field (a refused prompt is blocked: see the content-filter tests).</remarks>
[ProviderLacks(ConformanceFeature.Refusal)]
public sealed class GeminiConformanceTests : ProviderConformanceTests
{
    private const string Safety =
        """[{"category":"HARM_CATEGORY_HATE_SPEECH","probability":"NEGLIGIBLE"},{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH","blocked":true},{"category":"HARM_CATEGORY_HARASSMENT","probability":"NEGLIGIBLE"},{"category":"HARM_CATEGORY_SEXUALLY_EXPLICIT","probability":"NEGLIGIBLE"}]""";

    protected override bool ReportsToolCallIds => false;

    protected override CannedResponse TextCompletion => CannedResponse.Json(GeminiWire.Completion(ExpectedText));

    protected override CannedResponse TextStream => CannedResponse.EventStream(GeminiWire.Sse(
        ExpectedTextDeltas.Select(d => GeminiWire.TextChunk(d)).Append(GeminiWire.FinishChunk())));

    protected override CannedResponse ToolCallCompletion => CannedResponse.Json(GeminiWire.Response(GeminiWire.Candidate(GeminiWire.ConformanceCallParts, "STOP")));

    protected override CannedResponse ToolCallStream => CannedResponse.EventStream(GeminiWire.Sse(
    [
        GeminiWire.Response(GeminiWire.Candidate([GeminiWire.ConformanceCallParts[0]], finishReason: null)),
        GeminiWire.Response(GeminiWire.Candidate([GeminiWire.ConformanceCallParts[1]], "STOP")),
    ]));

    protected override CannedResponse LengthCompletion => CannedResponse.Json(GeminiWire.Completion("Hello, wö", "MAX_TOKENS"));

    protected override CannedResponse UnknownFinishReasonCompletion => CannedResponse.Json(GeminiWire.Completion(ExpectedText, UnknownFinishReason));

    protected override CannedResponse StreamWithoutTerminator => CannedResponse.EventStream(GeminiWire.Sse(
        [GeminiWire.TextChunk(ExpectedTextDeltas[0]), GeminiWire.TextChunk(ExpectedTextDeltas[1])]));

    // Gemini reports a failure after the stream started as raw (not data:) JSON text.
    protected override CannedResponse StreamWithErrorEvent => CannedResponse.EventStream(
        GeminiWire.Sse([GeminiWire.TextChunk(ExpectedTextDeltas[0])]) +
        GeminiWire.Error(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"));

    protected override CannedResponse ModelList => CannedResponse.Json(GeminiWire.Models(
        null,
        (ExpectedModelIds[0], ["generateContent", "countTokens", "createCachedContent"]),
        ("text-embedding-004", ["embedContent"]),
        (ExpectedModelIds[1], ["generateContent", "countTokens"])));

    protected override CannedResponse? ReasoningCompletion => CannedResponse.Json(GeminiWire.Response(
        GeminiWire.Candidate([GeminiWire.ThoughtPart(ExpectedReasoning), GeminiWire.TextPart(ExpectedText, "c2lnLXRleHQ=")])));

    protected override CannedResponse? ReasoningStream => CannedResponse.EventStream(GeminiWire.Sse(
        new[]
        {
            GeminiWire.Response(GeminiWire.Candidate([GeminiWire.ThoughtPart(ExpectedReasoning[..14])], finishReason: null)),
            GeminiWire.Response(GeminiWire.Candidate([GeminiWire.ThoughtPart(ExpectedReasoning[14..])], finishReason: null)),
        }
        .Concat(ExpectedTextDeltas.Select(d => GeminiWire.TextChunk(d)))
        .Append(GeminiWire.FinishChunk())));

    protected override CannedResponse? ContentFilterCompletion => CannedResponse.Json(GeminiWire.Response(GeminiWire.Candidate(null, "SAFETY") [..^1] + ",\"safetyRatings\":" + Safety + "}"));

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new GeminiProvider(new GeminiProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "gemini-conformance", timeProvider, null, new GeminiEnvironment(_ => null), Costs);

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(GeminiWire.Error(400, "INVALID_ARGUMENT", "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \"hot\""), HttpStatusCode.BadRequest),
        ErrorScenario.ContextLengthExceeded => CannedResponse.Json(GeminiWire.Error(400, "INVALID_ARGUMENT", "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576)."), HttpStatusCode.BadRequest),
        ErrorScenario.Authentication => CannedResponse.Json(GeminiWire.Error(400, "INVALID_ARGUMENT", $"API key not valid. Please pass a valid API key. (key {MaskedApiKey})", GeminiWire.ApiKeyInvalidDetails), HttpStatusCode.BadRequest)
            .WithHeader("x-goog-request-id", "req_conformance_400"),
        ErrorScenario.PermissionDenied => CannedResponse.Json(GeminiWire.Error(403, "PERMISSION_DENIED", "Generative Language API has not been used in project 123456 before or it is disabled."), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(GeminiWire.Error(404, "NOT_FOUND", $"models/{RequestedModel} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods."), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(GeminiWire.Error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", GeminiWire.RetryDetails("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "34.4s")), HttpStatusCode.TooManyRequests),
        ErrorScenario.QuotaExhausted => CannedResponse.Json(GeminiWire.Error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", GeminiWire.RetryDetails("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "3h12m5s")), HttpStatusCode.TooManyRequests),
        ErrorScenario.ServerError => CannedResponse.Json(GeminiWire.Error(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(GeminiWire.Error(503, "UNAVAILABLE", "The service is currently unavailable."), HttpStatusCode.ServiceUnavailable),
        ErrorScenario.GatewayTimeout => CannedResponse.Json(GeminiWire.Error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."), HttpStatusCode.GatewayTimeout),
        ErrorScenario.Overloaded => CannedResponse.Json(GeminiWire.Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."), HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertChatRequest(RecordedRequest request, bool streaming)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri(streaming
            ? $"https://generativelanguage.googleapis.com/v1beta/models/{RequestedModel}:streamGenerateContent?alt=sse"
            : $"https://generativelanguage.googleapis.com/v1beta/models/{RequestedModel}:generateContent")));
        Assert.That(request.Uri.Query, Does.Not.Contain("key="));
        Assert.That(request.Header("x-goog-api-key"), Is.EqualTo(ApiKey));
        Assert.That(request.Header("Authorization"), Is.Null);
        Assert.That(request.Header("Content-Type"), Does.StartWith("application/json"));
        var json = request.Json();
        Assert.That(json.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString(), Is.EqualTo("You are a conformance test."));
        Assert.That(json.GetProperty("contents")[0].GetProperty("role").GetString(), Is.EqualTo("user"));
        Assert.That(json.TryGetProperty("model", out _), Is.False);
        Assert.That(json.TryGetProperty("stream", out _), Is.False);
        Assert.That(request.Header("Accept"), Is.EqualTo(streaming ? "text/event-stream" : "application/json"));
    }
}
