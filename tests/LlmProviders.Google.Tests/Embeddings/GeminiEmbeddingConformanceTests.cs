using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using LlmProviders.Google;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.Google.Tests.Embeddings;

/// <summary>The embedding conformance suite run against the Gemini provider with Gemini wire payloads (embedContent, batchEmbedContents).</summary>
public sealed class GeminiEmbeddingConformanceTests : EmbeddingConformanceTests
{
    // Gemini's embedding answers name no model and (on the Developer API) carry no usage.
    protected override bool ReportsModel => false;

    protected override bool ReportsUsage => false;

    protected override CannedResponse SingleEmbedding => CannedResponse.Json(GeminiEmbeddingWire.Single(ExpectedVectors[0]));

    // batchEmbedContents has no indexes: the answer is in request order.
    protected override CannedResponse BatchEmbedding => CannedResponse.Json(GeminiEmbeddingWire.Batch([.. ExpectedVectors]));

    protected override CannedResponse DimensionsEmbedding => CannedResponse.Json(GeminiEmbeddingWire.Single(ExpectedShortVector));

    protected override CannedResponse BatchEmbeddingWithVectors(int count) =>
        CannedResponse.Json(GeminiEmbeddingWire.Batch(Enumerable.Range(0, count).Select(FillerVector).ToArray()));

    protected override IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new GeminiProvider(new GeminiProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "gemini-embed-conformance", timeProvider, null, new GeminiEnvironment(_ => null));

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(GeminiWire.Error(400, "INVALID_ARGUMENT", "Invalid value at 'requests[0].output_dimensionality' (TYPE_INT32), \"many\""), HttpStatusCode.BadRequest),
        ErrorScenario.Authentication => CannedResponse.Json(GeminiWire.Error(400, "INVALID_ARGUMENT", $"API key not valid. Please pass a valid API key. (key {MaskedApiKey})", GeminiWire.ApiKeyInvalidDetails), HttpStatusCode.BadRequest),
        ErrorScenario.PermissionDenied => CannedResponse.Json(GeminiWire.Error(403, "PERMISSION_DENIED", "Generative Language API has not been used in project 123456 before or it is disabled."), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(GeminiWire.Error(404, "NOT_FOUND", $"models/{RequestedModel} is not found for API version v1beta, or is not supported for embedContent. Call ListModels to see the list of available models and their supported methods."), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(GeminiWire.Error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", GeminiWire.RetryDetails("EmbedContentRequestsPerMinutePerProjectPerModel-FreeTier", "34.4s")), HttpStatusCode.TooManyRequests),
        ErrorScenario.ServerError => CannedResponse.Json(GeminiWire.Error(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(GeminiWire.Error(503, "UNAVAILABLE", "The service is currently unavailable."), HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertEmbeddingRequest(RecordedRequest request, IReadOnlyList<string> inputs, int? dimensions)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Header("x-goog-api-key"), Is.EqualTo(ApiKey));
        Assert.That(request.Uri.Query, Is.Empty, "the key never goes in the URL");
        var json = request.Json();
        if (inputs.Count == 1)
        {
            Assert.That(request.Uri, Is.EqualTo(new Uri($"https://generativelanguage.googleapis.com/v1beta/models/{RequestedModel}:embedContent")));
            Assert.That(json.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString(), Is.EqualTo(inputs[0]));
            AssertDimensions(json, dimensions);
        }
        else
        {
            Assert.That(request.Uri, Is.EqualTo(new Uri($"https://generativelanguage.googleapis.com/v1beta/models/{RequestedModel}:batchEmbedContents")));
            var entries = json.GetProperty("requests").EnumerateArray().ToList();
            Assert.That(entries.Select(e => e.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()), Is.EqualTo(inputs));
            Assert.That(entries.Select(e => e.GetProperty("model").GetString()), Is.All.EqualTo("models/" + RequestedModel));
            foreach (var entry in entries)
            {
                AssertDimensions(entry, dimensions);
            }
        }

        static void AssertDimensions(System.Text.Json.JsonElement json, int? dimensions)
        {
            if (dimensions is { } d)
            {
                Assert.That(json.GetProperty("outputDimensionality").GetInt32(), Is.EqualTo(d));
            }
            else
            {
                Assert.That(json.TryGetProperty("outputDimensionality", out _), Is.False);
            }
        }
    }
}
