using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Resilience.ResilienceTestKit;

namespace LlmProviders.Tests.Resilience.Timeouts;

public class TargetStreamingTests
{
    [Test]
    public async Task The_first_update_is_yielded_first_then_the_rest()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time);

        var stream = await resilience.OpenStreamAsync(ct => ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.Zero, 3, cancellationToken: ct),
            RequestPriority.Normal, 0, CancellationToken.None);
        int inFlightWhileOpen = resilience.InFlight;
        var texts = await ResilienceStreams.ReadAll(stream);

        Assert.That((texts, inFlightWhileOpen, resilience.InFlight), Is.EqualTo((new List<string> { "t0", "t1", "t2" }, 1, 0)));
    }

    [Test]
    public async Task Failures_before_the_first_update_are_retried()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, jitter: 0);
        int starts = 0;

        var stream = await resilience.OpenStreamAsync(
            ct => ++starts == 1 ? ResilienceStreams.FailAtOnce(Unavailable()) : ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.Zero, 2, cancellationToken: ct),
            RequestPriority.Normal, 0, CancellationToken.None);
        var texts = await ResilienceStreams.ReadAll(stream);

        Assert.That((texts.Count, starts, resilience.RetryCount), Is.EqualTo((2, 2, 1L)));
    }

    [Test]
    public async Task No_first_update_within_the_first_chunk_timeout_is_a_timeout_naming_it()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.Retry.MaxRetries = 0);

        var open = resilience.OpenStreamAsync(ct => ResilienceStreams.Updates(time, TimeSpan.FromMinutes(1), TimeSpan.Zero, 2, cancellationToken: ct),
            RequestPriority.Normal, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        await Settle();
        bool openedBefore = open.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));
        var error = Assert.ThrowsAsync<ProviderTimeoutException>(async () => await open);

        Assert.That((openedBefore, error!.Message.Contains("first-chunk timeout of 30 s", StringComparison.Ordinal), resilience.InFlight),
            Is.EqualTo((false, true, 0)));
    }

    [Test]
    public async Task A_stall_between_chunks_ends_in_a_timeout_saying_no_chunk_came()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.Timeouts.IdleGap = TimeSpan.FromSeconds(10));
        var stream = await resilience.OpenStreamAsync(ct => ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.FromSeconds(9), 3, cancellationToken: ct),
            RequestPriority.Normal, 0, CancellationToken.None);
        Assert.That(await stream.MoveNextAsync(), Is.True);

        var second = stream.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(9)); // within the gap
        Assert.That(await second, Is.True);

        var stalled = new ResilienceStreams.Stall(time);
        await stream.DisposeAsync();
        var stallStream = await resilience.OpenStreamAsync(ct => stalled.Run(ct), RequestPriority.Normal, 0, CancellationToken.None);
        Assert.That(await stallStream.MoveNextAsync(), Is.True);
        var next = stallStream.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(10));
        var error = Assert.ThrowsAsync<ProviderTimeoutException>(async () => await next);
        await stallStream.DisposeAsync();

        Assert.That(error!.Message, Does.Contain("sent no chunk for 10 s"));
        Assert.That(resilience.InFlight, Is.Zero);
    }

    [Test]
    public async Task A_slow_consumer_does_not_trip_the_idle_gap()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.Timeouts.IdleGap = TimeSpan.FromSeconds(10));
        var stream = await resilience.OpenStreamAsync(ct => ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.Zero, 3, cancellationToken: ct),
            RequestPriority.Normal, 0, CancellationToken.None);

        var texts = new List<string>();
        await using (stream)
        {
            while (await stream.MoveNextAsync())
            {
                texts.Add(stream.Current.Text!);
                time.Advance(TimeSpan.FromSeconds(30)); // the consumer takes its time
            }
        }

        Assert.That(texts, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_stream_that_breaks_after_its_first_update_is_not_retried_and_feeds_the_breaker_when_it_ends()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.CircuitBreaker.FailureThreshold = 1);
        int starts = 0;

        var stream = await resilience.OpenStreamAsync(ct =>
        {
            starts++;
            return ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.Zero, 1, Unavailable(), ct);
        }, RequestPriority.Normal, 0, CancellationToken.None);
        var stateWhileStreaming = resilience.CircuitState;

        Assert.That(async () => await ResilienceStreams.ReadAll(stream), Throws.InstanceOf<ProviderUnavailableException>());
        Assert.That((stateWhileStreaming, resilience.CircuitState, starts), Is.EqualTo((TargetCircuitState.Closed, TargetCircuitState.Open, 1)));
    }

    [Test]
    public async Task Caller_cancellation_mid_stream_stays_a_cancellation()
    {
        var time = new ManualTimeProvider();
        using var cts = new CancellationTokenSource();
        var resilience = Create(time, o => o.CircuitBreaker.FailureThreshold = 1);
        var stream = await resilience.OpenStreamAsync(ct => ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.FromSeconds(5), 3, cancellationToken: ct),
            RequestPriority.Normal, 0, cts.Token);
        Assert.That(await stream.MoveNextAsync(), Is.True);

        var next = stream.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        Assert.That(async () => await next, Throws.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<LlmProviderException>());
        await stream.DisposeAsync();
        Assert.That((resilience.CircuitState, resilience.InFlight), Is.EqualTo((TargetCircuitState.Closed, 0)));
    }

    [Test]
    public async Task An_open_circuit_refuses_a_stream_before_it_starts()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time);
        resilience.IsolateCircuit();
        int starts = 0;

        var error = Assert.ThrowsAsync<ProviderUnavailableException>(() => resilience.OpenStreamAsync(ct =>
        {
            starts++;
            return ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.Zero, 1, cancellationToken: ct);
        }, RequestPriority.Normal, 0, CancellationToken.None));

        Assert.That((TargetResilienceErrors.IsCircuitOpen(error), starts), Is.EqualTo((true, 0)));
        await Task.CompletedTask;
    }
}
