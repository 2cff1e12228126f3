using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Resilience.ResilienceTestKit;

namespace LlmProviders.Tests.Resilience.RateLimiting;

public class TargetRateLimitTests
{
    private static Task<string> Call(TargetResilience resilience, ScriptedAttempt script, int tokens = 0, RequestPriority priority = RequestPriority.Normal) =>
        resilience.ExecuteAsync(script.Invoke, priority, tokens, CancellationToken.None);

    private static void NoQueue(TargetResilienceOptions o)
    {
        o.RateLimit.QueueLimit = 0;
        o.Timeouts.Total = Timeout.InfiniteTimeSpan;
    }

    [TestCase(TargetRateLimitAlgorithm.FixedWindow)]
    [TestCase(TargetRateLimitAlgorithm.SlidingWindow)]
    [TestCase(TargetRateLimitAlgorithm.TokenBucket)]
    public async Task Requests_beyond_the_per_minute_limit_are_refused_when_nothing_may_wait(TargetRateLimitAlgorithm algorithm)
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            NoQueue(o);
            o.RateLimit.RequestsPerMinute = 2;
            o.RateLimit.Algorithm = algorithm;
        });

        await Call(resilience, script);
        await Call(resilience, script);
        bool available = resilience.TryCheckAvailable(0, out var reason, out var detail);
        var refused = Assert.ThrowsAsync<RateLimitedException>(() => Call(resilience, script));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((available, reason), Is.EqualTo((false, CandidateSkipReason.RateLimited)));
            Assert.That(detail, Does.Contain("no rate-limit headroom"));
            Assert.That(refused!.Message, Does.Contain("'primary' has no rate-limit headroom"));
            Assert.That(refused.IsTransient, Is.True);
            Assert.That(refused.RetryAfter, Is.Not.Null);
            Assert.That(TargetResilienceErrors.IsClientSideLimit(refused), Is.True);
            Assert.That(script.Calls, Is.EqualTo(2));
            Assert.That(resilience.RateLimitRejections, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_fixed_window_refills_at_the_minute()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            NoQueue(o);
            o.RateLimit.RequestsPerMinute = 1;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
        });
        await Call(resilience, script);

        time.Advance(TimeSpan.FromSeconds(59));
        bool at59 = resilience.TryCheckAvailable(0, out _, out _);
        time.Advance(TimeSpan.FromSeconds(1));
        bool at60 = resilience.TryCheckAvailable(0, out _, out _);
        await Call(resilience, script);

        Assert.That((at59, at60, script.Calls), Is.EqualTo((false, true, 2)));
    }

    [Test]
    public async Task A_sliding_window_frees_a_permit_only_when_its_segment_leaves_the_minute()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            NoQueue(o);
            o.RateLimit.RequestsPerMinute = 2;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.SlidingWindow;
        });
        await Call(resilience, script); // t = 0
        time.Advance(TimeSpan.FromSeconds(30));
        await Call(resilience, script); // t = 30

        time.Advance(TimeSpan.FromSeconds(29)); // t = 59
        bool at59 = resilience.TryCheckAvailable(0, out _, out _);
        time.Advance(TimeSpan.FromSeconds(1)); // t = 60: the t = 0 call leaves the window
        bool at60 = resilience.TryCheckAvailable(0, out _, out _);
        await Call(resilience, script);
        bool afterThird = resilience.TryCheckAvailable(0, out _, out _);

        Assert.That((at59, at60, afterThird), Is.EqualTo((false, true, false)));
    }

    [Test]
    public async Task A_token_bucket_allows_a_burst_then_refills_evenly()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            NoQueue(o);
            o.RateLimit.RequestsPerMinute = 60;
            o.RateLimit.Burst = 3;
        });

        for (int i = 0; i < 3; i++)
        {
            await Call(resilience, script);
        }

        bool afterBurst = resilience.TryCheckAvailable(0, out _, out _);
        time.Advance(TimeSpan.FromSeconds(1));
        await Call(resilience, script);
        bool afterRefillUsed = resilience.TryCheckAvailable(0, out _, out _);

        Assert.That((afterBurst, afterRefillUsed, script.Calls), Is.EqualTo((false, false, 4)));
    }

    [Test]
    public async Task Tokens_per_minute_take_each_calls_estimate()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            NoQueue(o);
            o.RateLimit.TokensPerMinute = 1000;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
        });

        await Call(resilience, script, tokens: 600);
        bool room600 = resilience.TryCheckAvailable(600, out _, out _);
        bool room400 = resilience.TryCheckAvailable(400, out _, out _);
        Assert.ThrowsAsync<RateLimitedException>(() => Call(resilience, script, tokens: 600));
        await Call(resilience, script, tokens: 400);

        Assert.That((room600, room400, script.Calls), Is.EqualTo((false, true, 2)));
    }

    [Test]
    public async Task Reported_usage_above_the_estimate_is_taken_from_the_next_calls()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            NoQueue(o);
            o.RateLimit.TokensPerMinute = 1000;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
        });

        await Call(resilience, script, tokens: 100);
        resilience.ReportUsage(700, 100); // 600 more than estimated
        await Call(resilience, script, tokens: 100); // takes 100 + 600
        bool room300 = resilience.TryCheckAvailable(300, out _, out _);
        bool room200 = resilience.TryCheckAvailable(200, out _, out _);

        Assert.That((room300, room200, resilience.Quota.TokenBalance), Is.EqualTo((false, true, 0L)));
    }

    [Test]
    public async Task Reported_usage_below_the_estimate_is_credited_to_the_next_calls()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            NoQueue(o);
            o.RateLimit.TokensPerMinute = 1000;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
        });

        await Call(resilience, script, tokens: 800);
        resilience.ReportUsage(100, 800); // 700 fewer than estimated
        await Call(resilience, script, tokens: 800); // takes 100

        Assert.That((resilience.TryCheckAvailable(100, out _, out _), resilience.Quota.TokenBalance), Is.EqualTo((true, 0L)));
    }

    [Test]
    public async Task Queued_calls_go_high_priority_first()
    {
        var time = new ManualTimeProvider();
        var (resilience, order, Run) = OneRequestPerMinute(time, priorityAging: TimeSpan.FromHours(1));
        await Run(RequestPriority.Normal); // uses the minute's permit

        var low = Run(RequestPriority.Low);
        var normal = Run(RequestPriority.Normal);
        var high = Run(RequestPriority.High);
        int queued = resilience.WaitingForRateLimit;
        for (int i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Until(() => order.Count == i + 2, $"permit {i + 1} used");
        }

        await Task.WhenAll(low, normal, high);
        Assert.That(queued, Is.EqualTo(3));
        Assert.That(order.Skip(1), Is.EqualTo(new[] { RequestPriority.High, RequestPriority.Normal, RequestPriority.Low }));
    }

    [Test]
    public async Task A_low_priority_call_that_waited_long_enough_is_not_overtaken_forever()
    {
        var time = new ManualTimeProvider();
        var (resilience, order, Run) = OneRequestPerMinute(time, priorityAging: TimeSpan.FromSeconds(20));
        await Run(RequestPriority.Normal);

        var low = Run(RequestPriority.Low); // t = 0; counts as high from t = 40 s
        time.Advance(TimeSpan.FromSeconds(50));
        var high = Run(RequestPriority.High); // t = 50
        time.Advance(TimeSpan.FromSeconds(10)); // t = 60: one permit
        await Until(() => order.Count == 2, "one permit used");
        time.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(low, high);

        Assert.That(order.Skip(1), Is.EqualTo(new[] { RequestPriority.Low, RequestPriority.High }));
    }

    [Test]
    public async Task A_call_without_a_permit_within_MaxQueueWait_is_refused_with_RetryAfter()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            o.RateLimit.RequestsPerMinute = 1;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
            o.RateLimit.MaxQueueWait = TimeSpan.FromSeconds(5);
        });
        await Call(resilience, script);

        var waiting = Call(resilience, script);
        bool availableWhileQueueHasRoom = resilience.TryCheckAvailable(0, out _, out _);
        time.Advance(TimeSpan.FromSeconds(5));
        var refused = Assert.ThrowsAsync<RateLimitedException>(async () => await waiting);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(availableWhileQueueHasRoom, Is.True, "a call may still wait its turn");
            Assert.That(refused!.Message, Does.Contain("maximum queue wait of 5 s"));
            Assert.That(refused.RetryAfter, Is.Not.Null);
            Assert.That(resilience.WaitingForRateLimit, Is.Zero);
            Assert.That(script.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Remaining_requests_of_zero_in_the_headers_leave_no_headroom_until_the_reset()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time);

        resilience.ReportRateLimitHeaders(remainingRequests: 0, remainingTokens: null, resetAfter: TimeSpan.FromSeconds(20));
        bool available = resilience.TryCheckAvailable(0, out var reason, out _);
        var refused = Assert.ThrowsAsync<RateLimitedException>(() => Call(resilience, script));
        time.Advance(TimeSpan.FromSeconds(20));
        bool availableAfterReset = resilience.TryCheckAvailable(0, out _, out _);
        await Call(resilience, script);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((available, reason), Is.EqualTo((false, CandidateSkipReason.RateLimited)));
            Assert.That(refused!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(availableAfterReset, Is.True);
            Assert.That(script.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Remaining_headroom_in_the_headers_is_used_up_then_waits_for_the_reset()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o => o.RateLimit.MaxQueueWait = TimeSpan.FromSeconds(30));

        resilience.ReportRateLimitHeaders(remainingRequests: 1, remainingTokens: 5000, resetAfter: TimeSpan.FromSeconds(8));
        await Call(resilience, script, tokens: 100);
        var queued = Call(resilience, script, tokens: 100);
        await Settle();
        bool waitedBeforeReset = !queued.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(8));
        await queued;

        Assert.That((waitedBeforeReset, script.Calls), Is.EqualTo((true, 2)));
    }

    [Test]
    public async Task Consecutive_429s_start_a_growing_cool_down_until_a_success()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(RateLimited(), times: 4);
        var resilience = Create(time, o =>
        {
            NoQueue(o);
            o.Retry.MaxRetries = 0;
            o.CircuitBreaker.Enabled = false;
        });
        async Task Fail()
        {
            try
            {
                await Call(resilience, script);
            }
            catch (RateLimitedException)
            {
                // expected
            }
        }

        await Fail();
        await Fail();
        var afterTwo = resilience.RateLimitedUntil;
        await Fail(); // third in a row: 2 s
        var firstCoolDown = resilience.RateLimitedUntil - time.GetUtcNow();
        bool availableDuring = resilience.TryCheckAvailable(0, out _, out _);
        var refused = Assert.ThrowsAsync<RateLimitedException>(() => Call(resilience, script));
        time.Advance(TimeSpan.FromSeconds(2));
        await Fail(); // fourth: 4 s
        var secondCoolDown = resilience.RateLimitedUntil - time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(4));
        await Call(resilience, script); // success ends the streak
        script.ThenFail(RateLimited());
        await Fail();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterTwo, Is.Null);
            Assert.That(firstCoolDown, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(availableDuring, Is.False);
            Assert.That(TargetResilienceErrors.IsClientSideLimit(refused), Is.True);
            Assert.That(secondCoolDown, Is.EqualTo(TimeSpan.FromSeconds(4)));
            Assert.That(resilience.RateLimitedUntil, Is.Null, "one 429 after a success does not cool down");
            Assert.That(script.Calls, Is.EqualTo(6));
        }
    }

    [Test]
    public async Task A_queued_call_goes_when_the_cool_down_ends()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(RateLimited(), times: 3);
        var resilience = Create(time, o =>
        {
            o.Retry.MaxRetries = 0;
            o.CircuitBreaker.Enabled = false;
        });
        for (int i = 0; i < 3; i++)
        {
            Assert.ThrowsAsync<RateLimitedException>(() => Call(resilience, script));
        }

        var queued = Call(resilience, script);
        await Settle();
        bool waited = !queued.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.That((waited, await queued), Is.EqualTo((true, "answer 4")));
    }

    [Test]
    public async Task Registrations_in_one_quota_group_share_its_limits()
    {
        var time = new ManualTimeProvider();
        var quotas = new RateLimitQuotaRegistry(time);
        void Shared(TargetResilienceOptions o)
        {
            NoQueue(o);
            o.RateLimit.RequestsPerMinute = 2;
            o.RateLimit.QuotaGroup = "openai-key-1";
        }

        var a = Create(time, Shared, quotas: quotas, name: "openai-fast");
        var b = Create(time, Shared, quotas: quotas, name: "openai-smart");
        var c = Create(time, o =>
        {
            NoQueue(o);
            o.RateLimit.RequestsPerMinute = 2;
        }, quotas: quotas, name: "other");
        var script = new ScriptedAttempt(time);

        await Call(a, script);
        await Call(b, script);
        await Call(c, script);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.TryCheckAvailable(0, out _, out _), Is.False);
            Assert.That(b.TryCheckAvailable(0, out _, out _), Is.False);
            Assert.That(c.TryCheckAvailable(0, out _, out _), Is.True);
            Assert.That(a.Quota, Is.SameAs(b.Quota));
            Assert.That(quotas.Count, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Header_blocks_of_one_registration_apply_to_its_whole_group()
    {
        var time = new ManualTimeProvider();
        var quotas = new RateLimitQuotaRegistry(time);
        var a = Create(time, o => o.RateLimit.QuotaGroup = "acct", quotas: quotas, name: "a");
        var b = Create(time, o => o.RateLimit.QuotaGroup = "acct", quotas: quotas, name: "b");

        a.ReportRateLimitHeaders(0, null, TimeSpan.FromMinutes(1));

        Assert.That(b.TryCheckAvailable(0, out var reason, out _), Is.False);
        Assert.That(reason, Is.EqualTo(CandidateSkipReason.RateLimited));
        await Task.CompletedTask;
    }

    [Test]
    public void Without_limits_nothing_is_ever_refused()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time);

        Assert.That(resilience.TryCheckAvailable(1_000_000, out var reason, out var detail), Is.True);
        Assert.That((reason, detail), Is.EqualTo((CandidateSkipReason.None, (string?)null)));
    }

    /// <summary>A target allowed one request a minute (fixed window, long queue), and a call that records its priority when it runs.</summary>
    private static (TargetResilience Resilience, ConcurrentQueue<RequestPriority> Order, Func<RequestPriority, Task<string>> Run) OneRequestPerMinute(ManualTimeProvider time, TimeSpan priorityAging)
    {
        var order = new ConcurrentQueue<RequestPriority>();
        var resilience = Create(time, o =>
        {
            o.RateLimit.RequestsPerMinute = 1;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
            o.RateLimit.MaxQueueWait = TimeSpan.FromMinutes(10);
            o.RateLimit.PriorityAging = priorityAging;
            o.Timeouts.Total = Timeout.InfiniteTimeSpan;
        });
        return (resilience, order, p => resilience.ExecuteAsync(_ =>
        {
            order.Enqueue(p);
            return Task.FromResult(p.ToString());
        }, p, 0, CancellationToken.None));
    }
}
