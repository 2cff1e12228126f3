using System;
using System.Buffers;

namespace LlmProviders.Routing;

/// <summary>
/// Orders by a weighted score of this request's estimated cost, the catalog's quality score and the expected latency (the catalog's
/// typical latency until measured, then the measured averages); lowest score first, ties keep the incoming order.
/// </summary>
/// <remarks>
/// Each value is normalized min–max over the candidates (best 0, worst 1; all equal gives 0); an unknown value counts as the worst (1).
/// </remarks>
internal sealed class BalancedStrategy : IRoutingStrategy
{
    private readonly double _costWeight;
    private readonly double _qualityWeight;
    private readonly double _latencyWeight;

    public BalancedStrategy(BalancedStrategyOptions options)
    {
        double sum = options.CostWeight + options.QualityWeight + options.LatencyWeight;
        _costWeight = options.CostWeight / sum;
        _qualityWeight = options.QualityWeight / sum;
        _latencyWeight = options.LatencyWeight / sum;
    }

    /// <inheritdoc />
    public string Name => RoutingStrategyNames.Balanced;

    /// <inheritdoc />
    public void Order(in RoutingStrategyContext context, Span<int> order)
    {
        int n = order.Length;
        if (n <= 1)
        {
            return;
        }

        StrategySortKey[]? rented = null;
        Span<StrategySortKey> keys = n <= StrategySortKey.StackLimit
            ? stackalloc StrategySortKey[n]
            : (rented = ArrayPool<StrategySortKey>.Shared.Rent(n));
        keys = keys[..n];
        try
        {
            // First pass: the raw values (NaN = unknown) in K1 = cost, K2 = quality, K3 = latency.
            var targets = context.Targets;
            var cost = new Range();
            var quality = new Range();
            var latency = new Range();
            for (int i = 0; i < n; i++)
            {
                int index = order[i];
                var target = targets[index];
                double c = _costWeight > 0 && context.EstimateCost(index) is { } estimate ? (double)estimate : double.NaN;
                double q = _qualityWeight > 0 && target.CatalogEntry?.QualityScore is { } score ? score : double.NaN;
                double l = _latencyWeight > 0 ? LatencyStrategy.EstimateSeconds(target, context.EstimatedOutputTokens) : double.NaN;
                cost.Add(c);
                quality.Add(q);
                latency.Add(l);
                keys[i] = new StrategySortKey(c, q, l) { Position = i };
            }

            // Second pass: the score (lower is better).
            for (int i = 0; i < n; i++)
            {
                ref var key = ref keys[i];
                double score = (_costWeight * cost.Badness(key.K1, lowerIsBetter: true))
                    + (_qualityWeight * quality.Badness(key.K2, lowerIsBetter: false))
                    + (_latencyWeight * latency.Badness(key.K3, lowerIsBetter: true));
                key.K1 = score;
                key.K2 = 0;
                key.K3 = 0;
            }

            StrategySortKey.Sort(keys, order);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<StrategySortKey>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The smallest and largest known value of one criterion.</summary>
    private struct Range
    {
        private double _min;
        private double _max;
        private bool _any;

        public void Add(double value)
        {
            if (double.IsNaN(value))
            {
                return;
            }

            if (!_any)
            {
                _min = _max = value;
                _any = true;
                return;
            }

            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
        }

        /// <summary>Normalizes a value to 0 (the best candidate) … 1 (the worst, or unknown).</summary>
        public readonly double Badness(double value, bool lowerIsBetter)
        {
            if (double.IsNaN(value))
            {
                return 1;
            }

            double span = _max - _min;
            if (!(span > 0))
            {
                return 0;
            }

            return lowerIsBetter ? (value - _min) / span : (_max - value) / span;
        }
    }
}
