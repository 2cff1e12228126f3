using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Simulation;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Simulation;

/// <summary>The simulated provider's embeddings: deterministic unit vectors, dimensions, usage, cost, latency and failures.</summary>
public class SimulatedProviderEmbeddingTests
{
    [Test]
    public async Task The_same_text_and_seed_give_the_same_vector()
    {
        var a = await Provider(seed: 3).EmbedAsync(new EmbeddingRequest(["hello", "world", "hello"]));
        var b = await Provider(seed: 3).EmbedAsync(new EmbeddingRequest("hello"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.Embeddings[0].Vector.ToArray(), Is.EqualTo(b.Embeddings[0].Vector.ToArray()));
            Assert.That(a.Embeddings[2].Vector.ToArray(), Is.EqualTo(a.Embeddings[0].Vector.ToArray()));
            Assert.That(a.Embeddings[1].Vector.ToArray(), Is.Not.EqualTo(a.Embeddings[0].Vector.ToArray()));
        }
    }

    [Test]
    public async Task Another_seed_gives_another_vector()
    {
        var a = await Provider(seed: 1).EmbedAsync(new EmbeddingRequest("hello"));
        var b = await Provider(seed: 2).EmbedAsync(new EmbeddingRequest("hello"));
        Assert.That(a.Embeddings[0].Vector.ToArray(), Is.Not.EqualTo(b.Embeddings[0].Vector.ToArray()));
    }

    [Test]
    public async Task Vectors_have_the_configured_dimensions_and_unit_length()
    {
        var result = await Provider(configure: o => o.EmbeddingDimensions = 16).EmbedAsync(new EmbeddingRequest("hello"));
        var vector = result.Embeddings[0].Vector.ToArray();

        Assert.That(vector, Has.Length.EqualTo(16));
        Assert.That(Math.Sqrt(vector.Sum(v => (double)v * v)), Is.EqualTo(1).Within(1e-5));
        Assert.That(vector.Distinct().Count(), Is.GreaterThan(1));
    }

    [Test]
    public async Task A_request_s_dimensions_win()
    {
        var result = await Provider().EmbedAsync(new EmbeddingRequest("hello") { Dimensions = 3 });
        Assert.That(result.Embeddings[0].Dimensions, Is.EqualTo(3));
    }

    [Test]
    public async Task Default_dimensions_are_8_and_the_default_model_is_sim_embed_1()
    {
        var result = await Provider().EmbedAsync(new EmbeddingRequest("hello"));
        Assert.That(result.Embeddings[0].Dimensions, Is.EqualTo(8));
        Assert.That(result.Model, Is.EqualTo("sim-embed-1"));
        Assert.That(result.Embeddings[0].ModelId, Is.EqualTo("sim-embed-1"));
        Assert.That(result.ProviderName, Is.EqualTo("sim"));
    }

    [Test]
    public async Task Usage_counts_the_input_tokens_and_cost_uses_the_input_price()
    {
        var result = await Provider(configure: o => o.InputPricePerMillionTokens = 2m).EmbedAsync(new EmbeddingRequest(["Hello, world!", "Hi"]));
        Assert.That(result.Usage?.InputTokenCount, Is.EqualTo(5), "4 + 1 tokens");
        Assert.That(result.Usage?.TotalTokenCount, Is.EqualTo(5));
        Assert.That(result.Cost, Is.EqualTo(5 * 2m / 1_000_000m));
    }

    [Test]
    public async Task Latency_goes_through_the_time_provider()
    {
        var time = new ManualTimeProvider();
        var provider = new SimulatedProvider(new SimulatedProviderOptions { Seed = 1, Latency = TimeSpan.FromMilliseconds(200) }, "sim", time);

        var call = provider.EmbedAsync(new EmbeddingRequest("hello"));
        Assert.That(call.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromMilliseconds(200));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
    }

    [Test]
    public void Failures_are_drawn_as_for_chat()
    {
        var provider = Provider(configure: o =>
        {
            o.FailureRate = 1;
            o.FailureKinds.Add(LlmErrorKind.RateLimited);
            o.RetryAfter = TimeSpan.FromSeconds(3);
        });

        var ex = Assert.ThrowsAsync<RateLimitedException>(() => provider.EmbedAsync(new EmbeddingRequest("hello") { Model = "m" }));
        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(ex.Model, Is.EqualTo("m"));
        Assert.That(ex.ProviderName, Is.EqualTo("sim"));
    }

    [Test]
    public void Invalid_requests_are_refused()
    {
        var provider = Provider();
        Assert.ThrowsAsync<ArgumentException>(() => provider.EmbedAsync(new EmbeddingRequest(Array.Empty<string>())));
        Assert.ThrowsAsync<ArgumentException>(() => provider.EmbedAsync(new EmbeddingRequest("a") { Dimensions = -1 }));
        Assert.ThrowsAsync<InvalidChatRequestException>(() => provider.EmbedAsync(new EmbeddingRequest("a") { Dimensions = SimulatedProviderOptions.MaxEmbeddingDimensions + 1 }));
    }

    [Test]
    public void EmbeddingDimensions_out_of_range_is_refused_naming_the_option()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new SimulatedProvider(new SimulatedProviderOptions { EmbeddingDimensions = 0 }, "sim"));
        Assert.That(ex!.Message, Does.Contain("EmbeddingDimensions"));
    }

    [Test]
    public async Task The_single_text_shortcut_returns_the_vector()
    {
        var vector = await Provider().EmbedAsync("hello", dimensions: 4);
        Assert.That(vector.Length, Is.EqualTo(4));
    }

    [Test]
    public void Embeddings_are_declared_by_default()
    {
        Assert.That(new SimulatedProviderOptions().Capabilities.HasFlag(LlmCapabilities.Embeddings), Is.True);
    }

    private static SimulatedProvider Provider(int seed = 42, Action<SimulatedProviderOptions>? configure = null)
    {
        var options = new SimulatedProviderOptions { Seed = seed };
        configure?.Invoke(options);
        return new SimulatedProvider(options, "sim");
    }
}
