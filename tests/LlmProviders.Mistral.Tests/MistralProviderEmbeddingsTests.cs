using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.Mistral.Tests;

/// <summary>Embeddings: <c>POST /v1/embeddings</c>, <c>mistral-embed</c> by default, dimensions as <c>output_dimension</c>.</summary>
public sealed class MistralProviderEmbeddingsTests : MistralProviderTestBase
{
    // Mistral's answer: data items out of order on purpose (the index decides).
    private const string TwoVectors = """{"id":"8e6f0f4c2a3b4d5e9f1a2b3c4d5e6f70","object":"list","data":[{"object":"embedding","embedding":[0.5,-0.25,0.125],"index":1},{"object":"embedding","embedding":[-0.0107,0.0459,0.0339],"index":0}],"model":"mistral-embed","usage":{"prompt_tokens":9,"total_tokens":9,"completion_tokens":0,"request_count":null}}""";

    private Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, MistralProvider? provider = null, CannedResponse? response = null)
    {
        Handler.Response = response ?? CannedResponse.Json(TwoVectors);
        return (provider ?? CreateProvider()).EmbedAsync(request).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Embed_posts_mistral_embed_with_every_input_in_one_call()
    {
        await EmbedAsync(new EmbeddingRequest(["Bonjour", "Hello 👋"]));

        var request = Handler.LastRequest;
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("https://api.mistral.ai/v1/embeddings")));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer " + Key));
        var json = request.Json();
        Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "model", "input" }));
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo("mistral-embed"));
        Assert.That(json.GetProperty("input").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "Bonjour", "Hello 👋" }));
        Assert.That(Handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Dimensions_are_sent_as_output_dimension()
    {
        await EmbedAsync(new EmbeddingRequest(["a", "b"]) { Model = "codestral-embed", Dimensions = 256 });
        var json = Handler.LastRequest.Json();
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo("codestral-embed"));
        Assert.That(json.GetProperty("output_dimension").GetInt32(), Is.EqualTo(256));
        Assert.That(json.TryGetProperty("dimensions", out _), Is.False, "Mistral answers 422 to 'dimensions'.");
    }

    [Test]
    public async Task Default_embedding_model_option_is_used()
    {
        await EmbedAsync(new EmbeddingRequest(["a", "b"]), CreateProvider(o => o.DefaultEmbeddingModel = "codestral-embed"));
        Assert.That(Handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("codestral-embed"));
    }

    [Test]
    public async Task Vectors_come_back_in_input_order_with_usage_and_model()
    {
        var result = await EmbedAsync(new EmbeddingRequest(["first", "second"]));

        Assert.That(result.Embeddings, Has.Count.EqualTo(2));
        Assert.That(result.Embeddings[0].Vector.ToArray(), Is.EqualTo(new[] { -0.0107f, 0.0459f, 0.0339f }));
        Assert.That(result.Embeddings[1].Vector.ToArray(), Is.EqualTo(new[] { 0.5f, -0.25f, 0.125f }));
        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(9));
        Assert.That(result.Model, Is.EqualTo("mistral-embed"));
        Assert.That(result.ProviderName, Is.EqualTo("mistral"));
        Assert.That(result.Cost, Is.Null);
    }

    [Test]
    public async Task Too_few_vectors_is_a_malformed_response()
    {
        var response = CannedResponse.Json("""{"object":"list","data":[{"object":"embedding","embedding":[0.1],"index":0}],"model":"mistral-embed","usage":{"prompt_tokens":2,"total_tokens":2}}""");
        var ex = await CatchAsync<MalformedResponseException>(() => EmbedAsync(new EmbeddingRequest(["a", "b"]), response: response));
        Assert.That(ex.Message, Does.Contain("input 1"));
    }

    [Test]
    public async Task Embedding_error_shapes_are_typed()
    {
        await CatchAsync<ProviderAuthenticationException>(() => EmbedAsync(new EmbeddingRequest("a"), response: CannedResponse.Json("""{"detail":"Unauthorized"}""", HttpStatusCode.Unauthorized)));
        await CatchAsync<RateLimitedException>(() => EmbedAsync(new EmbeddingRequest("a"), response: CannedResponse.Json("""{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}""", HttpStatusCode.TooManyRequests)));
        var invalid = await CatchAsync<InvalidChatRequestException>(() => EmbedAsync(new EmbeddingRequest("a") { Dimensions = 10 }, response: CannedResponse.Json(
            MistralWire.ErrorRaw("""{"detail":[{"type":"less_than_equal","loc":["body","output_dimension"],"msg":"Input should be less than or equal to 3072"}]}""", "invalid_request_error", null), HttpStatusCode.UnprocessableEntity)));
        Assert.That(invalid.Message, Does.Contain("'output_dimension': Input should be less than or equal to 3072"));
    }

    [Test]
    public void Empty_input_is_refused_before_any_call()
    {
        var provider = CreateProvider();
        Assert.ThrowsAsync<ArgumentException>(() => provider.EmbedAsync(new EmbeddingRequest(new List<string>())));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Additional_fields_such_as_output_dtype_pass_through()
    {
        using var doc = JsonDocument.Parse("\"float\"");
        await EmbedAsync(new EmbeddingRequest(["a", "b"]) { AdditionalRequestFields = new Dictionary<string, JsonElement> { ["output_dtype"] = doc.RootElement.Clone() } });
        Assert.That(Handler.LastRequest.Json().GetProperty("output_dtype").GetString(), Is.EqualTo("float"));
    }
}
