namespace LlmProviders.Routing;

/// <summary>The names of the built-in strategies, as <see cref="IRoutingStrategy.Name"/> reports them (the configuration spelling).</summary>
internal static class RoutingStrategyNames
{
    public const string Priority = "priority";
    public const string RoundRobin = "round_robin";
    public const string WeightedRoundRobin = "weighted_round_robin";
    public const string LeastCost = "least_cost";
    public const string Latency = "latency";
    public const string LeastBusy = "least_busy";
    public const string LeastRecentlyUsed = "least_recently_used";
    public const string HealthBased = "health_based";
    public const string TokenLoad = "token_load";
    public const string Quality = "quality";
    public const string Balanced = "balanced";
    public const string LocalFirst = "local_first";
    public const string CapabilityMatch = "capability_match";
}
