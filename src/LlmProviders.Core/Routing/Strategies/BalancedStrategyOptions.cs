namespace LlmProviders.Routing;

/// <summary>
/// Options of the balanced strategy (<see cref="RoutingStrategies.Balanced"/>): how much cost, quality and latency weigh in its
/// score. Only the proportions matter; the weights must not be negative and must not all be zero.
/// </summary>
public sealed class BalancedStrategyOptions
{
    /// <summary>Gets or sets the weight of this request's estimated cost (cheaper is better).</summary>
    /// <value>The default value is 0.4.</value>
    public double CostWeight { get; set; } = 0.4;

    /// <summary>Gets or sets the weight of the catalog's quality score (higher is better).</summary>
    /// <value>The default value is 0.4.</value>
    public double QualityWeight { get; set; } = 0.4;

    /// <summary>Gets or sets the weight of the expected latency (the catalog's typical latency until measured, then the measured averages).</summary>
    /// <value>The default value is 0.2.</value>
    public double LatencyWeight { get; set; } = 0.2;
}
