using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>
/// The provider conformance suite run against the Azure OpenAI provider with Azure wire payloads: every stream opens with the
/// <c>choices: []</c> prompt-filter chunk and every chunk carries content-filter annotations.
/// </summary>
/// <remarks>Azure's Chat Completions never return reasoning text (reasoning deployments hide it), so the fixture declares it lacks reasoning.</remarks>
[ProviderLacks(ConformanceFeature.Reasoning)]
public sealed class AzureOpenAIConformanceTests : ProviderConformanceTests
{
    private const string ConformanceEndpoint = "https://conformance.openai.azure.com";

    protected override CannedResponse TextCompletion => CannedResponse.Json(AzureWire.Completion(ExpectedText));

    protected override CannedResponse TextStream => CannedResponse.EventStream(AzureWire.Sse(
        new[] { AzureWire.PromptFilterChunk(), AzureWire.RoleChunk() }
            .Concat(ExpectedTextDeltas.Select(AzureWire.TextChunk))
            .Append(AzureWire.FinishChunk("stop"))
            .Append(AzureWire.UsageChunk())));

    protected override CannedResponse ToolCallCompletion => CannedResponse.Json(AzureWire.Completion(null, "tool_calls", AzureWire.ConformanceToolCalls));

    protected override CannedResponse ToolCallStream => CannedResponse.EventStream(AzureWire.Sse(
        new[] { AzureWire.PromptFilterChunk(), AzureWire.RoleChunk("null"), AzureWire.ToolStartChunk(0, WeatherCallId, WeatherToolName) }
            .Concat(WeatherArgumentFragments.Select(f => AzureWire.ToolArgumentsChunk(0, f)))
            .Append(AzureWire.ToolStartChunk(1, TimeCallId, TimeToolName))
            .Concat(TimeArgumentFragments.Select(f => AzureWire.ToolArgumentsChunk(1, f)))
            .Append(AzureWire.FinishChunk("tool_calls"))
            .Append(AzureWire.UsageChunk())));

    protected override CannedResponse LengthCompletion => CannedResponse.Json(AzureWire.Completion("Hello, wö", "length"));

    protected override CannedResponse UnknownFinishReasonCompletion => CannedResponse.Json(AzureWire.Completion(ExpectedText, UnknownFinishReason));

    protected override CannedResponse StreamWithoutTerminator => CannedResponse.EventStream(AzureWire.Sse(
        [AzureWire.PromptFilterChunk(), AzureWire.RoleChunk(), AzureWire.TextChunk(ExpectedTextDeltas[0]), AzureWire.TextChunk(ExpectedTextDeltas[1])], done: false));

    // A mid-stream content-filter error, as Azure sends it inside a 200 stream.
    protected override CannedResponse StreamWithErrorEvent => CannedResponse.EventStream(AzureWire.Sse(
        [AzureWire.PromptFilterChunk(), AzureWire.RoleChunk(), AzureWire.TextChunk(ExpectedTextDeltas[0]), AzureWire.Error("500", "The server had an error while processing your request. Sorry about that!")],
        done: false));

    protected override CannedResponse ModelList => CannedResponse.Json(AzureWire.Models([.. ExpectedModelIds]));

    // Newer api-versions send OpenAI's refusal field.
    protected override CannedResponse? RefusalCompletion => CannedResponse.Json(AzureWire.Completion(null, "stop", refusal: ExpectedRefusal));

    protected override CannedResponse? RefusalStream => CannedResponse.EventStream(AzureWire.Sse(
    [
        AzureWire.PromptFilterChunk(),
        AzureWire.RoleChunk(),
        AzureWire.Chunk($$$"""{"refusal":{{{AzureWire.Str(ExpectedRefusal[..11])}}}}"""),
        AzureWire.Chunk($$$"""{"refusal":{{{AzureWire.Str(ExpectedRefusal[11..])}}}}"""),
        AzureWire.FinishChunk("stop"),
        AzureWire.UsageChunk(),
    ]));

    protected override CannedResponse? ContentFilterCompletion => CannedResponse.Json(AzureWire.Completion(null, "content_filter", filters: AzureWire.Filters("violence")));

    protected override ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new AzureOpenAIProvider(new AzureOpenAIProviderOptions { ApiKey = ApiKey, BaseUrl = new Uri(ConformanceEndpoint) }, new HttpClient(handler), "azure-conformance", timeProvider, null, new AzureOpenAIEnvironment(_ => null), Costs);

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(AzureWire.OpenAIError("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "invalid_request_error", "unsupported_parameter", "max_tokens"), HttpStatusCode.BadRequest),
        ErrorScenario.ContextLengthExceeded => CannedResponse.Json(AzureWire.OpenAIError("This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.", "invalid_request_error", "context_length_exceeded", "messages"), HttpStatusCode.BadRequest),

        // Azure's 401 does not echo the key; the fixture requires an echo, so this one names the masked key after Azure's text.
        ErrorScenario.Authentication => CannedResponse.Json(AzureWire.Error("401", $"Access denied due to invalid subscription key {MaskedApiKey} or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."), HttpStatusCode.Unauthorized)
            .WithHeader("apim-request-id", "3c7a1f0e-conformance-401"),
        ErrorScenario.PermissionDenied => CannedResponse.Json(AzureWire.Error("403", "Access denied due to Virtual Network/Firewall rules."), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(AzureWire.DeploymentNotFound, HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(AzureWire.RateLimitError(2), HttpStatusCode.TooManyRequests),
        ErrorScenario.QuotaExhausted => CannedResponse.Json(AzureWire.Error("403", "Out of call volume quota for OpenAI API. Quota will be replenished in 2.12:16:39."), HttpStatusCode.Forbidden),
        ErrorScenario.ServerError => CannedResponse.Json(AzureWire.Error("InternalServerError", "The server had an error while processing your request. Sorry about that!"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(AzureWire.Error("ServiceUnavailable", "The service is temporarily unable to process your request. Please try again later."), HttpStatusCode.ServiceUnavailable),
        ErrorScenario.GatewayTimeout => CannedResponse.Json(AzureWire.Error("Timeout", "The operation was timeout."), HttpStatusCode.GatewayTimeout),
        ErrorScenario.Overloaded => CannedResponse.Json(AzureWire.Error("ServiceUnavailable", "The model is currently overloaded with other requests. Please retry after a short wait."), HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertChatRequest(RecordedRequest request, bool streaming)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri($"{ConformanceEndpoint}/openai/deployments/{RequestedModel}/chat/completions?api-version={AzureOpenAIProviderOptions.DefaultApiVersion}")));
        Assert.That(request.Header("api-key"), Is.EqualTo(ApiKey));
        Assert.That(request.Header("Authorization"), Is.Null);
        Assert.That(request.Header("Content-Type"), Does.StartWith("application/json"));
        var json = request.Json();
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
        }
    }
}
