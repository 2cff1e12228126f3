namespace LlmProviders.Routing;

/// <summary>The built-in routing strategies (SPEC RT3), for configuration (<c>LLM_ROUTING_STRATEGY</c>) and <see cref="RoutingStrategies.Create"/>.</summary>
public enum RoutingStrategyKind
{
    /// <summary>By each target's priority (lower first), then the configured order. Configuration: <c>priority</c>.</summary>
    Priority = 0,

    /// <summary>Rotates the first target on every call. Configuration: <c>round_robin</c>.</summary>
    RoundRobin,

    /// <summary>Smooth weighted round robin by each target's weight. Configuration: <c>weighted_round_robin</c>.</summary>
    WeightedRoundRobin,

    /// <summary>Cheapest for this request first. Configuration: <c>least_cost</c> or <c>cost_optimized</c>.</summary>
    LeastCost,

    /// <summary>Fastest expected answer first, from measured averages. Configuration: <c>latency</c>, <c>fastest</c> or <c>latency_optimized</c>.</summary>
    Latency,

    /// <summary>Fewest attempts in flight first. Configuration: <c>least_busy</c> or <c>least_connections</c>.</summary>
    LeastBusy,

    /// <summary>Least recently used first. Configuration: <c>least_recently_used</c> or <c>lru</c>.</summary>
    LeastRecentlyUsed,

    /// <summary>Healthiest first; open circuits last. Configuration: <c>health_based</c> or <c>health</c>.</summary>
    HealthBased,

    /// <summary>Lowest share of the tokens-per-minute quota used first. Configuration: <c>token_load</c>.</summary>
    TokenLoad,

    /// <summary>Highest catalog quality score first. Configuration: <c>quality</c> or <c>quality_optimized</c>.</summary>
    Quality,

    /// <summary>A weighted score of cost, quality and latency. Configuration: <c>balanced</c>.</summary>
    Balanced,

    /// <summary>Local targets first. Configuration: <c>local_first</c> or <c>prefer_local</c>.</summary>
    LocalFirst,

    /// <summary>Targets that cover the request's needs with the fewest extra capabilities first. Configuration: <c>capability_match</c>.</summary>
    CapabilityMatch,
}
