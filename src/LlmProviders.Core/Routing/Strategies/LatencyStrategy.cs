using System;

namespace LlmProviders.Routing;

/// <summary>
/// Orders by expected latency for this request: time to first token plus the expected output over the output speed, from the
/// target's moving averages (the catalog's typical latency and speed until measured). Targets of unknown latency go last.
/// </summary>
/// <remarks>
/// <para>Cold start: a target with fewer than <see cref="LatencyStrategyOptions.ExplorationSamples"/> measurements is tried first, at
/// most that many times in all (one target per call, the first in the incoming order). After its picks it competes on what it has:
/// its measurements, else the catalog's figures, else it goes after the targets with a known latency.</para>
/// <para>With <see cref="LatencyStrategyOptions.ExplorationRate"/>, on that share of calls (when no cold-start pick was made) a random
/// other candidate goes first.</para>
/// </remarks>
internal sealed class LatencyStrategy : KeyedRoutingStrategy
{
    private const long NoExploration = -1;

    private readonly int _explorationSamples;
    private readonly double _explorationRate;
    private readonly Random _random;

    public LatencyStrategy(LatencyStrategyOptions options)
    {
        Alpha = options.Alpha;
        _explorationSamples = options.ExplorationSamples;
        _explorationRate = options.ExplorationRate;
        _random = options.Random ?? Random.Shared;
    }

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.Latency;

    /// <summary>Gets the smoothing factor the router gives its targets' moving averages.</summary>
    public double Alpha { get; }

    /// <summary>Estimates a target's latency for a call, in seconds.</summary>
    /// <param name="target">The target.</param>
    /// <param name="outputTokens">The output tokens to expect.</param>
    /// <returns>The estimate, or <see cref="double.NaN"/> when nothing is known.</returns>
    internal static double EstimateSeconds(RoutingTargetInfo target, int outputTokens)
    {
        var entry = target.CatalogEntry;
        double? typicalSpeed = entry?.TypicalTokensPerSecond is > 0 and var s ? s : null;
        if (target.LatencySamples > 0)
        {
            // A call that did not stream has no first-token time: its speed sample spans the whole call.
            double firstToken = target.TimeToFirstTokenEwma?.TotalSeconds ?? 0;
            double? speed = target.TokensPerSecondEwma is > 0 and var m ? m : typicalSpeed;
            return firstToken + (speed is { } v ? outputTokens / v : 0);
        }

        var typicalLatency = entry?.TypicalLatency;
        if (typicalLatency is null && typicalSpeed is null)
        {
            return double.NaN;
        }

        return (typicalLatency?.TotalSeconds ?? 0) + (typicalSpeed is { } t ? outputTokens / t : 0);
    }

    /// <inheritdoc />
    protected override long PrepareCall(in RoutingStrategyContext context, ReadOnlySpan<int> order)
    {
        if (_explorationSamples > 0)
        {
            var targets = context.Targets;
            for (int i = 0; i < order.Length; i++)
            {
                var target = targets[order[i]];
                if (target.LatencySamples < _explorationSamples && target.TryTakeExplorationPick(_explorationSamples))
                {
                    return order[i];
                }
            }
        }

        return NoExploration;
    }

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state)
    {
        if (index == state)
        {
            return new(-1);
        }

        double seconds = EstimateSeconds(target, context.EstimatedOutputTokens);
        return double.IsNaN(seconds) ? new(1) : new(0, seconds);
    }

    /// <inheritdoc />
    protected override void AfterSort(in RoutingStrategyContext context, Span<int> order, long state)
    {
        if (state != NoExploration || _explorationRate <= 0 || _random.NextDouble() >= _explorationRate)
        {
            return;
        }

        int position = 1 + _random.Next(order.Length - 1);
        int pick = order[position];
        order[..position].CopyTo(order[1..]);
        order[0] = pick;
    }
}
