using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.Extensions.Options;

namespace LlmProviders.Resilience;

/// <summary>Validates <see cref="TargetResilienceOptions"/>: each failure names the target, the option path and the fix.</summary>
internal sealed class TargetResilienceOptionsValidator : IValidateOptions<TargetResilienceOptions>
{
    // Timers and delays accept at most about 49 days; a day is more than any LLM call needs.
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>Gets the shared instance.</summary>
    public static TargetResilienceOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TargetResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string prefix = $"Resilience of target '{(string.IsNullOrEmpty(name) ? "(unnamed)" : name)}': ";
        List<string>? failures = null;
        void Fail(string message) => (failures ??= []).Add(prefix + message);

        if (options.Retry is not { } retry)
        {
            Fail("Retry is null; leave it at its default (new TargetRetryOptions()) or set MaxRetries = 0 to turn retries off.");
        }
        else
        {
            if (retry.MaxRetries is < 0 or > 100)
            {
                Fail(Invariant($"Retry.MaxRetries is {retry.MaxRetries}; it must be between 0 (no retries) and 100, e.g. 2."));
            }

            foreach (var pair in retry.MaxRetriesByKind)
            {
                if (pair.Value is < 0 or > 100)
                {
                    Fail(Invariant($"Retry.MaxRetriesByKind[{pair.Key}] is {pair.Value}; it must be between 0 (never retry that kind) and 100."));
                }
            }

            if (retry.BaseDelay < TimeSpan.Zero)
            {
                Fail($"Retry.BaseDelay is {retry.BaseDelay}; it must not be negative, e.g. 00:00:01.");
            }

            if (!(retry.BackoffFactor >= 1 && retry.BackoffFactor <= 100))
            {
                Fail(Invariant($"Retry.BackoffFactor is {retry.BackoffFactor}; it must be between 1 (constant backoff) and 100, e.g. 2."));
            }

            if (retry.MaxDelay < retry.BaseDelay)
            {
                Fail($"Retry.MaxDelay ({retry.MaxDelay}) is less than Retry.BaseDelay ({retry.BaseDelay}); raise MaxDelay, e.g. 00:00:30.");
            }

            if (retry.MaxServerDelay < TimeSpan.Zero || retry.MaxServerDelay > MaxWait)
            {
                Fail($"Retry.MaxServerDelay is {retry.MaxServerDelay}; it must be between 0 (fail over on any Retry-After) and 1 day, e.g. 00:00:30.");
            }

            if (retry.MaxDelay > MaxWait)
            {
                Fail($"Retry.MaxDelay is {retry.MaxDelay}; it must be at most 1 day, e.g. 00:00:30.");
            }
        }

        if (options.CircuitBreaker is not { } cb)
        {
            Fail("CircuitBreaker is null; leave it at its default or set CircuitBreaker.Enabled = false.");
        }
        else if (cb.Enabled)
        {
            if (cb.FailureThreshold < 1)
            {
                Fail(Invariant($"CircuitBreaker.FailureThreshold is {cb.FailureThreshold}; it must be 1 or more (failures in a row that open the circuit), e.g. 5."));
            }

            if (!(cb.FailureRatio > 0 && cb.FailureRatio <= 1))
            {
                Fail(Invariant($"CircuitBreaker.FailureRatio is {cb.FailureRatio}; it must be more than 0 and at most 1, e.g. 0.5."));
            }

            if (cb.SamplingDuration < TimeSpan.FromSeconds(1))
            {
                Fail($"CircuitBreaker.SamplingDuration is {cb.SamplingDuration}; it must be at least 1 second, e.g. 00:01:00.");
            }

            if (cb.MinimumThroughput < 1)
            {
                Fail(Invariant($"CircuitBreaker.MinimumThroughput is {cb.MinimumThroughput}; it must be 1 or more, e.g. 5."));
            }

            if (cb.BreakDuration <= TimeSpan.Zero)
            {
                Fail($"CircuitBreaker.BreakDuration is {cb.BreakDuration}; it must be positive, e.g. 00:00:30.");
            }

            if (!(cb.BreakDurationMultiplier >= 1 && cb.BreakDurationMultiplier <= 100))
            {
                Fail(Invariant($"CircuitBreaker.BreakDurationMultiplier is {cb.BreakDurationMultiplier}; it must be between 1 (same break every trip) and 100, e.g. 2."));
            }

            if (cb.MaxBreakDuration < cb.BreakDuration)
            {
                Fail($"CircuitBreaker.MaxBreakDuration ({cb.MaxBreakDuration}) is less than CircuitBreaker.BreakDuration ({cb.BreakDuration}); raise it, e.g. 00:05:00.");
            }
        }

