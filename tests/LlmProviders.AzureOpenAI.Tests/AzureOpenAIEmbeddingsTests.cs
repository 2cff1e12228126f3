using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>Embeddings: the deployment URL (or the v1 path), dimensions, batch order, usage and errors.</summary>
public sealed class AzureOpenAIEmbeddingsTests : AzureOpenAIProviderTestBase
{
    [Test]
    public async Task Embeddings_post_to_the_deployment_url_with_the_api_version()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-small", (0, [0.1f, -0.2f, 0.3f])));
        var result = await CreateProvider().EmbedAsync(new EmbeddingRequest("hello") { Model = "embed-small" });

        Assert.That(Handler.LastRequest.Method, Is.EqualTo(System.Net.Http.HttpMethod.Post));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"{AzureWire.Endpoint}/openai/deployments/embed-small/embeddings?api-version=2024-10-21")));
        Assert.That(Handler.LastRequest.Header("api-key"), Is.EqualTo(Key));
        Assert.That(result.Embeddings.Single().Vector.ToArray(), Is.EqualTo(new[] { 0.1f, -0.2f, 0.3f }));
        Assert.That(result.Model, Is.EqualTo("text-embedding-3-small"));
        Assert.That(result.ProviderName, Is.EqualTo("azure-openai"));
        Assert.That(result.Usage?.InputTokenCount, Is.EqualTo(7));
    }

    [Test]
    public async Task Request_without_a_model_uses_the_default_embedding_deployment()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-large", (0, [1f])));
        await CreateProvider(o => o.DefaultEmbeddingModel = "embed-large").EmbedAsync(new EmbeddingRequest("hello"));
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/openai/deployments/embed-large/embeddings"));
    }

    [Test]
    public async Task V1_api_posts_to_openai_v1_embeddings_with_the_deployment_as_model()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-small", (0, [1f])));
        await CreateProvider(o => o.UseV1Api = true).EmbedAsync(new EmbeddingRequest("hello") { Model = "embed-small" });

        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"{AzureWire.Endpoint}/openai/v1/embeddings")));
        Assert.That(Handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("embed-small"));
    }

    [Test]
    public async Task Dimensions_and_every_input_are_sent_in_one_call()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-small", (0, [1f]), (1, [2f])));
        await CreateProvider().EmbedAsync(new EmbeddingRequest(["a", "b"]) { Model = "embed", Dimensions = 256 });

        var json = Handler.LastRequest.Json();
        Assert.That(json.GetProperty("dimensions").GetInt32(), Is.EqualTo(256));
        Assert.That(json.GetProperty("input").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(Handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Vectors_answered_out_of_order_are_returned_in_input_order()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-small", (2, [3f]), (0, [1f]), (1, [2f])));
        var result = await CreateProvider().EmbedAsync(new EmbeddingRequest(["a", "b", "c"]) { Model = "embed" });
        Assert.That(result.Embeddings.Select(e => e.Vector.Span[0]), Is.EqualTo(new[] { 1f, 2f, 3f }));
    }

    [Test]
    public async Task Missing_vector_is_a_malformed_response()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-small", (0, [1f])));
        var ex = await CatchAsync<MalformedResponseException>(() => CreateProvider().EmbedAsync(new EmbeddingRequest(["a", "b"]) { Model = "embed" }));
        Assert.That(ex.Message, Does.Contain("input 1"));
    }

    [Test]
    public async Task Missing_embedding_deployment_is_model_not_found()
    {
        Handler.Response = CannedResponse.Json(AzureWire.DeploymentNotFound, HttpStatusCode.NotFound);
        var ex = await CatchAsync<ModelNotFoundException>(() => CreateProvider().EmbedAsync(new EmbeddingRequest("a") { Model = "nope" }));
        Assert.That(ex.Model, Is.EqualTo("nope"));
    }

    [Test]
    public async Task Embedding_rate_limit_reports_x_ms_retry_after_ms()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Error("429", "Requests to the Embeddings_Create Operation have exceeded call rate limit."), HttpStatusCode.TooManyRequests)
            .WithHeader("x-ms-retry-after-ms", "1200");
        var ex = await CatchAsync<RateLimitedException>(() => CreateProvider().EmbedAsync(new EmbeddingRequest("a") { Model = "embed" }));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(1200)));
    }

    [Test]
    public void Empty_input_is_refused_before_sending()
    {
        Assert.ThrowsAsync<ArgumentException>(() => CreateProvider().EmbedAsync(new EmbeddingRequest(Array.Empty<string>())));
        Assert.That(Handler.Requests, Is.Empty);
    }
}
