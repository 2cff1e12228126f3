using System;

namespace LlmProviders.Routing;

/// <summary>Options of the latency strategy (<see cref="RoutingStrategies.Latency"/>).</summary>
public sealed class LatencyStrategyOptions
{
    /// <summary>
    /// Gets or sets the smoothing factor of the targets' moving averages (time to first token, tokens per second): the weight of the
    /// newest sample. Higher follows changes faster; lower is steadier. The router creates its targets with it
    /// (<see cref="RoutingTargetInfo.EwmaAlpha"/>).
    /// </summary>
    /// <value>The default value is 0.3. It must be greater than 0 and at most 1.</value>
    public double Alpha { get; set; } = RoutingTargetInfo.DefaultEwmaAlpha;

    /// <summary>
    /// Gets or sets how many measurements a new target needs before it competes on its numbers: until it has them it is tried
    /// first, at most this many times (not assumed fastest forever). 0 turns cold-start exploration off.
    /// </summary>
    /// <value>The default value is 3.</value>
    public int ExplorationSamples { get; set; } = 3;

    /// <summary>
    /// Gets or sets the share of calls (0 to 1) on which a random other candidate is tried first, so that a target measured as slow
    /// once gets a chance to show it recovered.
    /// </summary>
    /// <value>The default value is 0 (no random exploration); 0.05 explores on 5 % of calls.</value>
    public double ExplorationRate { get; set; }

    /// <summary>
    /// Gets or sets the random source of <see cref="ExplorationRate"/>. It is used from concurrent calls: give a thread-safe instance
    /// (a seeded <see cref="System.Random"/> only in single-threaded tests).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <see cref="System.Random.Shared"/>.</value>
    public Random? Random { get; set; }
}
