using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Resilience.ResilienceTestKit;

namespace LlmProviders.Tests.Resilience;

public class TargetConcurrencyTests
{
    [Test]
    public async Task A_thousand_parallel_calls_never_exceed_the_limit_and_all_complete()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.MaxConcurrency = 8);
        int running = 0;
        int maxRunning = 0;
        int maxReported = 0;
        int completed = 0;

        async Task<int> Attempt(CancellationToken ct)
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            InterlockedMax(ref maxReported, resilience.InFlight);
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return Interlocked.Increment(ref completed);
        }

        var calls = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(() => resilience.ExecuteAsync(Attempt, RequestPriority.Normal, 0, CancellationToken.None)))
            .ToArray();
        var results = await Task.WhenAll(calls);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Distinct().Count(), Is.EqualTo(1000));
            Assert.That(completed, Is.EqualTo(1000));
            Assert.That(maxRunning, Is.InRange(1, 8));
            Assert.That(maxReported, Is.InRange(1, 8));
            Assert.That(resilience.InFlight, Is.Zero);
            Assert.That(resilience.WaitingForSlot, Is.Zero);
            Assert.That(resilience.AttemptCount, Is.EqualTo(1000));
        }
    }

    [Test]
    public async Task InFlight_is_exact_when_calls_fail_and_are_cancelled_in_parallel()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o =>
        {
            o.MaxConcurrency = 4;
            o.Retry.MaxRetries = 0;
            o.CircuitBreaker.Enabled = false;
        });
        using var cts = new CancellationTokenSource();

        var calls = Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            try
            {
                return await resilience.ExecuteAsync<int>(async ct =>
                {
                    await Task.Yield();
                    return i % 3 == 0 ? throw Unavailable() : i;
                }, RequestPriority.Normal, 0, i % 7 == 0 ? cts.Token : CancellationToken.None);
            }
            catch (Exception ex) when (ex is LlmProviderException or OperationCanceledException)
            {
                return -1;
            }
        })).ToArray();
        await cts.CancelAsync();
        await Task.WhenAll(calls);

        Assert.That((resilience.InFlight, resilience.WaitingForSlot), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task At_the_limit_with_no_room_to_wait_a_call_is_refused_and_the_filter_says_so()
    {
        var time = new ManualTimeProvider();
        var gate = new TaskCompletionSource();
        var script = new ScriptedAttempt(time).ThenWait(gate.Task);
        var resilience = Create(time, o =>
        {
            o.MaxConcurrency = 1;
            o.ConcurrencyQueueLimit = 0;
        });

        var first = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        bool available = resilience.TryCheckAvailable(0, out var reason, out var detail);
        var refused = Assert.ThrowsAsync<RateLimitedException>(() => resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None));
        gate.SetResult();
        await first;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((available, reason), Is.EqualTo((false, CandidateSkipReason.Other)));
            Assert.That(detail, Does.Contain("concurrency limit of 1"));
            Assert.That(refused!.Message, Does.Contain("concurrency limit of 1"));
            Assert.That(TargetResilienceErrors.IsClientSideLimit(refused), Is.True);
            Assert.That(resilience.TryCheckAvailable(0, out _, out _), Is.True);
        }
    }

    [Test]
    public async Task A_call_waiting_for_a_slot_is_bounded_by_the_total_timeout()
    {
        var time = new ManualTimeProvider();
        var gate = new TaskCompletionSource();
        var script = new ScriptedAttempt(time).ThenWait(gate.Task);
        var resilience = Create(time, o =>
        {
            o.MaxConcurrency = 1;
            o.Timeouts.Attempt = Timeout.InfiniteTimeSpan;
            o.Timeouts.Total = TimeSpan.FromSeconds(10);
        });

        var first = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        var second = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        int waiting = resilience.WaitingForSlot;
        time.Advance(TimeSpan.FromSeconds(5)); // the first call's total timeout
        Assert.That(async () => await first, Throws.InstanceOf<ProviderTimeoutException>());
        await Until(() => script.Calls == 2, "the second call got the slot");
        gate.SetResult();

        Assert.That((waiting, await second), Is.EqualTo((1, "answer 2")));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
