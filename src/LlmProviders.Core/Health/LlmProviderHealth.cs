using System;
using System.Collections.Generic;
using LlmProviders.Resilience;

namespace LlmProviders.Health;

/// <summary>
/// A snapshot of one provider's health (SPEC H1), from the health monitor's checks, real traffic and the circuit breaker.
/// </summary>
/// <remarks>
/// <para>The status follows these rules, first match wins:</para>
/// <list type="bullet">
/// <item><description><see cref="LlmHealthStatus.Unhealthy"/>: the circuit is open (or isolated), the last check failed (and no
/// call has succeeded since), or <see cref="HealthMonitorOptions.UnhealthyAfterConsecutiveFailures"/> calls failed in a row.</description></item>
/// <item><description><see cref="LlmHealthStatus.Degraded"/>: the circuit is half-open, the last check was degraded, the success
/// rate of recent traffic is below <see cref="HealthMonitorOptions.DegradedBelowSuccessRate"/>, or the latency is above
/// <see cref="HealthMonitorOptions.DegradedAboveLatency"/>.</description></item>
/// <item><description><see cref="LlmHealthStatus.Healthy"/> otherwise, including before anything is known (<see cref="HasData"/> is then false).</description></item>
/// </list>
/// </remarks>
public sealed class LlmProviderHealth
{
    /// <summary>Gets the provider's registration name.</summary>
    public required string ProviderName { get; init; }

    /// <summary>Gets the provider's kind (e.g. <c>openai</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the status.</summary>
    public LlmHealthStatus Status { get; init; }

    /// <summary>Gets why the provider has its status, in words.</summary>
    public string? Message { get; init; }

    /// <summary>Gets a value indicating whether anything is known yet (a check ran or traffic was seen).</summary>
    public bool HasData { get; init; }

    /// <summary>Gets when the last check ran, or <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastCheckedAt { get; init; }

    /// <summary>Gets the last check's status, or <see langword="null"/> before the first.</summary>
    public LlmHealthStatus? LastCheckStatus { get; init; }

    /// <summary>Gets how long the last check took, or <see langword="null"/> before the first.</summary>
    public TimeSpan? LastCheckLatency { get; init; }

    /// <summary>Gets the share (0 to 1) of the checks in <see cref="History"/> that found the provider up (healthy or degraded).</summary>
    public double? Uptime { get; init; }

    /// <summary>Gets the checks that failed in a row, up to the last one.</summary>
    public int ConsecutiveFailedChecks { get; init; }

    /// <summary>Gets the share (0 to 1) of recent calls from real traffic that succeeded, or <see langword="null"/> without traffic.</summary>
    public double? SuccessRate { get; init; }

    /// <summary>Gets the average latency of recent calls from real traffic, or <see langword="null"/> without traffic.</summary>
    public TimeSpan? AverageLatency { get; init; }

    /// <summary>Gets the calls from real traffic recorded since the start.</summary>
    public long Requests { get; init; }

    /// <summary>Gets the failed calls from real traffic recorded since the start (the caller's own errors are not counted).</summary>
    public long Failures { get; init; }

    /// <summary>Gets the calls from real traffic that failed in a row, up to the last one.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Gets the kind of the last failed call from real traffic, if any.</summary>
    public LlmErrorKind? LastErrorKind { get; init; }

    /// <summary>Gets the state of the provider's circuit breaker.</summary>
    public TargetCircuitState CircuitState { get; init; }

    /// <summary>Gets the latest check results, oldest first (at most <see cref="HealthMonitorOptions.HistorySize"/>).</summary>
    public IReadOnlyList<ProviderHealthResult> History { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{ProviderName}: {Status}{(Message is null ? string.Empty : " — " + Message)}";
}
