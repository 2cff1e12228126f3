using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Ollama;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;

namespace LlmProviders.Ollama.Tests.Embeddings;

/// <summary>Ollama-specific embedding behaviour: the default model, the not-pulled error, usage, keep_alive and cost.</summary>
public sealed class OllamaEmbeddingTests
{
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
    public async Task A_request_without_model_uses_nomic_embed_text()
    {
        var result = await EmbedAsync(OllamaEmbeddingWire.Answer([[1f, 2f]], model: "nomic-embed-text:latest"), new EmbeddingRequest("hi"));
        Assert.That(_handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("nomic-embed-text"));
        Assert.That(result.Model, Is.EqualTo("nomic-embed-text:latest"), "the model the server reports");
        Assert.That(result.Embeddings[0].Vector.ToArray(), Is.EqualTo(new[] { 1f, 2f }));
    }

    [Test]
    public async Task DefaultEmbeddingModel_option_replaces_the_default()
    {
        await EmbedAsync(OllamaEmbeddingWire.Answer([[1f]]), new EmbeddingRequest("hi"), o => o.DefaultEmbeddingModel = "mxbai-embed-large");
        Assert.That(_handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("mxbai-embed-large"));
    }

    [Test]
    public async Task Usage_comes_from_prompt_eval_count_and_cost_is_zero()
    {
        var result = await EmbedAsync(OllamaEmbeddingWire.Answer([[1f]], promptEvalCount: 6), new EmbeddingRequest("hi"));
        Assert.That(result.Usage?.InputTokenCount, Is.EqualTo(6));
        Assert.That(result.Usage?.TotalTokenCount, Is.EqualTo(6));
        Assert.That(result.Cost, Is.EqualTo(0m));
    }

    [Test]
    public async Task Without_prompt_eval_count_there_is_no_usage()
    {
        var result = await EmbedAsync(OllamaEmbeddingWire.Answer([[1f]], promptEvalCount: null), new EmbeddingRequest("hi"));
        Assert.That(result.Usage, Is.Null);
    }

    [Test]
    public async Task ReportZeroCost_false_leaves_the_cost_unknown()
    {
        var result = await EmbedAsync(OllamaEmbeddingWire.Answer([[1f]]), new EmbeddingRequest("hi"), o => o.ReportZeroCost = false);
        Assert.That(result.Cost, Is.Null);
    }

    [Test]
    public async Task KeepAlive_is_sent_like_chat()
    {
        await EmbedAsync(OllamaEmbeddingWire.Answer([[1f]]), new EmbeddingRequest("hi"), o => o.KeepAlive = TimeSpan.FromMinutes(5));
        Assert.That(_handler.LastRequest.Json().GetProperty("keep_alive").GetInt64(), Is.EqualTo(300));
    }

    [Test]
    public void A_model_that_is_not_pulled_says_ollama_pull()
    {
        _handler.Response = CannedResponse.Json(OllamaWire.Error("model \"nomic-embed-text\" not found, try pulling it first"), HttpStatusCode.NotFound);
        var ex = Assert.ThrowsAsync<ModelNotFoundException>(() => Create().EmbedAsync(new EmbeddingRequest("hi")).WaitAsync(HangTimeout));
        Assert.That(ex!.Message, Does.Contain("ollama pull nomic-embed-text"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public void An_error_in_a_200_is_the_typed_error()
    {
        _handler.Response = CannedResponse.Json(OllamaWire.Error("model \"all-minilm\" not found, try pulling it first"));
        var ex = Assert.ThrowsAsync<ModelNotFoundException>(() => Create().EmbedAsync(new EmbeddingRequest("hi") { Model = "all-minilm" }).WaitAsync(HangTimeout));
        Assert.That(ex!.Message, Does.Contain("ollama pull all-minilm"));
    }

    [Test]
    public void Ollama_declares_embeddings()
    {
        Assert.That(Create().Capabilities.HasFlag(LlmCapabilities.Embeddings), Is.True);
    }

    private OllamaProvider Create(Action<OllamaProviderOptions>? configure = null)
    {
        var options = new OllamaProviderOptions();
        configure?.Invoke(options);
        return new OllamaProvider(options, new HttpClient(_handler), "ollama", _time, null, new OllamaEnvironment(_ => null));
    }

    private async Task<EmbeddingResult> EmbedAsync(string body, EmbeddingRequest request, Action<OllamaProviderOptions>? configure = null)
    {
        _handler.Response = CannedResponse.Json(body);
        return await Create(configure).EmbedAsync(request).WaitAsync(HangTimeout);
    }
}
