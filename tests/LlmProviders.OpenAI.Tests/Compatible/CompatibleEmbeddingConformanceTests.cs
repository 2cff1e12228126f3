using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.OpenAI.Tests.Embeddings;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.OpenAI.Tests.Compatible;

/// <summary>
/// The embedding conformance suite for the OpenAI-compatible presets that serve <c>POST {base}/embeddings</c>: the OpenAI
/// body shape, each preset's URL, authentication and error envelope.
/// </summary>
public abstract class CompatibleEmbeddingConformanceTests : EmbeddingConformanceTests
{
    /// <summary>Gets the embeddings URL the preset must call.</summary>
    protected abstract Uri ExpectedEmbeddingsUri { get; }

    protected override CannedResponse SingleEmbedding => CannedResponse.Json(OpenAIEmbeddingWire.Answer(ExpectedVectors[0]));

    // Out of order on the wire: the provider sorts by index.
    protected override CannedResponse BatchEmbedding => CannedResponse.Json(OpenAIEmbeddingWire.Answer(
        new[] { 2, 1, 0 }.Select(i => (i, JsonArray(ExpectedVectors[i])))));

    protected override CannedResponse DimensionsEmbedding => CannedResponse.Json(OpenAIEmbeddingWire.Answer(ExpectedShortVector));

    protected override CannedResponse BatchEmbeddingWithVectors(int count) =>
        CannedResponse.Json(OpenAIEmbeddingWire.Answer(Enumerable.Range(0, count).Select(FillerVector).ToArray()));

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => Error(HttpStatusCode.BadRequest, "input must not be empty", "BadRequestError"),
        ErrorScenario.Authentication => Error(HttpStatusCode.Unauthorized, $"Invalid API key provided: {MaskedApiKey}", "invalid_request_error"),
        ErrorScenario.PermissionDenied => Error(HttpStatusCode.Forbidden, "You are not allowed to use this model", "permission_denied"),
        ErrorScenario.ModelNotFound => Error(HttpStatusCode.NotFound, $"The model `{RequestedModel}` does not exist.", "NotFoundError"),
        ErrorScenario.RateLimited => Error(HttpStatusCode.TooManyRequests, "Rate limit exceeded, please retry shortly", "rate_limit"),
        ErrorScenario.QuotaExhausted => Error(HttpStatusCode.PaymentRequired, "Insufficient credits. Add more credits to continue.", "insufficient_quota"),
        ErrorScenario.ServerError => Error(HttpStatusCode.InternalServerError, "Internal server error", "InternalServerError"),
        ErrorScenario.ServiceUnavailable => Error(HttpStatusCode.ServiceUnavailable, "The service is temporarily unavailable, try again later.", "service_unavailable"),
        _ => null,
    };

    protected override void AssertEmbeddingRequest(RecordedRequest request, IReadOnlyList<string> inputs, int? dimensions)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(ExpectedEmbeddingsUri));
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

    /// <summary>Creates a provider of the preset over the scripted server, never reading the machine's environment.</summary>
    private protected static OpenAIProvider Create(CompatiblePreset preset, OpenAICompatibleProviderOptions options, HttpMessageHandler handler, TimeProvider time, string name) =>
        OpenAICompatibleProviders.Create(preset, options, new HttpClient(handler), name, time, null, new OpenAICompatibleEnvironment(_ => null));

    private static CannedResponse Error(HttpStatusCode status, string message, string type) =>
        CannedResponse.Json($$$"""{"error":{"message":"{{{message}}}","type":"{{{type}}}","param":null,"code":{{{(int)status}}}}}""", status);
}

/// <summary>Together AI embeddings (cloud: cost unknown until the catalog).</summary>
public sealed class TogetherAIEmbeddingConformanceTests : CompatibleEmbeddingConformanceTests
{
    protected override Uri ExpectedEmbeddingsUri => new("https://api.together.xyz/v1/embeddings");

    protected override IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        Create(CompatiblePreset.TogetherAI, new OpenAICompatibleProviderOptions { ApiKey = ApiKey }, handler, timeProvider, "together-embed-conformance");
}

/// <summary>vLLM embeddings (local: cost zero).</summary>
public sealed class VllmEmbeddingConformanceTests : CompatibleEmbeddingConformanceTests
{
    protected override Uri ExpectedEmbeddingsUri => new("http://gpu-box:8000/v1/embeddings");

    protected override bool IsLocal => true;

    protected override IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        Create(CompatiblePreset.Vllm, new OpenAICompatibleProviderOptions { ApiKey = ApiKey, BaseUrl = new Uri("http://gpu-box:8000/v1") }, handler, timeProvider, "vllm-embed-conformance");
}

/// <summary>LocalAI embeddings (local: cost zero).</summary>
public sealed class LocalAIEmbeddingConformanceTests : CompatibleEmbeddingConformanceTests
{
    protected override Uri ExpectedEmbeddingsUri => new("http://localai:8080/v1/embeddings");

    protected override bool IsLocal => true;

    protected override IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        Create(CompatiblePreset.LocalAI, new OpenAICompatibleProviderOptions { ApiKey = ApiKey, BaseUrl = new Uri("http://localai:8080/v1") }, handler, timeProvider, "localai-embed-conformance");
}
