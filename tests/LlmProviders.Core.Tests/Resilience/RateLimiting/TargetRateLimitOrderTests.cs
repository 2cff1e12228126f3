using System;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Resilience.ResilienceTestKit;

namespace LlmProviders.Tests.Resilience.RateLimiting;

/// <summary>Where the rate limit sits in the order of wrapping: outside the retries, inside the total timeout.</summary>
public class TargetRateLimitOrderTests
{
    [Test]
    public async Task Retries_take_no_new_permits()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable(), times: 2);
        var resilience = Create(time, o =>
        {
            o.RateLimit.RequestsPerMinute = 1;
            o.RateLimit.QueueLimit = 0;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
        }, jitter: 0);

        string answer = await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);

        Assert.That((answer, script.Calls, resilience.RateLimitRejections), Is.EqualTo(("answer 3", 3, 0L)));
    }

    [Test]
    public async Task The_total_timeout_bounds_the_wait_for_a_permit()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            o.RateLimit.RequestsPerMinute = 1;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
            o.RateLimit.MaxQueueWait = TimeSpan.FromMinutes(10);
            o.Timeouts.Total = TimeSpan.FromSeconds(30);
        });
        await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);

        var waiting = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.That(async () => await waiting, Throws.InstanceOf<ProviderTimeoutException>().With.Message.Contains("total timeout of 30 s"));
        await Until(() => resilience.WaitingForRateLimit == 0, "the waiter left the queue");
        Assert.That((script.Calls, resilience.InFlight), Is.EqualTo((1, 0)));
    }

    [Test]
    public async Task Caller_cancellation_while_queued_leaves_the_queue_and_stays_a_cancellation()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        using var cts = new CancellationTokenSource();
        var resilience = Create(time, o =>
        {
            o.RateLimit.RequestsPerMinute = 1;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
        });
        await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);

        var waiting = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, cts.Token);
        int queued = resilience.WaitingForRateLimit;
        await cts.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<LlmProviderException>());
        time.Advance(TimeSpan.FromMinutes(1));
        await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        Assert.That((queued, resilience.WaitingForRateLimit, script.Calls), Is.EqualTo((1, 0, 2)));
    }

    [Test]
    public async Task Usage_reported_without_an_estimate_is_charged_to_the_next_calls()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o =>
        {
            o.RateLimit.TokensPerMinute = 1000;
            o.RateLimit.QueueLimit = 0;
            o.RateLimit.Algorithm = TargetRateLimitAlgorithm.FixedWindow;
        });

        await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        resilience.ReportUsage(900);
        await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None); // takes the 900

        Assert.That((resilience.TryCheckAvailable(101, out _, out _), resilience.TryCheckAvailable(100, out _, out _)), Is.EqualTo((false, true)));
    }
}

/// <summary>The provider's headers narrow the token headroom too.</summary>
public class TargetRateLimitHeaderTokenTests
{
    [Test]
    public async Task A_call_needing_more_tokens_than_the_headers_leave_waits_for_their_reset()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = Create(time, o => o.RateLimit.MaxQueueWait = TimeSpan.FromMinutes(1));

        resilience.ReportRateLimitHeaders(remainingRequests: 50, remainingTokens: 1000, resetAfter: TimeSpan.FromSeconds(6));
        bool roomFor1000 = resilience.TryCheckAvailable(1000, out _, out _);
        var big = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 5000, CancellationToken.None);
        await Settle();
        bool waited = !big.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(6));

        Assert.That((roomFor1000, waited, await big), Is.EqualTo((true, true, "answer 1")));
    }
}

/// <summary>A 429's Retry-After holds for the whole key.</summary>
public class TargetRateLimitRetryAfterTests
{
    [Test]
    public async Task A_429_with_a_long_Retry_After_makes_the_target_unavailable_for_that_long()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(RateLimited(TimeSpan.FromSeconds(45)));
        var resilience = Create(time);

        Assert.ThrowsAsync<RateLimitedException>(() => resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None));
        bool available = resilience.TryCheckAvailable(0, out var reason, out var detail);
        time.Advance(TimeSpan.FromSeconds(45));
        bool availableAfter = resilience.TryCheckAvailable(0, out _, out _);
        await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((available, reason), Is.EqualTo((false, CandidateSkipReason.RateLimited)));
            Assert.That(detail, Does.Contain("45 s"));
            Assert.That(availableAfter, Is.True);
            Assert.That(script.Calls, Is.EqualTo(2));
        }
    }
}
