using System;

namespace LlmProviders.Resilience;

/// <summary>
/// When one target's circuit opens, for how long, and how it closes again (SPEC RS2). Thresholds suit LLM request rates
/// (a few calls a minute), not the 100-call minimum of general-purpose breakers.
/// </summary>
public sealed class TargetCircuitBreakerOptions
{
    /// <summary>Gets or sets a value indicating whether the target has a circuit breaker.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how many failures in a row open the circuit (seed 001 <c>max_failures</c>).</summary>
    /// <value>The default value is 5.</value>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>Gets or sets the share of failed calls within <see cref="SamplingDuration"/> that opens the circuit, once at least <see cref="MinimumThroughput"/> calls were seen.</summary>
    /// <value>The default value is 0.5. 1 opens only when every sampled call failed.</value>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the window over which <see cref="FailureRatio"/> is measured.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the fewest calls within <see cref="SamplingDuration"/> before <see cref="FailureRatio"/> can open the circuit.</summary>
    /// <value>The default value is 5.</value>
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>Gets or sets how long the circuit stays open after its first trip (seed 001 <c>recovery_timeout</c>); then one probe call is let through.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the factor each further trip (a failed probe) multiplies the break by, until a probe succeeds and the circuit closes.</summary>
    /// <value>The default value is 2 (30 s, 1 min, 2 min …).</value>
    public double BreakDurationMultiplier { get; set; } = 2;

    /// <summary>Gets or sets the longest break, however many trips in a row.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan MaxBreakDuration { get; set; } = TimeSpan.FromMinutes(5);
}
