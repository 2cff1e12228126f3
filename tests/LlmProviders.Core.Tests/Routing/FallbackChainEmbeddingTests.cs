using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.ChainTestKit;

namespace LlmProviders.Tests.Routing;

/// <summary>A fallback chain as an <see cref="IEmbeddingProvider"/>: the targets that offer embeddings, in order, with the chat failover rules.</summary>
public class FallbackChainEmbeddingTests
{
    [Test]
    public async Task First_embedding_target_answers_with_a_trace()
    {
        var primary = Simulated("primary");
        var backup = Simulated("backup");

        var result = await Chain(primary, backup).EmbedAsync(new EmbeddingRequest(["a", "b"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("primary"));
            Assert.That(result.Embeddings, Has.Count.EqualTo(2));
            Assert.That(result.Trace, Is.Not.Null);
            Assert.That(result.Trace!.RouteName, Is.EqualTo("chain"));
            Assert.That(result.Trace.Attempts, Has.Count.EqualTo(1));
            Assert.That(result.Trace.Attempts[0].Succeeded, Is.True);
            Assert.That(result.Trace.Candidates.Select(c => (c.ProviderName, c.SkipReason)),
                Is.EqualTo(new[] { ("primary", CandidateSkipReason.None), ("backup", CandidateSkipReason.NotReached) }));
        }
    }

    [TestCase(LlmErrorKind.RateLimited)]
    [TestCase(LlmErrorKind.ProviderUnavailable)]
    [TestCase(LlmErrorKind.Authentication)]
    [TestCase(LlmErrorKind.ModelNotFound)]
    [TestCase(LlmErrorKind.MalformedResponse)]
    public async Task Fails_over_to_the_next_embedding_target(LlmErrorKind kind)
    {
        var primary = Failing("primary", kind);
        var backup = Simulated("backup");

        var result = await Chain(primary, backup).EmbedAsync(new EmbeddingRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(result.Trace!.Attempts, Has.Count.EqualTo(2));
            Assert.That(result.Trace.Attempts[0].Error!.Kind, Is.EqualTo(kind));
            Assert.That(result.Trace.Attempts[1].Succeeded, Is.True);
        }
    }

    [Test]
    public void An_invalid_request_error_is_thrown_as_is_without_failover()
    {
        var primary = Failing("primary", LlmErrorKind.InvalidRequest);
        var backup = Simulated("backup");

        var ex = Assert.ThrowsAsync<InvalidChatRequestException>(() => Chain(primary, backup).EmbedAsync(new EmbeddingRequest("hi")));
        Assert.That(ex!.ProviderName, Is.EqualTo("primary"));
    }

    [Test]
    public void Every_target_failing_is_AllProvidersFailed_with_every_attempt()
    {
        var first = Failing("first", LlmErrorKind.RateLimited);
        var second = Failing("second", LlmErrorKind.ProviderUnavailable);

        var ex = Assert.ThrowsAsync<AllProvidersFailedException>(() => Chain(first, second).EmbedAsync(new EmbeddingRequest("hi")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.Errors.Select(e => e.ProviderName), Is.EqualTo(new[] { "first", "second" }));
            Assert.That(ex.Trace!.Attempts, Has.Count.EqualTo(2));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.ProviderName, Is.EqualTo("chain"));
        }
    }

    [Test]
    public async Task Targets_without_embeddings_are_skipped_as_missing_capability()
    {
        var chatOnly = new ScriptedProvider("chat-only", LlmCapabilities.Chat | LlmCapabilities.Streaming);
        var declaredOff = new SimulatedProvider(new SimulatedProviderOptions { Seed = 1, Capabilities = LlmCapabilities.Chat }, "declared-off");
        var embedder = Simulated("embedder");

        var result = await Chain(chatOnly, declaredOff, embedder).EmbedAsync(new EmbeddingRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("embedder"));
        Assert.That(result.Trace!.Candidates.Select(c => (c.ProviderName, c.SkipReason)), Is.EqualTo(new[]
        {
            ("chat-only", CandidateSkipReason.MissingCapability),
            ("declared-off", CandidateSkipReason.MissingCapability),
            ("embedder", CandidateSkipReason.None),
        }));
        Assert.That(chatOnly.Calls, Is.Zero);
    }

