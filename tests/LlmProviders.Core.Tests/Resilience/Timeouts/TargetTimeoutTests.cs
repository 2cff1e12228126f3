using System;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Resilience.ResilienceTestKit;

namespace LlmProviders.Tests.Resilience.Timeouts;

public class TargetTimeoutTests
{
    [Test]
    public void Cloud_and_local_targets_get_their_own_defaults()
    {
        var time = new ManualTimeProvider();
        var cloud = Create(time);
        var local = Create(time, isLocal: true);
        var custom = Create(time, o => o.Timeouts.IdleGap = TimeSpan.FromSeconds(7), isLocal: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((cloud.AttemptTimeout, cloud.FirstChunkTimeout, cloud.IdleGapTimeout, cloud.TotalTimeout),
                Is.EqualTo((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5))));
            Assert.That((local.AttemptTimeout, local.FirstChunkTimeout, local.IdleGapTimeout, local.TotalTimeout),
                Is.EqualTo((TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(30))));
            Assert.That(custom.IdleGapTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
        }
    }

    [Test]
    public async Task An_attempt_that_takes_too_long_ends_in_a_timeout_naming_the_attempt_timeout()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenHang();
        var resilience = Create(time, o => o.Retry.MaxRetries = 0);

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        await Settle();
        bool doneBefore = call.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));
        var error = Assert.ThrowsAsync<ProviderTimeoutException>(async () => await call);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doneBefore, Is.False);
            Assert.That(error!.Message, Does.Contain("attempt timeout of 60 s"));
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.ProviderName, Is.EqualTo(Provider));
            Assert.That(resilience.TimeoutCount, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task An_attempt_timeout_is_retried_as_a_transient_failure()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenHang();
        var resilience = Create(time, o => o.Timeouts.Attempt = TimeSpan.FromSeconds(5), jitter: 0);

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.That(await call, Is.EqualTo("answer 2"));
    }

    [Test]
    public async Task The_total_timeout_bounds_every_attempt_and_retry()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenHang(times: 10);
        var resilience = Create(time, o =>
        {
            o.Retry.MaxRetries = 10;
            o.Timeouts.Attempt = TimeSpan.FromSeconds(10);
            o.Timeouts.Total = TimeSpan.FromSeconds(25);
        }, jitter: 0);

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        for (int n = 1; n <= 2; n++)
        {
            await Until(() => script.Calls == n, $"attempt {n}");
            time.Advance(TimeSpan.FromSeconds(10));
        }

        await Until(() => script.Calls == 3, "attempt 3");
        time.Advance(TimeSpan.FromSeconds(5));
        var error = Assert.ThrowsAsync<ProviderTimeoutException>(async () => await call);

        Assert.That(error!.Message, Does.Contain("total timeout of 25 s"));
        Assert.That(script.Calls, Is.EqualTo(3));
    }

    [Test]
    public async Task Caller_cancellation_stays_a_cancellation_and_is_not_counted_as_a_timeout()
    {
        var time = new ManualTimeProvider();
        using var cts = new CancellationTokenSource();
        var script = new ScriptedAttempt(time).ThenHang();
        var resilience = Create(time);

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, cts.Token);
        time.Advance(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        Assert.That((resilience.TimeoutCount, resilience.InFlight, script.Calls), Is.EqualTo((0L, 0, 1)));
    }

    [Test]
    public void A_provider_that_cancels_on_its_own_is_treated_as_a_timeout()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(new TaskCanceledException("HttpClient.Timeout"));
        var resilience = Create(time, o => o.Retry.MaxRetries = 0);

        Assert.That(async () => await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None),
            Throws.InstanceOf<ProviderTimeoutException>().With.Message.Contains("although the caller did not"));
    }

    [Test]
    public async Task An_infinite_timeout_turns_it_off()
    {
        var time = new ManualTimeProvider();
        var gate = new TaskCompletionSource();
        var script = new ScriptedAttempt(time).ThenWait(gate.Task);
        var resilience = Create(time, o =>
        {
            o.Timeouts.Attempt = Timeout.InfiniteTimeSpan;
            o.Timeouts.Total = Timeout.InfiniteTimeSpan;
        });

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        await Settle();
        bool doneBefore = call.IsCompleted;
        gate.SetResult();

        Assert.That((doneBefore, await call), Is.EqualTo((false, "answer 1")));
    }
}
