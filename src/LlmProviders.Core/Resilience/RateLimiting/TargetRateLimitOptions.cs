using System;

namespace LlmProviders.Resilience;

/// <summary>
/// The client-side rate limits of one target or of a shared quota group (SPEC RS3): requests and tokens per minute,
/// a queue where high-priority calls go first, the provider's <c>x-ratelimit-remaining-*</c> headers, and adaptive backoff
/// after consecutive 429s.
/// </summary>
public sealed class TargetRateLimitOptions
{
    /// <summary>Gets or sets the most requests per minute, or <see langword="null"/> for no request limit.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the most tokens per minute (each call takes its estimated tokens; see <see cref="TargetResilienceOptions"/> for how actual usage corrects it), or <see langword="null"/> for no token limit.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets or sets the most requests that may go at once after an idle spell (<see cref="TargetRateLimitAlgorithm.TokenBucket"/> only; the token bucket of a token limit scales with it).</summary>
    /// <value>The default value is <see langword="null"/>: the per-minute limit.</value>
    public int? Burst { get; set; }

    /// <summary>Gets or sets how the per-minute limits are counted.</summary>
    /// <value>The default value is <see cref="TargetRateLimitAlgorithm.TokenBucket"/>.</value>
    public TargetRateLimitAlgorithm Algorithm { get; set; } = TargetRateLimitAlgorithm.TokenBucket;

    /// <summary>
    /// Gets or sets the name of a quota shared with other registrations that use the same upstream key: they share one set of
    /// limiters, one queue and one header and backoff state. The first registration of the group sets the limits.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the target has its own quota.</value>
    public string? QuotaGroup { get; set; }

    /// <summary>Gets or sets how many calls may wait for a permit; further calls are refused at once.</summary>
    /// <value>The default value is 100. 0 refuses every call that finds no permit.</value>
    public int QueueLimit { get; set; } = 100;

    /// <summary>Gets or sets how long a call waits for a permit before it fails with a <see cref="RateLimitedException"/> (so the router fails over).</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how long a queued call waits before it counts one priority level higher (low → normal → high), so a
    /// low-priority call is never overtaken forever.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan PriorityAging { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how many 429s in a row from the provider start the adaptive cool-down; 0 turns it off.</summary>
    /// <value>The default value is 3.</value>
    public int AdaptiveBackoffThreshold { get; set; } = 3;

    /// <summary>Gets or sets the first adaptive cool-down (no calls to the quota); it doubles with each further 429 until a call succeeds.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan AdaptiveCoolDown { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the longest adaptive cool-down.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MaxAdaptiveCoolDown { get; set; } = TimeSpan.FromMinutes(1);
}
