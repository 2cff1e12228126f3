using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.Mistral.Tests.Embeddings;

/// <summary>The embedding conformance suite run against the Mistral provider with Mistral's <c>/v1/embeddings</c> payloads (dimensions as <c>output_dimension</c>).</summary>
public sealed class MistralEmbeddingConformanceTests : EmbeddingConformanceTests
{
    protected override CannedResponse SingleEmbedding => CannedResponse.Json(Answer([(0, JsonArray(ExpectedVectors[0]))]));

    // Out of order on the wire: the provider sorts by index.
    protected override CannedResponse BatchEmbedding => CannedResponse.Json(Answer(new[] { 2, 0, 1 }.Select(i => (i, JsonArray(ExpectedVectors[i])))));

    protected override CannedResponse DimensionsEmbedding => CannedResponse.Json(Answer([(0, JsonArray(ExpectedShortVector))]));

    protected override CannedResponse BatchEmbeddingWithVectors(int count) =>
        CannedResponse.Json(Answer(Enumerable.Range(0, count).Select(i => (i, JsonArray(FillerVector(i))))));

    protected override IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new MistralProvider(new MistralProviderOptions { ApiKey = ApiKey }, new HttpClient(handler), "mistral-embed-conformance", timeProvider, null, new MistralEnvironment(_ => null));

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(MistralWire.ErrorRaw(
            """{"detail":[{"type":"extra_forbidden","loc":["body","dimensions"],"msg":"Extra inputs are not permitted","input":3}]}""", "invalid_request_error", null), HttpStatusCode.UnprocessableEntity),
        ErrorScenario.Authentication => CannedResponse.Json($$$"""{"message":"Unauthorized: {{{MaskedApiKey}}}","request_id":"933f233947ff6d346065bb297e4a4d56"}""", HttpStatusCode.Unauthorized),
        ErrorScenario.PermissionDenied => CannedResponse.Json("""{"message":"Forbidden","request_id":"1a2b3c4d5e6f708192a3b4c5d6e7f809"}""", HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(MistralWire.Error($"Invalid model: {RequestedModel}", "invalid_model", "1500"), HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json("""{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}""", HttpStatusCode.TooManyRequests),
        ErrorScenario.QuotaExhausted => CannedResponse.Json("""{"detail":"Payment Required"}""", HttpStatusCode.PaymentRequired),
        ErrorScenario.ServerError => CannedResponse.Json(MistralWire.Error("Internal server error", "internal_server_error", "3000"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json("""{"detail":"Service Unavailable"}""", HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertEmbeddingRequest(RecordedRequest request, IReadOnlyList<string> inputs, int? dimensions)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("https://api.mistral.ai/v1/embeddings")));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer " + ApiKey));
        var json = request.Json();
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(RequestedModel));
        Assert.That(json.GetProperty("input").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(inputs));
        Assert.That(json.TryGetProperty("dimensions", out _), Is.False, "Mistral answers 422 to 'dimensions'.");
        if (dimensions is { } d)
        {
            Assert.That(json.GetProperty("output_dimension").GetInt32(), Is.EqualTo(d));
        }
        else
        {
            Assert.That(json.TryGetProperty("output_dimension", out _), Is.False);
        }
    }

    // Mistral's answer: {"id","object":"list","data":[{"object":"embedding","embedding":[…],"index"}],"model","usage":{…}}.
    private static string Answer(IEnumerable<(int Index, string Embedding)> items)
    {
        var sb = new StringBuilder("""{"id":"8e6f0f4c2a3b4d5e9f1a2b3c4d5e6f70","object":"list","data":[""");
        sb.AppendJoin(',', items.Select(i => $$"""{"object":"embedding","embedding":{{i.Embedding}},"index":{{i.Index}}}"""));
        sb.Append(CultureInfo.InvariantCulture, $$$"""],"model":"{{{ExpectedModel}}}","usage":{"prompt_tokens":{{{ExpectedInputTokens}}},"total_tokens":{{{ExpectedInputTokens}}},"completion_tokens":0}}""");
        return sb.ToString();
    }
}
