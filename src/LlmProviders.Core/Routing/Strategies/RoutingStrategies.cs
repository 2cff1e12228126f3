using System;

namespace LlmProviders.Routing;

/// <summary>Creates the built-in routing strategies (SPEC RT3).</summary>
/// <remarks>
/// Strategies never drop a candidate, they only order; the router's filters run afterwards, before every attempt. Strategies with
/// state (round robin, weighted round robin, latency, balanced) are new instances; the others are shared.
/// </remarks>
public static class RoutingStrategies
{
    /// <summary>Orders by each target's <see cref="RoutingTargetInfo.Priority"/> (lower first), then the configured order.</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy Priority() => PriorityStrategy.Instance;

    /// <summary>Rotates the first candidate on every call; the others follow in ring order.</summary>
    /// <returns>A new strategy (with its own rotation).</returns>
    public static IRoutingStrategy RoundRobin() => new RoundRobinStrategy();

    /// <summary>
    /// Smooth weighted round robin (nginx's algorithm, deterministic): each target comes first in proportion to its
    /// <see cref="RoutingTargetInfo.Weight"/>, interleaved (weights 5, 1, 1 give a, a, b, a, c, a, a).
    /// </summary>
    /// <returns>A new strategy (with its own cycle).</returns>
    public static IRoutingStrategy WeightedRoundRobin() => new WeightedRoundRobinStrategy();

    /// <summary>Orders by this request's estimated cost on each target (prompt estimate in, expected output out), cheapest first; unknown costs last.</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy LeastCost() => LeastCostStrategy.Instance;

    /// <summary>Orders by expected latency (time to first token + output / speed), with cold-start exploration of new targets.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>A new strategy.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option and the fix.</exception>
    public static IRoutingStrategy Latency(LatencyStrategyOptions? options = null)
    {
        options ??= new LatencyStrategyOptions();
        RoutingStrategyOptionsValidation.ThrowIfInvalid(LatencyStrategyOptionsValidator.Instance.Validate(null, options), nameof(options));
        return new LatencyStrategy(options);
    }

    /// <summary>Orders by the attempts in flight on each target, fewest first.</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy LeastBusy() => LeastBusyStrategy.Instance;

    /// <summary>Orders never-used targets first, then the least recently used.</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy LeastRecentlyUsed() => LeastRecentlyUsedStrategy.Instance;

    /// <summary>Orders by health: open circuits last, then by health score (descending), then by consecutive failures (ascending).</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy HealthBased() => HealthBasedStrategy.Instance;

    /// <summary>Orders by the share of its tokens-per-minute quota each target used in the last minute (targets without a quota by tokens used).</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy TokenLoad() => TokenLoadStrategy.Instance;

    /// <summary>Orders by the catalog's quality score, highest first; unknown quality last.</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy Quality() => QualityStrategy.Instance;

    /// <summary>Orders by a weighted score of this request's cost, the quality score and the expected latency.</summary>
    /// <param name="options">The weights; <see langword="null"/> for the defaults (0.4, 0.4, 0.2).</param>
    /// <returns>A new strategy.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option and the fix.</exception>
    public static IRoutingStrategy Balanced(BalancedStrategyOptions? options = null)
    {
        options ??= new BalancedStrategyOptions();
        RoutingStrategyOptionsValidation.ThrowIfInvalid(BalancedStrategyOptionsValidator.Instance.Validate(null, options), nameof(options));
        return new BalancedStrategy(options);
    }

    /// <summary>Orders local targets (Ollama, vLLM, LocalAI) first, otherwise keeping the incoming order (<c>LLM_PREFER_LOCAL</c>).</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy LocalFirst() => LocalFirstStrategy.Instance;

    /// <summary>Orders the targets that cover what the request needs (required and implied capabilities) first, the fewest extra capabilities first.</summary>
    /// <returns>The strategy.</returns>
    public static IRoutingStrategy CapabilityMatch() => CapabilityMatchStrategy.Instance;

