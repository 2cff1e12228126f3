namespace LlmProviders.Resilience;

/// <summary>
/// The resilience of one router target — one provider registration, shared by every route that uses it (SPEC RS1–RS5).
/// </summary>
/// <remarks>
/// <para>Each call is wrapped, outermost first: total timeout → concurrency limit → rate limit (priority queue) →
/// retry { circuit breaker → attempt timeout → the call }. So retries do not take new rate-limit permits, a retry that
/// finds the circuit open fails at once, and the total timeout bounds the waits, every attempt and every retry delay.</para>
/// <para>Token accounting: a call takes its estimated tokens from the token limit when it starts; the router then reports
/// the tokens actually used, and the difference is settled by the next calls (they take more after an underestimate,
/// less after an overestimate).</para>
/// </remarks>
public sealed class TargetResilienceOptions
{
    /// <summary>Gets or sets the retries of a failed attempt on this target.</summary>
    /// <value>The default value is 2 retries of transient failures, backoff from 1 s by a factor of 2 with full jitter, server delays up to 30 s.</value>
    public TargetRetryOptions Retry { get; set; } = new();

    /// <summary>Gets or sets the circuit breaker of this target.</summary>
    /// <value>The default value opens after 5 failures in a row (or half of at least 5 calls within 60 s) for 30 s, doubling per further trip up to 5 min.</value>
    public TargetCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Gets or sets the client-side rate limits of this target (or of its quota group).</summary>
    /// <value>The default value has no per-minute limits (the provider's headers and adaptive backoff still apply).</value>
    public TargetRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Gets or sets the timeouts of this target.</summary>
    /// <value>The default value takes the cloud or local defaults (see <see cref="TargetTimeoutOptions"/>).</value>
    public TargetTimeoutOptions Timeouts { get; set; } = new();

    /// <summary>Gets or sets the most calls in flight on this target at once (SPEC RS5), or <see langword="null"/> for no limit.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxConcurrency { get; set; }

    /// <summary>Gets or sets how many calls may wait for a slot when <see cref="MaxConcurrency"/> calls are in flight (a further call is refused at once), or <see langword="null"/> for no limit (the total timeout still bounds the wait). Slots are handed out first come, first served; priority applies in the rate-limit queue.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? ConcurrencyQueueLimit { get; set; }
}
