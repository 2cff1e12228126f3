using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.Mistral.Tests;

/// <summary>
/// The provider conformance suite run against the Mistral provider with payloads in Mistral's shapes: usage before choices,
/// tool calls without <c>type</c> or <c>index</c>, usage inside the finish chunk (no <c>choices: []</c> usage chunk), magistral
/// <c>thinking</c> blocks for reasoning. Mistral has no refusal field and no content-filter finish reason.
/// </summary>
[ProviderLacks(ConformanceFeature.Refusal, ConformanceFeature.ContentFilter)]
public sealed class MistralConformanceTests : ProviderConformanceTests
{
    // Mistral reports basic usage only: no cached or reasoning token counts.
    protected override bool ReportsCachedInputTokens => false;

    protected override bool ReportsReasoningTokens => false;

    // Mistral takes only 9-character tool-call ids: the library sends others back rewritten, the same for a call and its result.
    protected override string WireToolCallId(string callId) => new LlmProviders.Mistral.Wire.MistralDialect(new Uri("https://api.mistral.ai/v1"), null, false).ToolCallId(callId);

    protected override CannedResponse TextCompletion => CannedResponse.Json(MistralWire.Completion(ExpectedText));

    protected override CannedResponse TextStream => CannedResponse.EventStream(MistralWire.Sse(
        new[] { MistralWire.RoleChunk() }
            .Concat(ExpectedTextDeltas.Select(MistralWire.TextChunk))
            .Append(MistralWire.FinishChunk("stop"))));

    protected override CannedResponse ToolCallCompletion => CannedResponse.Json(MistralWire.Completion(string.Empty, "tool_calls", MistralWire.ConformanceToolCalls));

    // Mistral's own models send each call whole (see the edge-case tests); models served through Mistral's endpoint fragment the
    // arguments with an index inside each call and inside the delta, as here.
    protected override CannedResponse ToolCallStream => CannedResponse.EventStream(MistralWire.Sse(
        new[] { MistralWire.RoleChunk(), ToolStart(0, WeatherCallId, WeatherToolName) }
            .Concat(WeatherArgumentFragments.Select(f => ToolArguments(0, f)))
            .Append(ToolStart(1, TimeCallId, TimeToolName))
            .Concat(TimeArgumentFragments.Select(f => ToolArguments(1, f)))
            .Append(MistralWire.Chunk("""{"index":0,"content":""}""", "tool_calls", MistralWire.ConformanceUsage))));

    protected override CannedResponse LengthCompletion => CannedResponse.Json(MistralWire.Completion("Hello, wö", "length"));

    protected override CannedResponse UnknownFinishReasonCompletion => CannedResponse.Json(MistralWire.Completion(ExpectedText, UnknownFinishReason));

    protected override CannedResponse StreamWithoutTerminator => CannedResponse.EventStream(MistralWire.Sse(
        [MistralWire.RoleChunk(), MistralWire.TextChunk(ExpectedTextDeltas[0]), MistralWire.TextChunk(ExpectedTextDeltas[1])], done: false));

    protected override CannedResponse StreamWithErrorEvent => CannedResponse.EventStream(MistralWire.Sse(
        [MistralWire.RoleChunk(), MistralWire.TextChunk(ExpectedTextDeltas[0]), MistralWire.Error("Internal server error", "internal_server_error", "3000")],
        done: false));

    protected override CannedResponse ModelList => CannedResponse.Json(MistralWire.Models([.. ExpectedModelIds]));

    // Magistral: content is an array of blocks; "thinking" blocks carry an array of text blocks.
    protected override CannedResponse? ReasoningCompletion => CannedResponse.Json(MistralWire.CompletionRaw(
        $$$"""[{"type":"thinking","thinking":[{"type":"text","text":{{{MistralWire.Str(ExpectedReasoning)}}}}]},{"type":"text","text":{{{MistralWire.Str(ExpectedText)}}}}]"""));

