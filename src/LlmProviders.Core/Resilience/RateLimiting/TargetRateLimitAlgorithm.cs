namespace LlmProviders.Resilience;

/// <summary>How the per-minute limits of a target are counted (seed 002).</summary>
public enum TargetRateLimitAlgorithm
{
    /// <summary>A bucket of <see cref="TargetRateLimitOptions.Burst"/> permits refilled evenly over the minute: smooth, allows short bursts.</summary>
    TokenBucket = 0,

    /// <summary>The full allowance at the start of each minute.</summary>
    FixedWindow = 1,

    /// <summary>A minute that slides in six 10-second segments: no double allowance at a window edge.</summary>
    SlidingWindow = 2,
}
