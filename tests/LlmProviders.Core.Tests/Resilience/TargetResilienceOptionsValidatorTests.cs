using System;
using System.Threading;
using LlmProviders.Resilience;

namespace LlmProviders.Tests.Resilience;

public class TargetResilienceOptionsValidatorTests
{
    [Test]
    public void The_defaults_are_valid()
    {
        var result = TargetResilienceOptionsValidator.Instance.Validate("openai", new TargetResilienceOptions());

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void Each_invalid_option_is_named_with_its_path_and_the_fix()
    {
        var options = new TargetResilienceOptions { MaxConcurrency = 0, ConcurrencyQueueLimit = -1 };
        options.Retry.MaxRetries = -1;
        options.Retry.BackoffFactor = 0.5;
        options.Retry.MaxRetriesByKind[LlmErrorKind.RateLimited] = -2;
        options.CircuitBreaker.FailureRatio = 1.5;
        options.CircuitBreaker.MaxBreakDuration = TimeSpan.FromSeconds(1);
        options.RateLimit.RequestsPerMinute = 0;
        options.RateLimit.QuotaGroup = " ";
        options.Timeouts.IdleGap = TimeSpan.Zero;

        var result = TargetResilienceOptionsValidator.Instance.Validate("openai", options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures, Is.EquivalentTo(new[]
        {
            "Resilience of target 'openai': Retry.MaxRetries is -1; it must be between 0 (no retries) and 100, e.g. 2.",
            "Resilience of target 'openai': Retry.MaxRetriesByKind[RateLimited] is -2; it must be between 0 (never retry that kind) and 100.",
            "Resilience of target 'openai': Retry.BackoffFactor is 0.5; it must be between 1 (constant backoff) and 100, e.g. 2.",
            "Resilience of target 'openai': CircuitBreaker.FailureRatio is 1.5; it must be more than 0 and at most 1, e.g. 0.5.",
            "Resilience of target 'openai': CircuitBreaker.MaxBreakDuration (00:00:01) is less than CircuitBreaker.BreakDuration (00:00:30); raise it, e.g. 00:05:00.",
            "Resilience of target 'openai': RateLimit.RequestsPerMinute is 0; it must be 1 or more, or unset for no request limit.",
            "Resilience of target 'openai': RateLimit.QuotaGroup is blank; name the shared quota (e.g. the account) or leave it unset.",
            "Resilience of target 'openai': Timeouts.IdleGap is 00:00:00; it must be positive and at most 1 day (e.g. 00:00:30), Timeout.InfiniteTimeSpan to turn it off, or unset for the default.",
            "Resilience of target 'openai': MaxConcurrency is 0; it must be 1 or more, or unset for no limit.",
            "Resilience of target 'openai': ConcurrencyQueueLimit is -1; it must be 0 (never wait) or more, or unset for no limit.",
        }));
    }

    [Test]
    public void An_infinite_timeout_is_valid()
    {
        var options = new TargetResilienceOptions();
        options.Timeouts.Total = Timeout.InfiniteTimeSpan;

        Assert.That(TargetResilienceOptionsValidator.Instance.Validate("ollama", options).Succeeded, Is.True);
    }

    [Test]
    public void Missing_sections_are_reported_not_thrown()
    {
        var options = new TargetResilienceOptions { Retry = null!, Timeouts = null! };

        var result = TargetResilienceOptionsValidator.Instance.Validate(null, options);

        Assert.That(result.Failures, Has.Some.StartsWith("Resilience of target '(unnamed)': Retry is null"));
        Assert.That(result.Failures, Has.Some.Contains("Timeouts is null"));
    }
}
