using System;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Resilience.ResilienceTestKit;

namespace LlmProviders.Tests.Resilience.CircuitBreaker;

public class TargetCircuitBreakerTests
{
    private static TargetResilience NoRetries(ManualTimeProvider time, Action<TargetResilienceOptions>? configure = null) =>
        Create(time, o =>
        {
            o.Retry.MaxRetries = 0;
            configure?.Invoke(o);
        });

    private static async Task FailTimes(TargetResilience resilience, ScriptedAttempt script, int times)
    {
        for (int i = 0; i < times; i++)
        {
            try
            {
                await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
            }
            catch (LlmProviderException)
            {
                // expected
            }
        }
    }

    [Test]
    public async Task Five_failures_in_a_row_open_the_circuit_and_calls_are_refused_fast()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable(), times: 5);
        var resilience = NoRetries(time);

        await FailTimes(resilience, script, 4);
        var afterFour = resilience.CircuitState;
        await FailTimes(resilience, script, 1);
        bool available = resilience.TryCheckAvailable(0, out var reason, out var detail);
        var refused = Assert.ThrowsAsync<ProviderUnavailableException>(() => resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFour, Is.EqualTo(TargetCircuitState.Closed));
            Assert.That(resilience.CircuitState, Is.EqualTo(TargetCircuitState.Open));
            Assert.That(resilience.CircuitTripCount, Is.EqualTo(1));
            Assert.That(resilience.CircuitOpenUntil, Is.EqualTo(time.GetUtcNow() + TimeSpan.FromSeconds(30)));
            Assert.That(available, Is.False);
            Assert.That(reason, Is.EqualTo(CandidateSkipReason.CircuitOpen));
            Assert.That(detail, Does.Contain("circuit is open until"));
            Assert.That(refused!.Message, Does.Contain("'primary' circuit is open until 00:00:30 UTC"));
            Assert.That(refused.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(refused.IsTransient, Is.True);
            Assert.That(TargetResilienceErrors.IsCircuitOpen(refused), Is.True);
            Assert.That(script.Calls, Is.EqualTo(5), "the refused call never reached the provider");
        }
    }

    [Test]
    public async Task After_the_break_a_single_probe_goes_through_and_its_success_closes_the_circuit()
    {
        var time = new ManualTimeProvider();
        var probeGate = new TaskCompletionSource();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable(), times: 5).ThenWait(probeGate.Task);
        var resilience = NoRetries(time);
        await FailTimes(resilience, script, 5);

        time.Advance(TimeSpan.FromSeconds(30));
        var stateAfterBreak = resilience.CircuitState;
        bool availableBeforeProbe = resilience.TryCheckAvailable(0, out _, out _);
        var probe = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        bool availableDuringProbe = resilience.TryCheckAvailable(0, out var reason, out var detail);
        var second = Assert.ThrowsAsync<ProviderUnavailableException>(() => resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None));
        probeGate.SetResult();
        await probe;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stateAfterBreak, Is.EqualTo(TargetCircuitState.HalfOpen));
            Assert.That(availableBeforeProbe, Is.True);
            Assert.That(availableDuringProbe, Is.False);
            Assert.That(reason, Is.EqualTo(CandidateSkipReason.CircuitOpen));
            Assert.That(detail, Does.Contain("probe"));
            Assert.That(second!.Message, Does.Contain("probe"));
            Assert.That(resilience.CircuitState, Is.EqualTo(TargetCircuitState.Closed));
            Assert.That(script.Calls, Is.EqualTo(6), "only the probe reached the provider");
            Assert.That(resilience.TryCheckAvailable(0, out _, out _), Is.True);
        }
    }

    [Test]
    public async Task A_failed_probe_reopens_the_circuit_for_a_longer_break_until_a_probe_succeeds()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable(), times: 7);
        var resilience = NoRetries(time);
        await FailTimes(resilience, script, 5);

        time.Advance(TimeSpan.FromSeconds(30));
        await FailTimes(resilience, script, 1); // probe 1 fails: 60 s
        var secondBreak = resilience.LastBreakDuration;
        time.Advance(TimeSpan.FromSeconds(59));
        var at59 = resilience.CircuitState;
        time.Advance(TimeSpan.FromSeconds(1));
        var at60 = resilience.CircuitState;
        await FailTimes(resilience, script, 1); // probe 2 fails: 120 s
        var thirdBreak = resilience.LastBreakDuration;
        time.Advance(TimeSpan.FromSeconds(120));
        string answer = await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None); // probe 3 succeeds

        using (Assert.EnterMultipleScope())
        {
            Assert.That(secondBreak, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(at59, Is.EqualTo(TargetCircuitState.Open));
            Assert.That(at60, Is.EqualTo(TargetCircuitState.HalfOpen));
            Assert.That(thirdBreak, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(resilience.CircuitTripCount, Is.EqualTo(3));
            Assert.That(answer, Is.EqualTo("answer 8"));
            Assert.That(resilience.CircuitState, Is.EqualTo(TargetCircuitState.Closed));
        }
    }

    [Test]
    public async Task The_break_stops_growing_at_MaxBreakDuration_and_resets_after_a_successful_close()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable(), times: 4).ThenFail(Unavailable(), times: 100);
        var resilience = NoRetries(time, o =>
        {
            o.CircuitBreaker.FailureThreshold = 1;
            o.CircuitBreaker.MaxBreakDuration = TimeSpan.FromSeconds(100);
        });
        await FailTimes(resilience, script, 1); // 30 s
        for (int i = 0; i < 3; i++)
        {
            time.Advance(resilience.LastBreakDuration);
            await FailTimes(resilience, script, 1); // 60, 100 (capped), 100
        }

        var capped = resilience.LastBreakDuration;
        time.Advance(capped);
        var closing = new ScriptedAttempt(time);
        await resilience.ExecuteAsync(closing.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        await FailTimes(resilience, script, 1);

        Assert.That((capped, resilience.LastBreakDuration), Is.EqualTo((TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(30))));
    }

    [TestCase(LlmErrorKind.InvalidRequest)]
    [TestCase(LlmErrorKind.ContentFiltered)]
    [TestCase(LlmErrorKind.ContextLengthExceeded)]
    [TestCase(LlmErrorKind.ModelNotFound)]
    public async Task Failures_that_are_not_the_providers_fault_never_open_it(LlmErrorKind kind)
    {
        var time = new ManualTimeProvider();
        LlmProviderException error = kind switch
        {
            LlmErrorKind.InvalidRequest => Invalid(),
            LlmErrorKind.ContentFiltered => new ContentFilteredException("filtered"),
            LlmErrorKind.ContextLengthExceeded => new ContextLengthExceededException("too long"),
            _ => new ModelNotFoundException("no such model"),
        };
        var script = new ScriptedAttempt(time).ThenFail(error, times: 20);
        var resilience = NoRetries(time);

        await FailTimes(resilience, script, 20);

        Assert.That((resilience.CircuitState, resilience.ConsecutiveFailures), Is.EqualTo((TargetCircuitState.Closed, 0)));
    }

    [TestCase(LlmErrorKind.Authentication)]
    [TestCase(LlmErrorKind.Timeout)]
    [TestCase(LlmErrorKind.MalformedResponse)]
    [TestCase(LlmErrorKind.RateLimited)]
    [TestCase(LlmErrorKind.Overloaded)]
    public async Task Failures_that_are_the_providers_fault_open_it(LlmErrorKind kind)
    {
        var time = new ManualTimeProvider();
        LlmProviderException error = kind switch
        {
            LlmErrorKind.Authentication => new ProviderAuthenticationException("401"),
            LlmErrorKind.Timeout => new ProviderTimeoutException("slow"),
            LlmErrorKind.MalformedResponse => new MalformedResponseException("html"),
            LlmErrorKind.RateLimited => RateLimited(),
            _ => Overloaded(),
        };
        var script = new ScriptedAttempt(time).ThenFail(error, times: 5);
        var resilience = NoRetries(time, o => o.RateLimit.AdaptiveBackoffThreshold = 0);

        await FailTimes(resilience, script, 5);

        Assert.That(resilience.CircuitState, Is.EqualTo(TargetCircuitState.Open));
    }

    [Test]
    public async Task Caller_cancellations_do_not_count()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenHang(times: 10);
        var resilience = NoRetries(time, o => o.CircuitBreaker.FailureThreshold = 1);

        for (int i = 0; i < 10; i++)
        {
            using var cts = new CancellationTokenSource();
            var call = resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, cts.Token);
            await cts.CancelAsync();
            Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(resilience.CircuitState, Is.EqualTo(TargetCircuitState.Closed));
    }

    [Test]
    public async Task A_failure_ratio_over_the_sampling_window_opens_it_once_the_minimum_throughput_is_seen()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = NoRetries(time, o => o.CircuitBreaker.FailureThreshold = 100);
        async Task Call(bool fail)
        {
            if (fail)
            {
                script.ThenFail(Unavailable());
                await FailTimes(resilience, script, 1);
            }
            else
            {
                await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
            }
        }

        await Call(false);
        await Call(true);
        await Call(false);
        await Call(true); // 2 of 4: below the minimum throughput of 5
        var afterFour = resilience.CircuitState;
        await Call(true); // 3 of 5

        Assert.That((afterFour, resilience.CircuitState), Is.EqualTo((TargetCircuitState.Closed, TargetCircuitState.Open)));
    }

    [Test]
    public async Task Failures_older_than_the_sampling_window_are_forgotten()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = NoRetries(time, o => o.CircuitBreaker.FailureThreshold = 100);
        for (int i = 0; i < 4; i++)
        {
            script.ThenFail(Unavailable());
            await FailTimes(resilience, script, 1);
        }

        time.Advance(TimeSpan.FromSeconds(61));
        await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);
        script.ThenFail(Unavailable());
        await FailTimes(resilience, script, 1); // 1 of 2 in the window

        Assert.That(resilience.CircuitState, Is.EqualTo(TargetCircuitState.Closed));
    }

    [Test]
    public async Task Isolating_by_hand_refuses_until_closed_by_hand()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time);
        var resilience = NoRetries(time);

        resilience.IsolateCircuit();
        time.Advance(TimeSpan.FromHours(1));
        var isolated = resilience.CircuitState;
        var refused = Assert.ThrowsAsync<ProviderUnavailableException>(() => resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None));
        resilience.CloseCircuit();
        await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(isolated, Is.EqualTo(TargetCircuitState.Isolated));
            Assert.That(refused!.Message, Does.Contain("isolated"));
            Assert.That(script.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_retry_that_finds_the_circuit_open_stops_retrying()
    {
        var time = new ManualTimeProvider();
        var script = new ScriptedAttempt(time).ThenFail(Unavailable(), times: 10);
        var resilience = Create(time, o =>
        {
            o.Retry.MaxRetries = 5;
            o.CircuitBreaker.FailureThreshold = 2;
        }, jitter: 0);

        Assert.That(async () => await resilience.ExecuteAsync(script.Invoke, RequestPriority.Normal, 0, CancellationToken.None),
            Throws.InstanceOf<ProviderUnavailableException>().With.Message.Contains("circuit is open"));
        await Settle();
        Assert.That(script.Calls, Is.EqualTo(2));
    }
}
