using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using static LlmProviders.Tests.Routing.ChainTestKit;

namespace LlmProviders.Tests.Routing;

public class FallbackChainStreamingTests
{
    [Test]
    public async Task Streams_the_updates_and_the_final_update_carries_the_trace()
    {
        var primary = new ScriptedProvider("primary");

        var updates = await Collect(Chain(primary).StreamAsync(new ChatRequest("hi")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("Hello, world"));
            Assert.That(updates.Count(u => u.IsFinal), Is.EqualTo(1));
            Assert.That(updates[^1].IsFinal, Is.True);
            Assert.That(updates[^1].Trace!.Attempts.Single().Succeeded, Is.True);
            Assert.That(updates[^1].ProviderName, Is.EqualTo("primary"));
            Assert.That(updates[^1].Latency, Is.Not.Null);
            Assert.That(updates[^1].TimeToFirstToken, Is.Not.Null);
        }
    }

    [Test]
    public async Task Stream_fails_over_transparently_before_the_first_update()
    {
        var primary = new ScriptedProvider("primary").ThenFail(RateLimited("primary"));
        var backup = new ScriptedProvider("backup") { StreamTokens = ["from ", "backup"] };

        var updates = await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi")));

        Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("from backup"));
        Assert.That(updates[^1].Trace!.Attempts.Select(a => (a.ProviderName, a.Succeeded)), Is.EqualTo(new[] { ("primary", false), ("backup", true) }));
    }

    [Test]
    public async Task Stream_that_breaks_before_its_first_update_fails_over()
    {
        var primary = new ScriptedProvider("primary") { BreakStreamAfter = 0 };
        var backup = new ScriptedProvider("backup");

        var updates = await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi")));

        Assert.That(updates[^1].ProviderName, Is.EqualTo("backup"));
    }

    [Test]
    public void Failure_after_the_first_update_throws_StreamInterrupted_with_the_partial_text_and_no_second_call()
    {
        var cause = Unavailable("primary");
        var primary = new ScriptedProvider("primary") { BreakStreamAfter = 2, StreamFailure = cause };
        var backup = new ScriptedProvider("backup");
        var received = new List<string>();

        var thrown = Assert.ThrowsAsync<StreamInterruptedException>(async () =>
        {
            await foreach (var update in Chain(primary, backup).StreamAsync(new ChatRequest("hi")))
            {
                received.Add(update.Text!);
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(new[] { "Hello", ", " }));
            Assert.That(thrown!.PartialText, Is.EqualTo("Hello, "));
            Assert.That(thrown.UpdatesDelivered, Is.EqualTo(2));
            Assert.That(thrown.ProviderName, Is.EqualTo("primary"));
            Assert.That(thrown.InnerException, Is.SameAs(cause));
            Assert.That(backup.Calls, Is.Zero);
        }
    }

    [Test]
    public void Stream_that_ends_without_its_final_update_is_interrupted_not_truncated()
    {
        var primary = new ScriptedProvider("primary") { OmitFinalUpdate = true };
        var backup = new ScriptedProvider("backup");

        var thrown = Assert.ThrowsAsync<StreamInterruptedException>(() => Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi"))));

        Assert.That(thrown!.PartialText, Is.EqualTo("Hello, world"));
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public async Task Empty_stream_without_final_update_fails_over()
    {
        var primary = new ScriptedProvider("primary") { StreamTokens = [], OmitFinalUpdate = true };
        var backup = new ScriptedProvider("backup");

        var updates = await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi")));

        Assert.That(updates[^1].ProviderName, Is.EqualTo("backup"));
        Assert.That(updates[^1].Trace!.Attempts[0].Error, Is.InstanceOf<StreamInterruptedException>());
    }

    [Test]
    public void Stream_where_every_target_fails_throws_AllProvidersFailed()
    {
        var primary = new ScriptedProvider("primary").ThenFail(RateLimited("primary"));
        var backup = new ScriptedProvider("backup").ThenFail(Unavailable("backup"));

        var thrown = Assert.ThrowsAsync<AllProvidersFailedException>(() => Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi"))));

        Assert.That(thrown!.Errors.Select(e => e.Kind), Is.EqualTo(new[] { LlmErrorKind.RateLimited, LlmErrorKind.ProviderUnavailable }));
    }

    [Test]
    public void Stream_invalid_request_is_thrown_as_is()
    {
        var primary = new ScriptedProvider("primary").ThenFail(new InvalidChatRequestException("bad") { ProviderName = "primary" });
        var backup = new ScriptedProvider("backup");

        Assert.ThrowsAsync<InvalidChatRequestException>(() => Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi"))));
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public async Task Stream_caller_cancellation_is_rethrown_without_failover()
    {
        var primary = new ScriptedProvider("primary") { WaitForCancellation = true };
        var backup = new ScriptedProvider("backup");
        using var cts = new CancellationTokenSource();

        var consuming = Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi"), cts.Token));
        await primary.Waiting.Task;
        await cts.CancelAsync();

        Assert.That(async () => await consuming, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public async Task Stream_skips_targets_that_cannot_stream()
    {
        var chatOnly = new ScriptedProvider("chat-only", LlmCapabilities.Chat);
        var streaming = new ScriptedProvider("streaming");

        var updates = await Collect(Chain(chatOnly, streaming).StreamAsync(new ChatRequest("hi")));

        Assert.That(updates[^1].ProviderName, Is.EqualTo("streaming"));
        Assert.That(updates[^1].Trace!.Candidates[0].SkipReason, Is.EqualTo(CandidateSkipReason.MissingCapability));
    }

    [Test]
    public async Task Stream_uses_the_per_target_model()
    {
        var primary = new ScriptedProvider("primary");
        var request = new ChatRequest("hi");

        await Collect(Over(new LlmProviders.Routing.FallbackChainOptions().AddTarget("primary", "m2"), primary).StreamAsync(request));

        Assert.That(primary.Requests.Single().Model, Is.EqualTo("m2"));
        Assert.That(request.Model, Is.Null);
    }
}
