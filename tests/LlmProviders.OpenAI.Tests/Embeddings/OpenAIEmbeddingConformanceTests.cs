using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.OpenAI.Tests.Embeddings;

/// <summary>The embedding conformance suite run against the OpenAI provider with OpenAI wire payloads.</summary>
public sealed class OpenAIEmbeddingConformanceTests : EmbeddingConformanceTests
{
    protected override CannedResponse SingleEmbedding => CannedResponse.Json(OpenAIEmbeddingWire.Answer(ExpectedVectors[0]));

    // Out of order on the wire: the provider sorts by index.
    protected override CannedResponse BatchEmbedding => CannedResponse.Json(OpenAIEmbeddingWire.Answer(
        new[] { 2, 0, 1 }.Select(i => (i, JsonArray(ExpectedVectors[i])))));

    protected override CannedResponse DimensionsEmbedding => CannedResponse.Json(OpenAIEmbeddingWire.Answer(ExpectedShortVector));

    protected override CannedResponse BatchEmbeddingWithVectors(int count) =>
        CannedResponse.Json(OpenAIEmbeddingWire.Answer(Enumerable.Range(0, count).Select(FillerVector).ToArray()));

    protected override IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new OpenAIProvider(new OpenAIProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "openai-embed-conformance", timeProvider, null, new OpenAIEnvironment(_ => null));

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(OpenAIWire.Error("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "invalid_request_error", null), HttpStatusCode.BadRequest),
        ErrorScenario.Authentication => CannedResponse.Json(OpenAIWire.Error($"Incorrect API key provided: {MaskedApiKey}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"), HttpStatusCode.Unauthorized),
        ErrorScenario.PermissionDenied => CannedResponse.Json(OpenAIWire.Error("You are not allowed to sample from this model", "invalid_request_error", null), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(OpenAIWire.Error($"The model '{RequestedModel}' does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(OpenAIWire.Error("Rate limit reached for text-embedding-3-small in organization org-conformance on tokens per min (TPM): Limit 1000000, Used 1000000, Requested 12.", "tokens", "rate_limit_exceeded"), HttpStatusCode.TooManyRequests),
        ErrorScenario.QuotaExhausted => CannedResponse.Json(OpenAIWire.Error("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"), HttpStatusCode.TooManyRequests),
        ErrorScenario.ServerError => CannedResponse.Json(OpenAIWire.Error("The server had an error while processing your request. Sorry about that!", "server_error", null), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(OpenAIWire.Error("The service is temporarily unavailable. Please try again later.", "server_error", null), HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertEmbeddingRequest(RecordedRequest request, IReadOnlyList<string> inputs, int? dimensions)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("https://api.openai.com/v1/embeddings")));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer " + ApiKey));
        var json = request.Json();
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(RequestedModel));
        Assert.That(json.GetProperty("input").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(inputs));
        if (dimensions is { } d)
        {
            Assert.That(json.GetProperty("dimensions").GetInt32(), Is.EqualTo(d));
        }
        else
        {
            Assert.That(json.TryGetProperty("dimensions", out _), Is.False);
        }
    }
}
