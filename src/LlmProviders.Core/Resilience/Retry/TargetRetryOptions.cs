using System;
using System.Collections.Generic;

namespace LlmProviders.Resilience;

/// <summary>
/// How one target retries a failed attempt before the router fails over (SPEC RS1): exponential backoff with full jitter,
/// only transient failures, server delays (<c>Retry-After</c>) waited exactly up to <see cref="MaxServerDelay"/>.
/// </summary>
public sealed class TargetRetryOptions
{
    /// <summary>Gets or sets how many times a transient failure is retried on the same target (attempts = retries + 1), unless <see cref="MaxRetriesByKind"/> says otherwise for its kind.</summary>
    /// <value>The default value is 2 (seed 001 <c>max_attempts</c> 3). 0 turns retries off.</value>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Gets the retry count per kind of failure, overriding <see cref="MaxRetries"/> (e.g. 4 for <see cref="LlmErrorKind.RateLimited"/>, 0 for <see cref="LlmErrorKind.Timeout"/>).</summary>
    /// <value>The default value is empty. Kinds that are not transient are never retried, whatever this says.</value>
    public IDictionary<LlmErrorKind, int> MaxRetriesByKind { get; } = new Dictionary<LlmErrorKind, int>();

    /// <summary>Gets or sets the backoff before the first retry, before jitter.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the factor the backoff grows by per retry: retry n waits a random delay between 0 and <c>BaseDelay × BackoffFactor^(n-1)</c>, capped at <see cref="MaxDelay"/>.</summary>
    /// <value>The default value is 2 (seed 001 <c>backoff_factor</c>).</value>
    public double BackoffFactor { get; set; } = 2;

    /// <summary>Gets or sets the cap of the computed backoff (not of a server delay, see <see cref="MaxServerDelay"/>).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest server delay (<c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, <c>Retry-After</c>) waited on the same target.
    /// A longer one is not slept: the failure is thrown at once so the router fails over (see <see cref="TargetResilienceErrors.IsRetryDelayTooLong"/>).
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxServerDelay { get; set; } = TimeSpan.FromSeconds(30);
}