    [Test]
    public void No_target_offering_embeddings_is_NoProviderAvailable()
    {
        var chatOnly = new ScriptedProvider("chat-only");

        var ex = Assert.ThrowsAsync<NoProviderAvailableException>(() => Chain(chatOnly).EmbedAsync(new EmbeddingRequest("hi")));

        Assert.That(ex!.Message, Does.Contain("Embeddings"));
        Assert.That(ex.Trace!.Candidates.Single().SkipReason, Is.EqualTo(CandidateSkipReason.MissingCapability));
    }

    [Test]
    public async Task A_target_s_chat_model_is_not_applied_to_embeddings()
    {
        var options = new FallbackChainOptions();
        options.AddTarget("sim", "gpt-chat-model");
        var chain = Over(options, Simulated("sim"));

        var withoutModel = await chain.EmbedAsync(new EmbeddingRequest("hi"));
        var withModel = await chain.EmbedAsync(new EmbeddingRequest("hi") { Model = "my-embed" });

        Assert.That(withoutModel.Model, Is.EqualTo("sim-embed-1"), "the provider's default embedding model");
        Assert.That(withModel.Model, Is.EqualTo("my-embed"));
    }

    [Test]
    public void Fallback_disabled_stops_after_the_first_failure()
    {
        var primary = Failing("primary", LlmErrorKind.RateLimited);
        var backup = Simulated("backup");

        var ex = Assert.ThrowsAsync<RateLimitedException>(() => Chain(o => o.EnableFallback = false, primary, backup).EmbedAsync(new EmbeddingRequest("hi")));
        Assert.That(ex!.ProviderName, Is.EqualTo("primary"));
    }

    [Test]
    public async Task Caller_cancellation_is_never_a_failover()
    {
        var time = new ManualTimeProvider();
        var slow = new SimulatedProvider(new SimulatedProviderOptions { Seed = 1, Latency = TimeSpan.FromSeconds(5) }, "slow", time);
        var backup = Simulated("backup");
        using var cts = new CancellationTokenSource();

        var call = Chain(slow, backup).EmbedAsync(new EmbeddingRequest("hi"), cts.Token);
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Nested_chains_embed_through_the_inner_chain()
    {
        var inner = Chain(Failing("a", LlmErrorKind.Overloaded), Simulated("b"));
        var outer = Named("outer", new FallbackChainOptions { Targets = { new ChainTarget("chain") } }, inner);

        var result = await outer.EmbedAsync(new EmbeddingRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("b"));
        Assert.That(result.Trace!.RouteName, Is.EqualTo("outer"), "the outer chain's trace is the one returned");
    }

    [Test]
    public void An_empty_request_is_refused_before_any_target()
    {
        var sim = Simulated("sim");
        Assert.ThrowsAsync<ArgumentException>(() => Chain(sim).EmbedAsync(new EmbeddingRequest(Array.Empty<string>())));
        Assert.ThrowsAsync<ArgumentNullException>(() => Chain(sim).EmbedAsync(null!));
    }

    [Test]
    public void The_router_interface_is_an_embedding_provider()
    {
        Assert.That(typeof(IEmbeddingProvider).IsAssignableFrom(typeof(ILlmRouter)), Is.True);
        Assert.That(NameOf(Chain(Simulated("sim"))), Is.EqualTo("chain"), "ILlmRouter.Name is not ambiguous");
        Assert.That(Chain(Simulated("sim")).Capabilities.HasFlag(LlmCapabilities.Embeddings), Is.True);

        static string NameOf(ILlmRouter router) => router.Name;
    }

    private static SimulatedProvider Simulated(string name) =>
        new(new SimulatedProviderOptions { Seed = 7 }, name);

    private static SimulatedProvider Failing(string name, LlmErrorKind kind)
    {
        var options = new SimulatedProviderOptions { Seed = 7, FailureRate = 1 };
        options.FailureKinds.Add(kind);
        return new SimulatedProvider(options, name);
    }
}
