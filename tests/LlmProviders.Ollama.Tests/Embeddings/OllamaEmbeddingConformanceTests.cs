using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Ollama;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.Ollama.Tests.Embeddings;

/// <summary>The embedding conformance suite run against the Ollama provider with <c>/api/embed</c> payloads.</summary>
public sealed class OllamaEmbeddingConformanceTests : EmbeddingConformanceTests
{
    protected override bool IsLocal => true;

    protected override CannedResponse SingleEmbedding => CannedResponse.Json(OllamaEmbeddingWire.Answer([ExpectedVectors[0]]));

    // /api/embed has no indexes: the answer is in input order.
    protected override CannedResponse BatchEmbedding => CannedResponse.Json(OllamaEmbeddingWire.Answer([.. ExpectedVectors]));

    protected override CannedResponse DimensionsEmbedding => CannedResponse.Json(OllamaEmbeddingWire.Answer([ExpectedShortVector]));

    protected override CannedResponse BatchEmbeddingWithVectors(int count) =>
        CannedResponse.Json(OllamaEmbeddingWire.Answer(Enumerable.Range(0, count).Select(FillerVector).ToArray()));

    protected override IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new OllamaProvider(new OllamaProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "ollama-embed-conformance", timeProvider, null, new OllamaEnvironment(_ => null));

    // Authentication, permission and rate limits come from Ollama cloud or a proxy in front of Ollama.
    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(OllamaWire.Error("invalid input type"), HttpStatusCode.BadRequest),
        ErrorScenario.Authentication => CannedResponse.Json(OllamaWire.Error($"unauthorized: invalid key {MaskedApiKey}"), HttpStatusCode.Unauthorized),
        ErrorScenario.PermissionDenied => CannedResponse.Json(OllamaWire.Error("remote model access is disabled on this server"), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(OllamaWire.Error($"model \"{RequestedModel}\" not found, try pulling it first"), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(OllamaWire.Error("too many requests, please slow down"), HttpStatusCode.TooManyRequests),
        ErrorScenario.ServerError => CannedResponse.Json(OllamaWire.Error("llama runner process has terminated: exit status 2"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(OllamaWire.Error("service unavailable"), HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertEmbeddingRequest(RecordedRequest request, IReadOnlyList<string> inputs, int? dimensions)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("http://localhost:11434/api/embed")));
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
