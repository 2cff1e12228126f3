using System;
using System.Collections.Generic;

namespace LlmProviders.Health;

/// <summary>
/// Configures the health monitor (SPEC H1): how often each provider is checked, how long a check may take, how much history is
/// kept, and when a provider counts as degraded or unhealthy. Bindable from configuration (e.g. the <c>Health</c> section).
/// </summary>
public sealed class HealthMonitorOptions
{
    /// <summary>Gets or sets a value indicating whether providers are checked in the background.</summary>
    /// <value>The default value is <see langword="true"/>. When <see langword="false"/>, only traffic and <c>CheckNowAsync</c> feed the statuses.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the time between two checks of a provider (seed 001's <c>health_check_interval</c>).</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long one check may take before it counts as failed.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many check results are kept per provider (the uptime is computed over them).</summary>
    /// <value>The default value is 100.</value>
    public int HistorySize { get; set; } = 100;

    /// <summary>Gets or sets how many recent calls from real traffic the success rate and the average latency are computed over.</summary>
    /// <value>The default value is 100.</value>
    public int TrafficWindowSize { get; set; } = 100;

    /// <summary>Gets or sets how many calls the traffic window needs before its success rate can make a provider degraded.</summary>
    /// <value>The default value is 10.</value>
    public int MinimumTrafficSamples { get; set; } = 10;

    /// <summary>Gets or sets after how many consecutive failed calls from real traffic a provider is unhealthy.</summary>
    /// <value>The default value is 5.</value>
    public int UnhealthyAfterConsecutiveFailures { get; set; } = 5;

    /// <summary>Gets or sets the success rate (0 to 1) of real traffic below which a provider is degraded.</summary>
    /// <value>The default value is 0.9.</value>
    public double DegradedBelowSuccessRate { get; set; } = 0.9;

    /// <summary>Gets or sets the latency (of the last check, or the average of real traffic) above which a provider is degraded.</summary>
    /// <value>The default value is 10 seconds; <see langword="null"/> ignores latency.</value>
    public TimeSpan? DegradedAboveLatency { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets a value indicating whether the ASP.NET Core health check reports unhealthy as soon as one provider is
    /// unhealthy (instead of degraded while some other provider is still healthy).
    /// </summary>
    /// <value>The default value is <see langword="false"/>: unhealthy only when no provider is healthy.</value>
    public bool UnhealthyWhenAnyProviderIsUnhealthy { get; set; }

    /// <summary>Gets the per-provider overrides, keyed by registration name (e.g. <c>Providers:openai:Interval</c>).</summary>
    /// <value>The default value is an empty dictionary (ignoring case).</value>
    public IDictionary<string, ProviderHealthMonitorOptions> Providers { get; } =
        new Dictionary<string, ProviderHealthMonitorOptions>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Overrides the health monitor's settings for one provider (<see cref="HealthMonitorOptions.Providers"/>).</summary>
public sealed class ProviderHealthMonitorOptions
{
    /// <summary>Gets or sets a value indicating whether this provider is checked in the background.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="HealthMonitorOptions.Enabled"/> decides.</value>
    public bool? Enabled { get; set; }

    /// <summary>Gets or sets the time between two checks of this provider.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="HealthMonitorOptions.Interval"/>.</value>
    public TimeSpan? Interval { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the check sends a one-token chat completion instead of the provider's cheap
    /// check (model list or version endpoint). A completion is billed: use it only for providers without a cheap check.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ProbeWithCompletion { get; set; }

    /// <summary>Gets or sets the model the completion probe asks for (<see cref="ProbeWithCompletion"/>).</summary>
    /// <value>The default value is <see langword="null"/>: the provider's default model.</value>
    public string? ProbeModel { get; set; }
}
