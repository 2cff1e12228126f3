using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.ChainTestKit;

namespace LlmProviders.Tests.Routing;

/// <summary>RT7 hedging and the chain's overall deadline, on a manual clock.</summary>
public class FallbackChainHedgingTests
{
    [Test]
    public async Task Hedging_starts_the_next_target_after_the_delay_and_the_first_answer_wins()
    {
        var time = new ManualTimeProvider();
        var slow = new ScriptedProvider("slow") { WaitForCancellation = true };
        var fast = new ScriptedProvider("fast");
        var chain = With("chain", Options(slow, fast, o => o.Hedging = new ChainHedgingOptions { Delay = TimeSpan.FromSeconds(2) }), time, null, slow, fast);

        var call = chain.ChatAsync(new ChatRequest("hi"));
        await slow.Waiting.Task;
        await WaitForTimer(time);
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await call;
        var attempts = result.Trace!.Attempts;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("fast"));
            Assert.That(attempts.Select(a => (a.ProviderName, a.Succeeded, a.Hedged, a.Abandoned)),
                Is.EqualTo(new[] { ("slow", false, false, true), ("fast", true, true, false) }));
            Assert.That(slow.Calls, Is.EqualTo(1));
            Assert.That(attempts[0].ToString(), Does.Contain("abandoned"));
        }
    }

    [Test]
    public async Task Hedging_does_not_start_the_next_target_when_the_first_answers_in_time()
    {
        var time = new ManualTimeProvider();
        var primary = new ScriptedProvider("primary");
        var backup = new ScriptedProvider("backup");
        var chain = With("chain", Options(primary, backup, o => o.Hedging = new ChainHedgingOptions()), time, null, primary, backup);

        var result = await chain.ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("primary"));
        Assert.That(backup.Calls, Is.Zero);
        Assert.That(time.PendingTimers, Is.Zero, "the hedging timer is cancelled");
    }

    [Test]
    public async Task Hedging_after_the_first_target_fails_fast_is_plain_failover()
    {
        var time = new ManualTimeProvider();
        var primary = new ScriptedProvider("primary").ThenFail(Unavailable("primary"));
        var backup = new ScriptedProvider("backup");
        var chain = With("chain", Options(primary, backup, o => o.Hedging = new ChainHedgingOptions()), time, null, primary, backup);

        var result = await chain.ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("backup"));
        Assert.That(result.Trace!.Attempts.Select(a => (a.ProviderName, a.Succeeded, a.Hedged)), Is.EqualTo(new[] { ("primary", false, false), ("backup", true, false) }));
    }

    [Test]
    public async Task Hedged_caller_cancellation_cancels_both_attempts_and_is_rethrown()
    {
        var time = new ManualTimeProvider();
        var slow = new ScriptedProvider("slow") { WaitForCancellation = true };
        var slower = new ScriptedProvider("slower") { WaitForCancellation = true };
        var chain = With("chain", Options(slow, slower, o => o.Hedging = new ChainHedgingOptions { Delay = TimeSpan.FromSeconds(1) }), time, null, slow, slower);
        using var cts = new System.Threading.CancellationTokenSource();

        var call = chain.ChatAsync(new ChatRequest("hi"), cts.Token);
        await slow.Waiting.Task;
        await WaitForTimer(time);
        time.Advance(TimeSpan.FromSeconds(1));
        await slower.Waiting.Task;
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task The_overall_deadline_ends_the_call_with_a_timeout_not_a_cancellation()
    {
        var time = new ManualTimeProvider();
        var slow = new ScriptedProvider("slow") { WaitForCancellation = true };
        var backup = new ScriptedProvider("backup");
        var chain = With("chain", Options(slow, backup, o => o.Timeout = TimeSpan.FromSeconds(5)), time, null, slow, backup);

        var call = chain.ChatAsync(new ChatRequest("hi"));
        await slow.Waiting.Task;
        time.Advance(TimeSpan.FromSeconds(5));
        var thrown = Assert.ThrowsAsync<ProviderTimeoutException>(async () => await call);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown!.Message, Does.Contain("5-second deadline"));
            Assert.That(thrown.IsTransient, Is.True);
            Assert.That(thrown.ProviderName, Is.EqualTo("chain"));
            Assert.That(backup.Calls, Is.Zero);
        }
    }

    [Test]
    public async Task Observed_p95_replaces_the_fixed_delay_once_there_are_enough_samples()
    {
        var window = new LatencyWindow();
        for (int i = 1; i <= 100; i++)
        {
            window.Record(TimeSpan.FromMilliseconds(i * 10));
        }

        Assert.That(window.GetPercentile(95), Is.EqualTo(TimeSpan.FromMilliseconds(950)));
        Assert.That(new LatencyWindow().GetPercentile(95), Is.Null);
        await Task.CompletedTask;
    }

    private static FallbackChainOptions Options(ScriptedProvider first, ScriptedProvider second, Action<FallbackChainOptions> configure)
    {
        var options = new FallbackChainOptions().AddTarget(first.Name).AddTarget(second.Name);
        configure(options);
        return options;
    }

    private static async Task WaitForTimer(ManualTimeProvider time)
    {
        for (int i = 0; i < 10_000 && time.PendingTimers == 0; i++)
        {
            await Task.Yield();
        }
    }
}
