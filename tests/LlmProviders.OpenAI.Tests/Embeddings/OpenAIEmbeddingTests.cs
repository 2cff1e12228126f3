using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.OpenAI.Tests.Embeddings;

/// <summary>OpenAI-specific embedding behaviour: the default model, base64 vectors, dimensions, usage and the escape hatch.</summary>
public sealed class OpenAIEmbeddingTests : OpenAIProviderTestBase
{
    [Test]
    public async Task A_request_without_model_uses_text_embedding_3_small()
    {
        var result = await EmbedAsync(OpenAIEmbeddingWire.Answer([1f, 2f]), new EmbeddingRequest("hi"));
        Assert.That(Handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("text-embedding-3-small"));
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/v1/embeddings"));
        Assert.That(result.Embeddings[0].Vector.ToArray(), Is.EqualTo(new[] { 1f, 2f }));
    }

    [Test]
    public async Task DefaultEmbeddingModel_option_replaces_the_default()
    {
        var provider = CreateProvider(o => o.DefaultEmbeddingModel = "text-embedding-3-large");
        await EmbedAsync(OpenAIEmbeddingWire.Answer([1f]), new EmbeddingRequest("hi"), provider);
        Assert.That(Handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("text-embedding-3-large"));
    }

    [Test]
    public async Task Base64_vectors_are_decoded_as_little_endian_floats()
    {
        float[] expected = [0.125f, -2.5f, 1e-3f];
        var bytes = new byte[expected.Length * sizeof(float)];
        Buffer.BlockCopy(expected, 0, bytes, 0, bytes.Length);
        string base64 = "\"" + Convert.ToBase64String(bytes) + "\"";
        var body = OpenAIEmbeddingWire.Answer([(1, base64), (0, "[1,2,3]")]);
        var result = await EmbedAsync(body, new EmbeddingRequest(["a", "b"]));
        Assert.That(result.Embeddings[0].Vector.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f }));
        Assert.That(result.Embeddings[1].Vector.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Base64_that_is_not_whole_floats_is_malformed()
    {
        var body = OpenAIEmbeddingWire.Answer([(0, "\"AAAA\"")]).Replace("AAAA", "AAA=", StringComparison.Ordinal);
        Handler.Response = CannedResponse.Json(body);
        Assert.ThrowsAsync<MalformedResponseException>(() => CreateProvider().EmbedAsync(new EmbeddingRequest("a")).WaitAsync(HangTimeout));
    }

    [Test]
    public async Task Dimensions_are_sent_as_dimensions()
    {
        await EmbedAsync(OpenAIEmbeddingWire.Answer([1f, 2f]), new EmbeddingRequest("hi") { Dimensions = 256 });
        Assert.That(Handler.LastRequest.Json().GetProperty("dimensions").GetInt32(), Is.EqualTo(256));
    }

    [Test]
    public async Task Usage_comes_from_prompt_tokens_and_total_tokens()
    {
        var body = OpenAIEmbeddingWire.Answer([(0, "[1]")], promptTokens: 8);
        var result = await EmbedAsync(body, new EmbeddingRequest("hello"));
        Assert.That(result.Usage?.InputTokenCount, Is.EqualTo(8));
        Assert.That(result.Usage?.TotalTokenCount, Is.EqualTo(8));
        Assert.That(result.Usage?.OutputTokenCount, Is.Null);
        Assert.That(result.Cost, Is.Null, "a cloud cost is unknown while the catalog has no price for the model");
    }

    [Test]
    public async Task Items_without_index_keep_their_position()
    {
        var body = """{"object":"list","data":[{"embedding":[1]},{"embedding":[2]}],"model":"m"}""";
        var result = await EmbedAsync(body, new EmbeddingRequest(["a", "b"]));
        Assert.That(result.Embeddings.Select(e => e.Vector.Span[0]), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(result.Usage, Is.Null, "no usage on the wire: none is made up");
    }

    [Test]
    public void Two_items_with_the_same_index_are_malformed()
    {
        Handler.Response = CannedResponse.Json(OpenAIEmbeddingWire.Answer([(0, "[1]"), (0, "[2]")]));
        var ex = Assert.ThrowsAsync<MalformedResponseException>(() => CreateProvider().EmbedAsync(new EmbeddingRequest(["a", "b"])).WaitAsync(HangTimeout));
        Assert.That(ex!.Message, Does.Contain("index 0"));
    }

    [Test]
    public void An_empty_vector_is_malformed()
    {
        Handler.Response = CannedResponse.Json(OpenAIEmbeddingWire.Answer([(0, "[]")]));
        Assert.ThrowsAsync<MalformedResponseException>(() => CreateProvider().EmbedAsync(new EmbeddingRequest("a")).WaitAsync(HangTimeout));
    }

    [Test]
    public void An_error_object_in_a_200_is_the_typed_error()
    {
        Handler.Response = CannedResponse.Json(OpenAIWire.Error("Rate limit reached.", "tokens", "rate_limit_exceeded"));
        Assert.ThrowsAsync<RateLimitedException>(() => CreateProvider().EmbedAsync(new EmbeddingRequest("a")).WaitAsync(HangTimeout));
    }

    [Test]
    public async Task Additional_request_fields_are_written_and_replace_the_library_s()
    {
        using var doc = JsonDocument.Parse("""{"encoding_format":"float","dimensions":64,"user":"u-1"}""");
        var request = new EmbeddingRequest("hi")
        {
            Dimensions = 256,
            AdditionalRequestFields = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
        };
        await EmbedAsync(OpenAIEmbeddingWire.Answer([1f]), request);
        var json = Handler.LastRequest.Json();
        Assert.That(json.GetProperty("dimensions").GetInt32(), Is.EqualTo(64));
        Assert.That(json.GetProperty("user").GetString(), Is.EqualTo("u-1"));
        Assert.That(json.GetProperty("encoding_format").GetString(), Is.EqualTo("float"));
        Assert.That(Handler.LastRequest.BodyText.Split("\"dimensions\"").Length, Is.EqualTo(2), "written once");
    }

    [Test]
    public void OpenAI_declares_embeddings_and_is_an_embedding_provider()
    {
        var provider = CreateProvider();
        Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.Embeddings), Is.True);
        Assert.That(provider, Is.InstanceOf<IEmbeddingProvider>());
    }

    private async Task<EmbeddingResult> EmbedAsync(string body, EmbeddingRequest request, OpenAIProvider? provider = null)
    {
        Handler.Response = CannedResponse.Json(body, HttpStatusCode.OK);
        return await (provider ?? CreateProvider()).EmbedAsync(request).WaitAsync(HangTimeout);
    }
}
