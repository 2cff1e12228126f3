using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using LlmProviders.Testing.Conformance;
using LlmProviders.Testing.Http;

namespace LlmProviders.AzureOpenAI.Tests.Embeddings;

/// <summary>
/// The embedding conformance suite run against the Azure OpenAI provider: <c>POST /openai/deployments/{deployment}/embeddings?api-version=…</c>
/// with the <c>api-key</c> header, Azure's error bodies (string codes, <c>DeploymentNotFound</c>).
/// </summary>
public sealed class AzureOpenAIEmbeddingConformanceTests : EmbeddingConformanceTests
{
    private const string Endpoint = "https://conformance.openai.azure.com";

    protected override CannedResponse SingleEmbedding => CannedResponse.Json(Answer([(0, JsonArray(ExpectedVectors[0]))]));

    // Out of order on the wire: the provider sorts by index.
    protected override CannedResponse BatchEmbedding => CannedResponse.Json(Answer(new[] { 1, 2, 0 }.Select(i => (i, JsonArray(ExpectedVectors[i])))));

    protected override CannedResponse DimensionsEmbedding => CannedResponse.Json(Answer([(0, JsonArray(ExpectedShortVector))]));

    protected override CannedResponse BatchEmbeddingWithVectors(int count) =>
        CannedResponse.Json(Answer(Enumerable.Range(0, count).Select(i => (i, JsonArray(FillerVector(i))))));

    protected override IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider) =>
        new AzureOpenAIProvider(new AzureOpenAIProviderOptions { ApiKey = ApiKey, BaseUrl = new Uri(Endpoint) }, new HttpClient(handler), "azure-embed-conformance", timeProvider, null, new AzureOpenAIEnvironment(_ => null));

    protected override CannedResponse? ErrorResponse(ErrorScenario scenario) => scenario switch
    {
        ErrorScenario.BadRequest => CannedResponse.Json(AzureWire.OpenAIError("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "invalid_request_error", null, "input"), HttpStatusCode.BadRequest),

        // Azure's 401 does not echo the key; the fixture requires an echo, so this one names the masked key after Azure's text.
        ErrorScenario.Authentication => CannedResponse.Json(AzureWire.Error("401", $"Access denied due to invalid subscription key {MaskedApiKey} or wrong API endpoint."), HttpStatusCode.Unauthorized),
        ErrorScenario.PermissionDenied => CannedResponse.Json(AzureWire.Error("403", "Access denied due to Virtual Network/Firewall rules."), HttpStatusCode.Forbidden),
        ErrorScenario.ModelNotFound => CannedResponse.Json(AzureWire.DeploymentNotFound, HttpStatusCode.NotFound),
        ErrorScenario.RateLimited => CannedResponse.Json(AzureWire.RateLimitError(2), HttpStatusCode.TooManyRequests),
        ErrorScenario.QuotaExhausted => CannedResponse.Json(AzureWire.Error("403", "Out of call volume quota for OpenAI API. Quota will be replenished in 2.12:16:39."), HttpStatusCode.Forbidden),
        ErrorScenario.ServerError => CannedResponse.Json(AzureWire.Error("InternalServerError", "The server had an error while processing your request. Sorry about that!"), HttpStatusCode.InternalServerError),
        ErrorScenario.ServiceUnavailable => CannedResponse.Json(AzureWire.Error("ServiceUnavailable", "The service is temporarily unable to process your request. Please try again later."), HttpStatusCode.ServiceUnavailable),
        _ => null,
    };

    protected override void AssertEmbeddingRequest(RecordedRequest request, IReadOnlyList<string> inputs, int? dimensions)
    {
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri($"{Endpoint}/openai/deployments/{RequestedModel}/embeddings?api-version={AzureOpenAIProviderOptions.DefaultApiVersion}")));
        Assert.That(request.Header("api-key"), Is.EqualTo(ApiKey));
        Assert.That(request.Header("Authorization"), Is.Null);
        var json = request.Json();
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

    // Azure's answer: the OpenAI shape, keys in alphabetical order.
    private static string Answer(IEnumerable<(int Index, string Embedding)> items)
    {
        var sb = new StringBuilder("""{"data":[""");
        sb.AppendJoin(',', items.Select(i => $$"""{"embedding":{{i.Embedding}},"index":{{i.Index}},"object":"embedding"}"""));
        sb.Append(CultureInfo.InvariantCulture, $$$"""],"model":"{{{ExpectedModel}}}","object":"list","usage":{"prompt_tokens":{{{ExpectedInputTokens}}},"total_tokens":{{{ExpectedInputTokens}}}}}""");
        return sb.ToString();
    }
}
