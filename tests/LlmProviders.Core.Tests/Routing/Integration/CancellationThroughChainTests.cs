using System;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.Integration.IntegrationKit;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>R4 through the router: the caller's cancellation ends the call where it is, with no further attempt and no failover.</summary>
public class CancellationThroughChainTests
{
    [Test]
    public async Task Cancelling_during_an_attempt_ends_the_call_without_retry_or_failover()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time) { Hang = true };
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);
        using var cts = new CancellationTokenSource();

        var call = chain.ChatAsync(new ChatRequest("hi"), cts.Token);
        await primary.Waiting.Task;
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        await Settle();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(primary.Calls, Is.EqualTo(1), "no retry");
            Assert.That(backup.Calls, Is.Zero, "no failover");
            Assert.That(resilience.Find("primary")!.ConsecutiveFailures, Is.Zero, "the caller's cancellation is not the provider's failure");
        }
    }

    [Test]
    public async Task Cancelling_during_a_retry_delay_ends_the_call_without_the_retry_or_failover()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time).ThenFail(RateLimited("primary", TimeSpan.FromSeconds(2)));
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);
        using var cts = new CancellationTokenSource();

        var call = chain.ChatAsync(new ChatRequest("hi"), cts.Token);
        await TimersPending(time);
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        time.Advance(TimeSpan.FromSeconds(10));
        await Settle();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(primary.Calls, Is.EqualTo(1), "the retry was never sent");
            Assert.That(backup.Calls, Is.Zero, "no failover");
            Assert.That(time.PendingTimers, Is.Zero, "the delay's timer is gone");
        }
    }

    [Test]
    public async Task Cancelling_while_a_stream_waits_for_its_next_update_ends_the_stream_without_failover()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time) { StallAfterFirstUpdate = true };
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);
        using var cts = new CancellationTokenSource();

        await using var stream = chain.StreamAsync(new ChatRequest("hi"), cts.Token).GetAsyncEnumerator();
        Assert.That(await stream.MoveNextAsync(), Is.True);
        string? first = stream.Current.Text;
        var next = stream.MoveNextAsync().AsTask();
        await primary.Waiting.Task;
        await cts.CancelAsync();

        Assert.That(async () => await next, Throws.InstanceOf<OperationCanceledException>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo("Hello"));
            Assert.That(primary.Calls, Is.EqualTo(1), "no retry");
            Assert.That(backup.Calls, Is.Zero, "no failover");
            Assert.That(resilience.Find("primary")!.InFlight, Is.Zero, "the stream's slot is freed");
        }
    }

    [Test]
    public async Task Cancelling_while_a_stream_waits_to_retry_before_its_first_update_ends_it_without_failover()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time).ThenFail(RateLimited("primary", TimeSpan.FromSeconds(2)));
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);
        using var cts = new CancellationTokenSource();

        var reading = Collect(chain.StreamAsync(new ChatRequest("hi"), cts.Token));
        await TimersPending(time);
        await cts.CancelAsync();

        Assert.That(async () => await reading, Throws.InstanceOf<OperationCanceledException>());
        time.Advance(TimeSpan.FromSeconds(10));
        await Settle();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(primary.Calls, Is.EqualTo(1), "the retry was never sent");
            Assert.That(backup.Calls, Is.Zero, "no failover");
        }
    }
}
