using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Resilience.ResilienceTestKit;

namespace LlmProviders.Tests.Resilience.Retry;

public class TargetRetryTests
{
    [Test]
    public async Task A_429_with_Retry_After_is_retried_exactly_when_the_server_said()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(RateLimited(TimeSpan.FromSeconds(2)));
        var resilience = Create(time);
        var start = time.GetUtcNow();

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Settle();
        int callsBefore = script.Calls;
        time.Advance(TimeSpan.FromSeconds(0.1));
        string answer = await call;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(callsBefore, Is.EqualTo(1), "not retried before 2 s");
            Assert.That(answer, Is.EqualTo("answer 2"));
            Assert.That(script.CallTimes[1] - start, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(resilience.RetryCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void A_server_delay_above_the_cap_is_thrown_at_once_so_the_router_fails_over()
    {
        var time = new ManualTimeProvider();
        var error = RateLimited(TimeSpan.FromSeconds(45));
        var script = new ScriptedAttempt(time).ThenFail(error);
        var resilience = Create(time);

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(call.IsCompleted, Is.True, "no sleep");
            Assert.That(async () => await call, Throws.Exception.SameAs(error));
            Assert.That(TargetResilienceErrors.IsRetryDelayTooLong(error), Is.True);
            Assert.That(script.Calls, Is.EqualTo(1));
            Assert.That(resilience.RetryCount, Is.Zero);
        }
    }

    [Test]
    public async Task A_server_delay_at_the_cap_is_still_waited()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(RateLimited(TimeSpan.FromSeconds(30)));
        var resilience = Create(time);

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.That(await call, Is.EqualTo("answer 2"));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.NotFound)]
    public void Client_errors_are_never_retried_even_when_marked_transient(HttpStatusCode status)
    {
        var time = new ManualTimeProvider();
        var error = new ProviderUnavailableException("odd gateway") { StatusCode = status, IsTransient = true };
        var script = new ScriptedAttempt(time).ThenFail(error);
        var resilience = Create(time);

        Assert.That(async () => await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None), Throws.Exception.SameAs(error));
        Assert.That(script.Calls, Is.EqualTo(1));
    }

    [Test]
    public void Failures_that_are_not_transient_are_not_retried()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time)
            .ThenFail(new ProviderAuthenticationException("401") { StatusCode = HttpStatusCode.Unauthorized });
        var resilience = Create(time);

        Assert.That(async () => await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None),
            Throws.InstanceOf<ProviderAuthenticationException>());
        Assert.That(script.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Per_kind_retry_counts_override_the_default()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(Overloaded(), times: 4);
        var resilience = Create(time, o =>
        {
            o.Retry.MaxRetries = 1;
            o.Retry.MaxRetriesByKind[LlmErrorKind.Overloaded] = 4;
        }, jitter: 0);

        string answer = await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);

        Assert.That((answer, script.Calls), Is.EqualTo(("answer 5", 5)));
    }

    [Test]
    public void A_kind_set_to_zero_retries_fails_at_once_while_others_keep_the_default()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable());
        var resilience = Create(time, o => o.Retry.MaxRetriesByKind[LlmErrorKind.ProviderUnavailable] = 0, jitter: 0);

        Assert.That(async () => await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None),
            Throws.InstanceOf<ProviderUnavailableException>());
        Assert.That(script.Calls, Is.EqualTo(1));
    }

    [Test]
    public void Retries_stop_after_MaxRetries_and_the_last_failure_is_thrown()
    {
        var time = new ManualTimeProvider();
        var last = Unavailable();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable(), times: 2).ThenFail(last);
        var resilience = Create(time, jitter: 0);

        Assert.That(async () => await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None), Throws.Exception.SameAs(last));
        Assert.That((script.Calls, resilience.RetryCount), Is.EqualTo((3, 2L)));
    }

    [Test]
    public async Task Backoff_grows_by_the_factor_between_attempts()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable(), times: 3);
        var resilience = Create(time, o => o.Retry.MaxRetries = 3, jitter: 0.5);
        var start = time.GetUtcNow();

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        var expected = new[] { 0.5, 1, 2 };
        for (int n = 2; n <= 4; n++)
        {
            await Until(() => time.PendingTimers >= 2, "the retry delay"); // the total timeout and the delay
            time.Advance(TimeSpan.FromSeconds(expected[n - 2]) - TimeSpan.FromTicks(1));
            await Settle();
            Assert.That(script.Calls, Is.EqualTo(n - 1), $"attempt {n} not before its delay");
            time.Advance(TimeSpan.FromTicks(1));
            await Until(() => script.Calls == n, $"attempt {n}");
        }

        await call;
        var t = script.CallTimes;
        using (Assert.EnterMultipleScope())
        {
            // Half of 1 s, 2 s, 4 s with the jitter fixed at 0.5.
            Assert.That(t[1] - t[0], Is.EqualTo(TimeSpan.FromSeconds(0.5)));
            Assert.That(t[2] - t[1], Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(t[3] - t[2], Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(t[0], Is.EqualTo(start));
        }
    }

    [Test]
    public void Backoff_with_real_jitter_stays_within_zero_and_the_capped_exponential()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.Retry.MaxDelay = TimeSpan.FromSeconds(10));
        resilience.NextJitter = new Random(42).NextDouble;
        var ceilings = new[] { 1.0, 2, 4, 8, 10, 10 };

        using (Assert.EnterMultipleScope())
        {
            for (int attempt = 0; attempt < ceilings.Length; attempt++)
            {
                for (int i = 0; i < 200; i++)
                {
                    var delay = resilience.RetryDelay(Unavailable(), attempt);
                    Assert.That(delay, Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(ceilings[attempt])), $"retry {attempt + 1}");
                }
            }
        }
    }

    [Test]
    public void Backoff_at_the_top_of_the_jitter_reaches_the_capped_exponential()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.Retry.BackoffFactor = 3, jitter: 1);

        var delays = new[] { 0, 1, 2, 3, 4 }.Select(n => resilience.RetryDelay(Unavailable(), n).TotalSeconds);

        Assert.That(delays, Is.EqualTo(new[] { 1.0, 3, 9, 27, 30 }));
    }

    [Test]
    public async Task Caller_cancellation_during_a_retry_delay_ends_at_once_without_another_attempt()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(RateLimited(TimeSpan.FromSeconds(20)));
        var resilience = Create(time);
        using var cts = new CancellationTokenSource();

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, cts.Token);
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        time.Advance(TimeSpan.FromMinutes(1));
        await Settle();
        Assert.That((script.Calls, resilience.InFlight), Is.EqualTo((1, 0)));
    }

    [Test]
    public void Caller_cancellation_inside_an_attempt_stays_a_cancellation_and_is_not_retried()
    {
        var time = new ManualTimeProvider();
        using var cts = new CancellationTokenSource();
        var script = new ScriptedAttempt(time).ThenHang();
        var resilience = Create(time);

        var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, cts.Token);
        cts.Cancel();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<LlmProviderException>());
        Assert.That((script.Calls, resilience.ConsecutiveFailures), Is.EqualTo((1, 0)));
    }

    [Test]
    public async Task Each_attempt_is_a_new_call_of_the_delegate()
    {
        var time = new ManualTimeProvider();
        int built = 0;
        var resilience = Create(time, jitter: 0);

        string answer = await resilience.ExecuteAsync(ct => ++built < 3 ? Task.FromException<string>(Unavailable()) : Task.FromResult("third request"),
            RequestPriority.Normal, 0, CancellationToken.None);

        Assert.That((answer, built), Is.EqualTo(("third request", 3)));
    }

    [Test]
    public async Task Each_attempt_gets_the_callers_state_and_the_call_frees_what_it_held()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.MaxConcurrency = 1, jitter: 0);
        var seen = new System.Collections.Generic.List<string>();

        string answer = await resilience.ExecuteAsync(
            static (s, ct) =>
            {
                s.Seen.Add(s.Prompt);
                return s.Seen.Count < 3 ? Task.FromException<string>(Unavailable()) : Task.FromResult("answer to " + s.Prompt);
            },
            (Seen: seen, Prompt: "ping"), RequestPriority.Normal, 0, CancellationToken.None);
        string next = await resilience.ExecuteAsync(static (s, ct) => Task.FromResult(s), "again", RequestPriority.Normal, 0, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer, Is.EqualTo("answer to ping"));
            Assert.That(seen, Is.EqualTo(new[] { "ping", "ping", "ping" }));
            Assert.That(next, Is.EqualTo("again"), "the only concurrency slot was given back");
            Assert.That(resilience.InFlight, Is.Zero);
            Assert.That(resilience.RetryCount, Is.EqualTo(2));
        }
    }
}