        if (options.RateLimit is not { } rl)
        {
            Fail("RateLimit is null; leave it at its default (no per-minute limits).");
        }
        else
        {
            if (rl.RequestsPerMinute is < 1)
            {
                Fail(Invariant($"RateLimit.RequestsPerMinute is {rl.RequestsPerMinute}; it must be 1 or more, or unset for no request limit."));
            }

            if (rl.TokensPerMinute is < 1)
            {
                Fail(Invariant($"RateLimit.TokensPerMinute is {rl.TokensPerMinute}; it must be 1 or more, or unset for no token limit."));
            }

            if (rl.Burst is < 1)
            {
                Fail(Invariant($"RateLimit.Burst is {rl.Burst}; it must be 1 or more, or unset for the per-minute limit."));
            }

            if (!Enum.IsDefined(rl.Algorithm))
            {
                Fail(Invariant($"RateLimit.Algorithm is {(int)rl.Algorithm}; use TokenBucket, FixedWindow or SlidingWindow."));
            }

            if (rl.QuotaGroup is { } group && string.IsNullOrWhiteSpace(group))
            {
                Fail("RateLimit.QuotaGroup is blank; name the shared quota (e.g. the account) or leave it unset.");
            }

            if (rl.QueueLimit < 0)
            {
                Fail(Invariant($"RateLimit.QueueLimit is {rl.QueueLimit}; it must be 0 (never wait) or more, e.g. 100."));
            }

            if (rl.MaxQueueWait < TimeSpan.Zero || rl.MaxQueueWait > MaxWait)
            {
                Fail($"RateLimit.MaxQueueWait is {rl.MaxQueueWait}; it must be between 0 (never wait) and 1 day, e.g. 00:00:10.");
            }

            if (rl.PriorityAging <= TimeSpan.Zero)
            {
                Fail($"RateLimit.PriorityAging is {rl.PriorityAging}; it must be positive, e.g. 00:00:05.");
            }

            if (rl.AdaptiveBackoffThreshold < 0)
            {
                Fail(Invariant($"RateLimit.AdaptiveBackoffThreshold is {rl.AdaptiveBackoffThreshold}; it must be 0 (off) or more, e.g. 3."));
            }

            if (rl.AdaptiveCoolDown < TimeSpan.Zero || rl.MaxAdaptiveCoolDown < rl.AdaptiveCoolDown)
            {
                Fail($"RateLimit.AdaptiveCoolDown ({rl.AdaptiveCoolDown}) must not be negative nor more than RateLimit.MaxAdaptiveCoolDown ({rl.MaxAdaptiveCoolDown}), e.g. 00:00:02 and 00:01:00.");
            }
        }

        if (options.Timeouts is not { } t)
        {
            Fail("Timeouts is null; leave it at its default (the cloud or local defaults).");
        }
        else
        {
            CheckTimeout(t.Attempt, "Attempt", "00:01:00", Fail);
            CheckTimeout(t.FirstChunk, "FirstChunk", "00:00:30", Fail);
            CheckTimeout(t.IdleGap, "IdleGap", "00:00:30", Fail);
            CheckTimeout(t.Total, "Total", "00:05:00", Fail);
        }

        if (options.MaxConcurrency is < 1)
        {
            Fail(Invariant($"MaxConcurrency is {options.MaxConcurrency}; it must be 1 or more, or unset for no limit."));
        }

        if (options.ConcurrencyQueueLimit is < 0)
        {
            Fail(Invariant($"ConcurrencyQueueLimit is {options.ConcurrencyQueueLimit}; it must be 0 (never wait) or more, or unset for no limit."));
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTimeout(TimeSpan? value, string name, string example, Action<string> fail)
    {
        if (value is { } v && (v <= TimeSpan.Zero || v > MaxWait) && v != Timeout.InfiniteTimeSpan)
        {
            fail($"Timeouts.{name} is {v}; it must be positive and at most 1 day (e.g. {example}), Timeout.InfiniteTimeSpan to turn it off, or unset for the default.");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
