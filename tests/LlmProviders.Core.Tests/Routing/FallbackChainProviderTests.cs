using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using static LlmProviders.Tests.Routing.ChainTestKit;

namespace LlmProviders.Tests.Routing;

public class FallbackChainProviderTests
{
    [Test]
    public async Task First_target_that_succeeds_answers_after_one_attempt()
    {
        var primary = new ScriptedProvider("primary");
        var backup = new ScriptedProvider("backup");

        var result = await Chain(primary, backup).ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("answer from primary"));
            Assert.That(result.ProviderName, Is.EqualTo("primary"));
            Assert.That(result.Trace, Is.Not.Null);
            Assert.That(result.Trace!.RouteName, Is.EqualTo("chain"));
            Assert.That(result.Trace.Attempts, Has.Count.EqualTo(1));
            Assert.That(result.Trace.Attempts[0].Succeeded, Is.True);
            Assert.That(result.Trace.Candidates.Select(c => (c.ProviderName, c.SkipReason)),
                Is.EqualTo(new[] { ("primary", CandidateSkipReason.None), ("backup", CandidateSkipReason.NotReached) }));
            Assert.That(backup.Calls, Is.Zero);
        }
    }

    [Test]
    public async Task Fails_over_to_backup_after_429()
    {
        var error = RateLimited("primary");
        var primary = new ScriptedProvider("primary").ThenFail(error);
        var backup = new ScriptedProvider("backup");

        var result = await Chain(primary, backup).ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(result.Text, Is.EqualTo("answer from backup"));
            Assert.That(result.Trace!.Attempts, Has.Count.EqualTo(2));
            Assert.That(result.Trace.Attempts[0].ProviderName, Is.EqualTo("primary"));
            Assert.That(result.Trace.Attempts[0].Error, Is.SameAs(error));
            Assert.That(result.Trace.Attempts[1].ProviderName, Is.EqualTo("backup"));
            Assert.That(result.Trace.Attempts[1].Succeeded, Is.True);
            Assert.That(result.Trace.Candidates.All(c => !c.WasSkipped), Is.True);
        }
    }

    [TestCase(LlmErrorKind.RateLimited)]
    [TestCase(LlmErrorKind.Overloaded)]
    [TestCase(LlmErrorKind.Timeout)]
    [TestCase(LlmErrorKind.ProviderUnavailable)]
    [TestCase(LlmErrorKind.StreamInterrupted)]
    [TestCase(LlmErrorKind.Authentication)]
    [TestCase(LlmErrorKind.PermissionDenied)]
    [TestCase(LlmErrorKind.ModelNotFound)]
    [TestCase(LlmErrorKind.QuotaExhausted)]
    [TestCase(LlmErrorKind.ContextLengthExceeded)]
    [TestCase(LlmErrorKind.MalformedResponse)]
    public async Task Fails_over_on_errors_specific_to_one_target(LlmErrorKind kind)
    {
        var primary = new ScriptedProvider("primary").ThenFail(SimulatedFailures.Create(kind, "primary", "m", "req-1", null, 1));
        var backup = new ScriptedProvider("backup");

        var result = await Chain(primary, backup).ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("backup"));
        Assert.That(result.Trace!.Attempts[0].Error!.Kind, Is.EqualTo(kind));
    }

    [Test]
    public void Invalid_request_is_thrown_as_is_without_failover()
    {
        var error = new InvalidChatRequestException("bad temperature") { ProviderName = "primary", StatusCode = HttpStatusCode.BadRequest };
        var primary = new ScriptedProvider("primary").ThenFail(error);
        var backup = new ScriptedProvider("backup");

        var thrown = Assert.ThrowsAsync<InvalidChatRequestException>(() => Chain(primary, backup).ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown, Is.SameAs(error));
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public async Task Caller_cancellation_is_rethrown_and_never_tries_the_next_target()
    {
        var primary = new ScriptedProvider("primary") { WaitForCancellation = true };
        var backup = new ScriptedProvider("backup");
        using var cts = new CancellationTokenSource();

        var call = Chain(primary, backup).ChatAsync(new ChatRequest("hi"), cts.Token);
        await primary.Waiting.Task;
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public void Provider_error_after_caller_cancelled_does_not_fail_over()
    {
        using var cts = new CancellationTokenSource();
        var primary = new CancellingProvider("primary", cts);
        var backup = new ScriptedProvider("backup");

        Assert.That(async () => await Chain(primary, backup).ChatAsync(new ChatRequest("hi"), cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public void Already_cancelled_token_throws_before_any_call()
    {
        var primary = new ScriptedProvider("primary");

        Assert.That(async () => await Chain(primary).ChatAsync(new ChatRequest("hi"), new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(primary.Calls, Is.Zero);
    }

    [Test]
    public async Task Cancellation_the_caller_did_not_ask_for_is_a_timeout_and_fails_over()
    {
        var primary = new ScriptedProvider("primary").ThenFail(new TaskCanceledException("HttpClient.Timeout"));
        var backup = new ScriptedProvider("backup");

        var result = await Chain(primary, backup).ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("backup"));
        Assert.That(result.Trace!.Attempts[0].Error, Is.InstanceOf<ProviderTimeoutException>());
        Assert.That(result.Trace.Attempts[0].Error!.IsTransient, Is.True);
    }

    [Test]
    public void Content_filter_is_thrown_by_default()
    {
        var error = new ContentFilteredException("blocked") { ProviderName = "primary" };
        var primary = new ScriptedProvider("primary").ThenFail(error);
        var backup = new ScriptedProvider("backup");

        var thrown = Assert.ThrowsAsync<ContentFilteredException>(() => Chain(primary, backup).ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown, Is.SameAs(error));
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public async Task Content_filter_fails_over_when_FailoverOnContentFilter_is_set()
    {
        var primary = new ScriptedProvider("primary").ThenFail(new ContentFilteredException("blocked") { ProviderName = "primary" });
        var backup = new ScriptedProvider("backup");

        var result = await Chain(o => o.FailoverOnContentFilter = true, primary, backup).ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("backup"));
    }

    [Test]
    public void All_targets_failing_throws_AllProvidersFailedException_with_every_error_in_order()
    {
        var first = RateLimited("primary", TimeSpan.FromSeconds(3));
        var second = Unavailable("backup");
        var primary = new ScriptedProvider("primary").ThenFail(first);
        var backup = new ScriptedProvider("backup").ThenFail(second);

        var thrown = Assert.ThrowsAsync<AllProvidersFailedException>(() => Chain(primary, backup).ChatAsync(new ChatRequest("hi")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown!.Errors, Is.EqualTo(new LlmProviderException[] { first, second }));
            Assert.That(thrown.InnerException, Is.SameAs(second));
            Assert.That(thrown.Trace!.Attempts.Select(a => a.Error), Is.EqualTo(new LlmProviderException[] { first, second }));
            Assert.That(thrown.IsTransient, Is.True);
            Assert.That(thrown.RetryAfter, Is.Null, "backup gave no Retry-After");
            Assert.That(thrown.ProviderName, Is.EqualTo("chain"));
            Assert.That(thrown.Message, Does.Contain("primary/default: RateLimited (HTTP 429)"));
            Assert.That(thrown.Message, Does.Contain("backup/default: ProviderUnavailable (HTTP 503)"));
        }
    }

    [Test]
    public void All_failed_is_not_transient_when_one_error_is_not()
    {
        var primary = new ScriptedProvider("primary").ThenFail(RateLimited("primary", TimeSpan.FromSeconds(3)));
        var backup = new ScriptedProvider("backup").ThenFail(new QuotaExhaustedException("no credit") { ProviderName = "backup" });

        var thrown = Assert.ThrowsAsync<AllProvidersFailedException>(() => Chain(primary, backup).ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown!.IsTransient, Is.False);
    }

    [Test]
    public void All_failed_carries_the_shortest_retry_after_when_every_error_has_one()
    {
        var primary = new ScriptedProvider("primary").ThenFail(RateLimited("primary", TimeSpan.FromSeconds(3)));
        var backup = new ScriptedProvider("backup").ThenFail(RateLimited("backup", TimeSpan.FromSeconds(2)));

        var thrown = Assert.ThrowsAsync<AllProvidersFailedException>(() => Chain(primary, backup).ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Unregistered_target_is_skipped_with_NotRegistered_in_the_trace()
    {
        var backup = new ScriptedProvider("backup");
        var options = new FallbackChainOptions().AddTarget("ghost").AddTarget("backup");

        var result = await Over(options, backup).ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(result.Trace!.Candidates[0].ProviderName, Is.EqualTo("ghost"));
            Assert.That(result.Trace.Candidates[0].SkipReason, Is.EqualTo(CandidateSkipReason.NotRegistered));
            Assert.That(result.Trace.Attempts, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void No_target_that_can_be_tried_throws_NoProviderAvailableException_with_the_trace()
    {
        var options = new FallbackChainOptions().AddTarget("ghost").AddTarget("phantom");

        var thrown = Assert.ThrowsAsync<NoProviderAvailableException>(() => Over(options).ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown!.Trace!.Candidates.Select(c => c.SkipReason), Is.All.EqualTo(CandidateSkipReason.NotRegistered));
        Assert.That(thrown.Message, Does.Contain("ghost (NotRegistered").And.Contain("phantom (NotRegistered"));
    }

    [Test]
    public void Chain_without_targets_says_how_to_add_one()
    {
        var thrown = Assert.ThrowsAsync<NoProviderAvailableException>(() => Over(new FallbackChainOptions()).ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown!.Message, Does.Contain("has no targets").And.Contain("AddLlmProviders"));
    }

    [Test]
    public async Task Target_lacking_a_required_capability_is_skipped()
    {
        var textOnly = new ScriptedProvider("text-only", LlmCapabilities.Chat);
        var withTools = new ScriptedProvider("with-tools", LlmCapabilities.Chat | LlmCapabilities.Tools);

        var result = await Chain(textOnly, withTools).ChatAsync(new ChatRequest("hi") { RequiredCapabilities = LlmCapabilities.Tools });

        Assert.That(result.ProviderName, Is.EqualTo("with-tools"));
        Assert.That(result.Trace!.Candidates[0].SkipReason, Is.EqualTo(CandidateSkipReason.MissingCapability));
        Assert.That(textOnly.Calls, Is.Zero);
    }

    [Test]
    public async Task Per_target_model_is_sent_without_mutating_the_request()
    {
        var primary = new ScriptedProvider("primary").ThenFail(RateLimited("primary"));
        var backup = new ScriptedProvider("backup");
        var options = new FallbackChainOptions().AddTarget("primary", "big-model").AddTarget("backup", "small-model");
        var request = new ChatRequest("hi");

        var result = await Over(options, primary, backup).ChatAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Model, Is.Null);
            Assert.That(primary.Requests.Single().Model, Is.EqualTo("big-model"));
            Assert.That(backup.Requests.Single().Model, Is.EqualTo("small-model"));
            Assert.That(result.Model, Is.EqualTo("small-model"));
            Assert.That(result.Trace!.Attempts.Select(a => a.Model), Is.EqualTo(new[] { "big-model", "small-model" }));
        }
    }

    [Test]
    public async Task Target_without_overrides_receives_the_callers_request_instance()
    {
        var primary = new ScriptedProvider("primary");
        var request = new ChatRequest("hi") { Model = "m" };

        await Chain(primary).ChatAsync(request);

        Assert.That(primary.Requests.Single(), Is.SameAs(request));
    }

    [TestCase(null, 100)]
    [TestCase(500, 100)]
    [TestCase(50, 50)]
    public async Task Per_target_max_output_tokens_caps_the_request(int? asked, int expected)
    {
        var primary = new ScriptedProvider("primary");
        var options = new FallbackChainOptions();
        options.Targets.Add(new ChainTarget("primary") { MaxOutputTokens = 100 });
        var request = new ChatRequest("hi") { MaxOutputTokens = asked };

        await Over(options, primary).ChatAsync(request);

        Assert.That(primary.Requests.Single().MaxOutputTokens, Is.EqualTo(expected));
        Assert.That(request.MaxOutputTokens, Is.EqualTo(asked));
    }

    [Test]
    public void Request_that_disallows_fallback_gets_the_first_error_as_is()
    {
        var error = RateLimited("primary");
        var primary = new ScriptedProvider("primary").ThenFail(error);
        var backup = new ScriptedProvider("backup");

        var thrown = Assert.ThrowsAsync<RateLimitedException>(() => Chain(primary, backup).ChatAsync(new ChatRequest("hi") { AllowFallback = false }));

        Assert.That(thrown, Is.SameAs(error));
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public void Chain_with_fallback_disabled_tries_only_the_first_target()
    {
        var primary = new ScriptedProvider("primary").ThenFail(Unavailable("primary"));
        var backup = new ScriptedProvider("backup");

        Assert.ThrowsAsync<ProviderUnavailableException>(() => Chain(o => o.EnableFallback = false, primary, backup).ChatAsync(new ChatRequest("hi")));
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public async Task Request_can_allow_fallback_when_the_chain_disables_it()
    {
        var primary = new ScriptedProvider("primary").ThenFail(Unavailable("primary"));
        var backup = new ScriptedProvider("backup");

        var result = await Chain(o => o.EnableFallback = false, primary, backup).ChatAsync(new ChatRequest("hi") { AllowFallback = true });

        Assert.That(result.ProviderName, Is.EqualTo("backup"));
    }

    [Test]
    public async Task Nested_chain_answers_through_its_own_backup()
    {
        var a = new ScriptedProvider("a").ThenFail(RateLimited("a"));
        var b = new ScriptedProvider("b");
        var c = new ScriptedProvider("c");
        var inner = Named("inner", new FallbackChainOptions().AddTarget("a").AddTarget("b"), a, b);
        var outer = Named("outer", new FallbackChainOptions().AddTarget("inner").AddTarget("c"), inner, c);

        var result = await outer.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("b"));
            Assert.That(result.Trace!.RouteName, Is.EqualTo("outer"));
            Assert.That(result.Trace.Attempts.Single().ProviderName, Is.EqualTo("inner"));
            Assert.That(c.Calls, Is.Zero);
        }
    }

    [Test]
    public async Task Outer_chain_fails_over_when_a_nested_chain_fails_entirely()
    {
        var a = new ScriptedProvider("a").ThenFail(RateLimited("a"));
        var b = new ScriptedProvider("b").ThenFail(Unavailable("b"));
        var c = new ScriptedProvider("c");
        var inner = Named("inner", new FallbackChainOptions().AddTarget("a").AddTarget("b"), a, b);
        var outer = Named("outer", new FallbackChainOptions().AddTarget("inner").AddTarget("c"), inner, c);

        var result = await outer.ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("c"));
        var innerFailure = (AllProvidersFailedException)result.Trace!.Attempts[0].Error!;
        Assert.That(innerFailure.Errors.Select(e => e.ProviderName), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Chain_reports_union_of_capabilities_and_is_local_only_when_every_target_is()
    {
        var local = new ScriptedProvider("local", LlmCapabilities.Chat, isLocal: true);
        var cloud = new ScriptedProvider("cloud", LlmCapabilities.Chat | LlmCapabilities.Tools);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Chain(local, cloud).Capabilities, Is.EqualTo(LlmCapabilities.Chat | LlmCapabilities.Tools));
            Assert.That(Chain(local, cloud).IsLocal, Is.False);
            Assert.That(Chain(local).IsLocal, Is.True);
            Assert.That(Chain(local).Kind, Is.EqualTo(LlmProviderKinds.Router));
        }
    }

    [Test]
    public void GetTargets_returns_a_snapshot_of_the_configured_targets()
    {
        var options = new FallbackChainOptions().AddTarget("primary", "m1").AddTarget("backup");
        var chain = Over(options);
        options.AddTarget("late");

        var targets = chain.GetTargets();

        Assert.That(targets.Select(t => t.ToString()), Is.EqualTo(new[] { "primary/m1", "backup" }));
        Assert.That(() => chain.GetTargets("other-route"), Throws.InstanceOf<System.Collections.Generic.KeyNotFoundException>());
    }

    [Test]
    public async Task ListModels_merges_the_targets_models_without_duplicates()
    {
        var primary = new ScriptedProvider("primary");
        var options = new FallbackChainOptions().AddTarget("primary").AddTarget("primary", "pinned-model").AddTarget("ghost");

        var models = await Over(options, primary).ListModelsAsync();

        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "primary-model", "pinned-model" }));
    }

    [Test]
    public async Task Health_is_degraded_when_some_targets_are_not_healthy()
    {
        var primary = new ScriptedProvider("primary");
        var options = new FallbackChainOptions().AddTarget("primary").AddTarget("ghost");

        var health = await Over(options, primary).CheckHealthAsync();

        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Degraded));
        Assert.That(health.Message, Does.Contain("ghost not registered"));
    }

    /// <summary>Cancels the caller's token, then fails with a provider error, as a racing timeout might.</summary>
    private sealed class CancellingProvider(string name, CancellationTokenSource callerCts) : ILlmProvider
    {
        public string Name { get; } = name;

        public string Kind => "scripted";

        public LlmCapabilities Capabilities => LlmCapabilities.Chat | LlmCapabilities.Streaming;

        public bool IsLocal => false;

        public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
        {
            await callerCts.CancelAsync();
            throw Unavailable(Name);
        }

        public System.Collections.Generic.IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<System.Collections.Generic.IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
