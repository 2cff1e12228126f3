using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Google;
using LlmProviders.Testing;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;

namespace LlmProviders.Google.Tests.Embeddings;

/// <summary>Gemini-specific embedding behaviour: endpoints, the default model, outputDimensionality, usageMetadata, escape-hatch fields.</summary>
public sealed class GeminiEmbeddingTests
{
    private const string Key = "AIzaSyTest-Embeddings-0123456789";
    private static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(10);

    private ManualTimeProvider _time = null!;
    private ScriptedHttpHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider();
        _handler = new ScriptedHttpHandler(_time);
    }

    [TearDown]
    public void TearDown()
    {
        _handler.Release();
        _handler.Dispose();
    }

    [Test]
    public async Task A_request_without_model_uses_gemini_embedding_001_on_embedContent()
    {
        var result = await EmbedAsync(GeminiEmbeddingWire.Single([1f, 2f]), new EmbeddingRequest("hi"));
        Assert.That(_handler.LastRequest.Uri.AbsoluteUri, Is.EqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent"));
        Assert.That(result.Model, Is.EqualTo(GeminiProviderOptions.FallbackEmbeddingModel));
        Assert.That(result.Embeddings[0].Vector.ToArray(), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(_handler.LastRequest.Json().TryGetProperty("model", out _), Is.False, "embedContent takes the model from the URL");
    }

    [Test]
    public async Task DefaultEmbeddingModel_option_replaces_the_default()
    {
        await EmbedAsync(GeminiEmbeddingWire.Single([1f]), new EmbeddingRequest("hi"), o => o.DefaultEmbeddingModel = "text-embedding-004");
        Assert.That(_handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/v1beta/models/text-embedding-004:embedContent"));
    }

    [Test]
    public async Task Several_inputs_are_one_batchEmbedContents_call_with_one_entry_each()
    {
        var result = await EmbedAsync(GeminiEmbeddingWire.Batch([1f], [2f]), new EmbeddingRequest(["a", "b"]) { Dimensions = 768 });
        Assert.That(_handler.Requests, Has.Count.EqualTo(1));
        Assert.That(_handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents"));
        var entries = _handler.LastRequest.Json().GetProperty("requests").EnumerateArray().ToList();
        Assert.That(entries.Select(e => e.GetProperty("model").GetString()), Is.All.EqualTo("models/gemini-embedding-001"));
        Assert.That(entries.Select(e => e.GetProperty("outputDimensionality").GetInt32()), Is.All.EqualTo(768));
        Assert.That(result.Embeddings.Select(e => e.Vector.Span[0]), Is.EqualTo(new[] { 1f, 2f }));
    }

    [Test]
    public async Task A_model_with_a_collection_keeps_it()
    {
        await EmbedAsync(GeminiEmbeddingWire.Single([1f]), new EmbeddingRequest("hi") { Model = "models/gemini-embedding-001" });
        Assert.That(_handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/v1beta/models/gemini-embedding-001:embedContent"));
    }

    [Test]
    public async Task Usage_comes_from_usageMetadata_when_present()
    {
        var result = await EmbedAsync(GeminiEmbeddingWire.Single([1f], """{"promptTokenCount":9,"totalTokenCount":9}"""), new EmbeddingRequest("hi"));
        Assert.That(result.Usage?.InputTokenCount, Is.EqualTo(9));
        Assert.That(result.Usage?.TotalTokenCount, Is.EqualTo(9));
        Assert.That(result.Cost, Is.Null);
    }

    [Test]
    public async Task Additional_fields_such_as_taskType_go_into_every_entry()
    {
        using var doc = JsonDocument.Parse("""{"taskType":"RETRIEVAL_DOCUMENT"}""");
        var request = new EmbeddingRequest(["a", "b"])
        {
            AdditionalRequestFields = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
        };
        await EmbedAsync(GeminiEmbeddingWire.Batch([1f], [2f]), request);
        var entries = _handler.LastRequest.Json().GetProperty("requests").EnumerateArray().ToList();
        Assert.That(entries.Select(e => e.GetProperty("taskType").GetString()), Is.All.EqualTo("RETRIEVAL_DOCUMENT"));
    }

    [Test]
    public void A_single_answer_to_a_batch_request_is_malformed()
    {
        _handler.Response = CannedResponse.Json(GeminiEmbeddingWire.Single([1f]));
        var ex = Assert.ThrowsAsync<MalformedResponseException>(() => Create().EmbedAsync(new EmbeddingRequest(["a", "b"])).WaitAsync(HangTimeout));
        Assert.That(ex!.Message, Does.Contain("2 inputs"));
    }

    [Test]
    public void Model_not_found_is_typed_and_names_the_model()
    {
        _handler.Response = CannedResponse.Json(GeminiWire.Error(404, "NOT_FOUND", "models/nope is not found for API version v1beta, or is not supported for embedContent."), System.Net.HttpStatusCode.NotFound);
        var ex = Assert.ThrowsAsync<ModelNotFoundException>(() => Create().EmbedAsync(new EmbeddingRequest("a") { Model = "nope" }).WaitAsync(HangTimeout));
        Assert.That(ex!.Model, Is.EqualTo("nope"));
    }

    [Test]
    public async Task More_than_100_inputs_go_in_consecutive_batches_of_100_in_order()
    {
        var inputs = Enumerable.Range(0, 250).Select(i => "text " + i).ToList();
        int offset = 0;
        foreach (int size in new[] { 100, 100, 50 })
        {
            _handler.Enqueue(CannedResponse.Json(GeminiEmbeddingWire.Batch([.. Enumerable.Range(offset, size).Select(i => new[] { (float)i })])));
            offset += size;
        }

        var result = await Create().EmbedAsync(new EmbeddingRequest(inputs)).WaitAsync(HangTimeout);

        Assert.That(_handler.Requests, Has.Count.EqualTo(3));
        Assert.That(_handler.Requests.Select(r => r.Json().GetProperty("requests").GetArrayLength()), Is.EqualTo(new[] { 100, 100, 50 }));
        Assert.That(_handler.Requests[2].Json().GetProperty("requests")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString(), Is.EqualTo("text 200"));
        Assert.That(result.Embeddings.Select(e => e.Vector.Span[0]), Is.EqualTo(Enumerable.Range(0, 250).Select(i => (float)i)));
    }

    [Test]
    public async Task Usage_of_consecutive_batches_is_summed()
    {
        var usage = ""","usageMetadata":{"promptTokenCount":4,"totalTokenCount":4}}""";
        var first = GeminiEmbeddingWire.Batch([.. Enumerable.Range(0, 100).Select(_ => new[] { 1f })]);
        _handler.Enqueue(CannedResponse.Json(first[..^1] + usage));
        _handler.Enqueue(CannedResponse.Json(GeminiEmbeddingWire.Batch([1f], [2f])[..^1] + usage));

        var result = await Create().EmbedAsync(new EmbeddingRequest(Enumerable.Range(0, 102).Select(i => "t" + i))).WaitAsync(HangTimeout);

        Assert.That(result.Usage?.InputTokenCount, Is.EqualTo(8));
        Assert.That(result.Embeddings[101].Vector.Span[0], Is.EqualTo(2f));
    }

    [Test]
    public void Gemini_declares_embeddings()
    {
        Assert.That(Create().Capabilities.HasFlag(LlmCapabilities.Embeddings), Is.True);
    }

    private GeminiProvider Create(Action<GeminiProviderOptions>? configure = null)
    {
        var options = new GeminiProviderOptions { ApiKey = Key };
        configure?.Invoke(options);
        return new GeminiProvider(options, new HttpClient(_handler), "gemini", _time, null, new GeminiEnvironment(_ => null), new CostCalculator(new TestModelCatalog()));
    }

    private async Task<EmbeddingResult> EmbedAsync(string body, EmbeddingRequest request, Action<GeminiProviderOptions>? configure = null)
    {
        _handler.Response = CannedResponse.Json(body);
        return await Create(configure).EmbedAsync(request).WaitAsync(HangTimeout);
    }
}