    /// <summary>Creates a built-in strategy with its default options.</summary>
    /// <param name="kind">The strategy.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static IRoutingStrategy Create(RoutingStrategyKind kind) => kind switch
    {
        RoutingStrategyKind.Priority => Priority(),
        RoutingStrategyKind.RoundRobin => RoundRobin(),
        RoutingStrategyKind.WeightedRoundRobin => WeightedRoundRobin(),
        RoutingStrategyKind.LeastCost => LeastCost(),
        RoutingStrategyKind.Latency => Latency(),
        RoutingStrategyKind.LeastBusy => LeastBusy(),
        RoutingStrategyKind.LeastRecentlyUsed => LeastRecentlyUsed(),
        RoutingStrategyKind.HealthBased => HealthBased(),
        RoutingStrategyKind.TokenLoad => TokenLoad(),
        RoutingStrategyKind.Quality => Quality(),
        RoutingStrategyKind.Balanced => Balanced(),
        RoutingStrategyKind.LocalFirst => LocalFirst(),
        RoutingStrategyKind.CapabilityMatch => CapabilityMatch(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown routing strategy; use one of the RoutingStrategyKind values."),
    };

    /// <summary>
    /// Parses a strategy name as configuration and the environment spell it (<c>LLM_ROUTING_STRATEGY</c>): case, underscores, hyphens
    /// and spaces are ignored, so <c>least_cost</c>, <c>LeastCost</c> and <c>least-cost</c> are the same. Aliases: <c>cost_optimized</c>,
    /// <c>cheapest</c> (least cost); <c>fastest</c>, <c>latency_optimized</c>, <c>performance_based</c> (latency); <c>least_connections</c>
    /// (least busy); <c>lru</c>; <c>health</c>; <c>quality_optimized</c>; <c>prefer_local</c>; <c>wrr</c>; <c>rr</c>.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="kind">The strategy, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryParse(string? name, out RoutingStrategyKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[64];
        int length = 0;
        foreach (char c in name)
        {
            if (c is '_' or '-' or ' ' or '.')
            {
                continue;
            }

            buffer[length++] = char.ToLowerInvariant(c);
        }

        RoutingStrategyKind? found = buffer[..length] switch
        {
            "priority" or "ordered" => RoutingStrategyKind.Priority,
            "roundrobin" or "rr" => RoutingStrategyKind.RoundRobin,
            "weightedroundrobin" or "weighted" or "wrr" => RoutingStrategyKind.WeightedRoundRobin,
            "leastcost" or "costoptimized" or "cost" or "cheapest" => RoutingStrategyKind.LeastCost,
            "latency" or "fastest" or "latencyoptimized" or "lowestlatency" or "performance" or "performancebased" => RoutingStrategyKind.Latency,
            "leastbusy" or "leastconnections" or "leastinflight" => RoutingStrategyKind.LeastBusy,
            "leastrecentlyused" or "lru" => RoutingStrategyKind.LeastRecentlyUsed,
            "healthbased" or "health" => RoutingStrategyKind.HealthBased,
            "tokenload" or "leasttokens" => RoutingStrategyKind.TokenLoad,
            "quality" or "qualityoptimized" or "highestquality" => RoutingStrategyKind.Quality,
            "balanced" => RoutingStrategyKind.Balanced,
            "localfirst" or "preferlocal" => RoutingStrategyKind.LocalFirst,
            "capabilitymatch" or "capability" => RoutingStrategyKind.CapabilityMatch,
            _ => null,
        };

        if (found is { } value)
        {
            kind = value;
            return true;
        }

        return false;
    }

    /// <summary>Gets the smoothing factor the router gives its targets' moving averages for a strategy.</summary>
    /// <param name="strategy">The route's strategy.</param>
    /// <returns>The latency strategy's <see cref="LatencyStrategyOptions.Alpha"/>, else the default 0.3.</returns>
    internal static double GetEwmaAlpha(IRoutingStrategy? strategy) =>
        strategy is LatencyStrategy latency ? latency.Alpha : RoutingTargetInfo.DefaultEwmaAlpha;
}
