using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.Ollama.Tests;

/// <summary>The provider conformance suite run against the Ollama provider with Ollama wire payloads (NDJSON streams).</summary>
/// <remarks>Ollama's API has no refusal field and no content-filter stop.</remarks>
[ProviderLacks(ConformanceFeature.Refusal, ConformanceFeature.ContentFilter)]
public sealed class OllamaConformanceTests : ProviderConformanceTests
{
    protected override CannedResponse TextCompletion => CannedResponse.Json(OllamaWire.Chat(ExpectedText));

    protected override CannedResponse TextStream => CannedResponse.Ndjson(
        [.. ExpectedTextDeltas.Select(d => OllamaWire.Line(d)), OllamaWire.DoneLine()]);

    protected override CannedResponse ToolCallCompletion => CannedResponse.Json(OllamaWire.Chat(null, "stop", toolCalls: OllamaWire.ConformanceToolCalls));

    // Ollama sends tool calls whole (no argument fragments) in a done:false line, then done_reason "stop".
    protected override CannedResponse ToolCallStream => CannedResponse.Ndjson(
        OllamaWire.Line(null, toolCalls: OllamaWire.ConformanceToolCalls),
        OllamaWire.DoneLine("stop"));

    protected override CannedResponse LengthCompletion => CannedResponse.Json(OllamaWire.Chat("Hello, wö", "length"));

    protected override CannedResponse UnknownFinishReasonCompletion => CannedResponse.Json(OllamaWire.Chat(ExpectedText, UnknownFinishReason));

    protected override CannedResponse StreamWithoutTerminator => CannedResponse.Ndjson(
        OllamaWire.Line(ExpectedTextDeltas[0]), OllamaWire.Line(ExpectedTextDeltas[1]));

    protected override CannedResponse StreamWithErrorEvent => CannedResponse.Ndjson(
        OllamaWire.Line(ExpectedTextDeltas[0]), OllamaWire.Error("an error was encountered while running the model: unexpected EOF"));

    protected override CannedResponse ModelList => CannedResponse.Json(OllamaWire.Tags(ExpectedModelIds));

    protected override CannedResponse? ReasoningCompletion => CannedResponse.Json(OllamaWire.Chat(ExpectedText, thinking: ExpectedReasoning));

    protected override CannedResponse? ReasoningStream => CannedResponse.Ndjson(
    [
        OllamaWire.Line(null, thinking: ExpectedReasoning[..14]),
        OllamaWire.Line(null, thinking: ExpectedReasoning[14..]),
        .. ExpectedTextDeltas.Select(d => OllamaWire.Line(d)),
        OllamaWire.DoneLine(),
    ]);

    protected override bool ReportsCachedInputTokens => false;

    protected override bool ReportsReasoningTokens => false;

    protected override bool ReportsToolCallIds => false;

    protected override bool ReportsResponseId => false;

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new OllamaProvider(new OllamaProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "ollama-conformance", timeProvider, null, new OllamaEnvironment(_ => null), Costs);

    // Ollama's {"error":"text"} bodies. Authentication, permission, rate limits and quotas come from Ollama cloud (or a proxy
    // in front of Ollama, which is where a key is echoed); the overload is Ollama's full request queue.
    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(OllamaWire.Error($"\"{RequestedModel}\" does not support tools"), HttpStatusCode.BadRequest),
        ErrorScenario.ContextLengthExceeded => CannedResponse.Json(OllamaWire.Error("the input length exceeds the context length"), HttpStatusCode.BadRequest),
        ErrorScenario.Authentication => CannedResponse.Json(OllamaWire.Error($"unauthorized: invalid key {MaskedApiKey}"), HttpStatusCode.Unauthorized),
        ErrorScenario.PermissionDenied => CannedResponse.Json(OllamaWire.Error("remote model access is disabled on this server"), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(OllamaWire.Error($"model '{RequestedModel}' not found"), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(OllamaWire.Error("too many requests, please slow down"), HttpStatusCode.TooManyRequests),
        ErrorScenario.QuotaExhausted => CannedResponse.Json(OllamaWire.Error("you have reached your weekly usage limit, upgrade for higher limits"), HttpStatusCode.TooManyRequests),
        ErrorScenario.ServerError => CannedResponse.Json(OllamaWire.Error("llama runner process has terminated: exit status 2"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(OllamaWire.Error("service unavailable"), HttpStatusCode.ServiceUnavailable),
        ErrorScenario.GatewayTimeout => CannedResponse.Json(OllamaWire.Error("upstream request timed out"), HttpStatusCode.GatewayTimeout),
        ErrorScenario.Overloaded => CannedResponse.Json(OllamaWire.Error("server busy, please try again.  maximum pending requests exceeded"), HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertChatRequest(RecordedRequest request, bool streaming)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("http://localhost:11434/api/chat")));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer " + ApiKey));
        Assert.That(request.Header("Content-Type"), Does.StartWith("application/json"));
        var json = request.Json();
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(RequestedModel));
        Assert.That(json.GetProperty("messages").GetArrayLength(), Is.GreaterThanOrEqualTo(2));
        Assert.That(json.GetProperty("stream").GetBoolean(), Is.EqualTo(streaming), "\"stream\" is always sent: Ollama streams by default.");
    }
}