    protected override CannedResponse? ReasoningStream => CannedResponse.EventStream(MistralWire.Sse(
        new[]
        {
            MistralWire.Chunk($$$"""{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":{{{MistralWire.Str(ExpectedReasoning[..14])}}}}]}]}"""),
            MistralWire.Chunk($$$"""{"content":[{"type":"thinking","thinking":[{"type":"text","text":{{{MistralWire.Str(ExpectedReasoning[14..])}}}}]}]}"""),
        }
            .Concat(ExpectedTextDeltas.Select(d => MistralWire.Chunk($$$"""{"content":[{"type":"text","text":{{{MistralWire.Str(d)}}}}]}""")))
            .Append(MistralWire.FinishChunk("stop"))));

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new MistralProvider(new MistralProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "mistral-conformance", timeProvider, null, new MistralEnvironment(_ => null), Costs);

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(MistralWire.ErrorRaw(
            """{"detail":[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted","input":{"include_usage":true}}]}""",
            "invalid_request_error", null), HttpStatusCode.UnprocessableEntity),
        ErrorScenario.ContextLengthExceeded => CannedResponse.Json(MistralWire.Error(
            "Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length", "invalid_request_error", "3051"), HttpStatusCode.BadRequest),

        // Mistral's 401 does not echo the key; the suite requires the masked key in the body (as a proxy might add it).
        ErrorScenario.Authentication => CannedResponse.Json($$$"""{"message":"Unauthorized: {{{MaskedApiKey}}}","request_id":"933f233947ff6d346065bb297e4a4d56"}""", HttpStatusCode.Unauthorized),
        ErrorScenario.PermissionDenied => CannedResponse.Json("""{"message":"Forbidden","request_id":"1a2b3c4d5e6f708192a3b4c5d6e7f809"}""", HttpStatusCode.Forbidden),

        // Mistral answers an unknown model with 400 invalid_model (code 1500); the suite's scenario is a 404 about the model.
        ErrorScenario.ModelNotFound => CannedResponse.Json(MistralWire.Error($"Invalid model: {RequestedModel}", "invalid_model", "1500"), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json("""{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}""", HttpStatusCode.TooManyRequests),
        ErrorScenario.ServerError => CannedResponse.Json(MistralWire.Error("Internal server error", "internal_server_error", "3000"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json("""{"detail":"Service Unavailable"}""", HttpStatusCode.ServiceUnavailable),
        ErrorScenario.GatewayTimeout => CannedResponse.Json("""{"detail":"Gateway Timeout"}""", HttpStatusCode.GatewayTimeout),
        ErrorScenario.Overloaded => CannedResponse.Json(MistralWire.Error("Service tier capacity exceeded for this model.", "service_tier_capacity_exceeded", "3505"), HttpStatusCode.ServiceUnavailable),

        // Mistral itself answers an exhausted quota with 401 {"detail":"Unauthorized"}; a billing gateway in front of it answers 402.
        ErrorScenario.QuotaExhausted => CannedResponse.Json("""{"detail":"Payment Required"}""", HttpStatusCode.PaymentRequired),
        _ => null,
    };

    protected override void AssertChatRequest(RecordedRequest request, bool streaming)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("https://api.mistral.ai/v1/chat/completions")));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer " + ApiKey));
        Assert.That(request.Header("Content-Type"), Does.StartWith("application/json"));
        var json = request.Json();
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(RequestedModel));
        Assert.That(json.GetProperty("messages").GetArrayLength(), Is.GreaterThanOrEqualTo(2));
        Assert.That(json.TryGetProperty("stream_options", out _), Is.False, "Mistral answers 422 to stream_options.");
        Assert.That(json.TryGetProperty("max_completion_tokens", out _), Is.False, "Mistral answers 422 to max_completion_tokens.");
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

    private static string ToolStart(int index, string id, string name) =>
        MistralWire.Chunk($$$"""{"tool_calls":[{"id":{{{MistralWire.Str(id)}}},"type":"function","function":{"name":{{{MistralWire.Str(name)}}},"arguments":""},"index":{{{index}}}}],"index":0,"content":""}""");

    private static string ToolArguments(int index, string fragment) =>
        MistralWire.Chunk($$$"""{"tool_calls":[{"type":"function","function":{"name":"","arguments":{{{MistralWire.Str(fragment)}}}},"index":{{{index}}}}],"index":0,"content":""}""");
}
