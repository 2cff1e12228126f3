using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace LlmProviders.Routing;

/// <summary>
/// Smooth weighted round robin (nginx's algorithm): over every cycle of calls each target comes first in proportion to its
/// <see cref="RoutingTargetInfo.Weight"/>, spread out rather than in bursts (weights 5, 1, 1 give a, a, b, a, c, a, a). The other
/// candidates keep their incoming order behind it.
/// </summary>
/// <remarks>
/// <para>Lock-free: the algorithm is deterministic and periodic (its period is the sum of the integer weights), so the cycle is
/// computed once per target list and each call takes the next slot with one <see cref="Interlocked.Increment(ref long)"/>. Concurrent
/// calls therefore share out a cycle exactly as sequential ones would.</para>
/// <para>Fractional weights are scaled to integers (0.5, 0.3, 0.2 become 5, 3, 2); a cycle longer than 65,536 calls is scaled down.
/// The cycle is cached per target list and rebuilt when the list's size or weights change.</para>
/// </remarks>
internal sealed class WeightedRoundRobinStrategy : IRoutingStrategy
{
    /// <summary>The longest cycle kept; larger weight sums are scaled down to it.</summary>
    internal const int MaxCycle = 1 << 16;

    private readonly ConditionalWeakTable<IReadOnlyList<RoutingTargetInfo>, Cycle> _cycles = new();

    /// <inheritdoc />
    public string Name => RoutingStrategyNames.WeightedRoundRobin;

    /// <inheritdoc />
    public void Order(in RoutingStrategyContext context, Span<int> order)
    {
        int n = order.Length;
        if (n <= 1)
        {
            return;
        }

        var targets = context.Targets;
        // GetValue is atomic: callers racing on a new target list share one cycle (two cycles would each start at round 0
        // and skew the sequence). Only weights changed at run time replace it.
        var cycle = _cycles.GetValue(targets, static t => new Cycle(t));
        if (!cycle.Matches(targets))
        {
            cycle = new Cycle(targets);
            _cycles.AddOrUpdate(targets, cycle);
        }

        int pick = cycle.Next();
        int position = order.IndexOf(pick);
        if (position > 0)
        {
            order[..position].CopyTo(order[1..]);
            order[0] = pick;
        }
    }

    /// <summary>Computes integer weights in the same proportions as the targets' weights.</summary>
    /// <param name="targets">The targets.</param>
    /// <returns>The integer weights, each at least 1, summing to at most <see cref="MaxCycle"/>.</returns>
    internal static int[] IntegerWeights(IReadOnlyList<RoutingTargetInfo> targets)
    {
        const double LargestExact = 1e15;
        int n = targets.Count;
        double scale = 1000;
        for (double s = 1; s <= 1000; s *= 10)
        {
            bool exact = true;
            for (int i = 0; i < n && exact; i++)
            {
                double scaled = targets[i].Weight * s;
                exact = scaled < LargestExact && Math.Abs(scaled - Math.Round(scaled)) < 1e-9 * Math.Max(1, scaled);
            }

            if (exact)
            {
                scale = s;
                break;
            }
        }

        var values = new long[n];
        long gcd = 0;
        for (int i = 0; i < n; i++)
        {
            values[i] = (long)Math.Clamp(Math.Round(targets[i].Weight * scale), 1, LargestExact);
            gcd = Gcd(gcd, values[i]);
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            values[i] /= gcd;
            sum += values[i];
        }

        double shrink = sum > MaxCycle ? MaxCycle / sum : 1;
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = (int)Math.Max(1, Math.Round(values[i] * shrink));
        }

        return result;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    /// <summary>One cycle of the smooth weighted round robin over a target list, and the calls taken from it.</summary>
    private sealed class Cycle
    {
        private readonly double[] _weights;
        private readonly int[] _picks;
        private long _calls = -1;

        public Cycle(IReadOnlyList<RoutingTargetInfo> targets)
        {
            int n = targets.Count;
            _weights = new double[n];
            for (int i = 0; i < n; i++)
            {
                _weights[i] = targets[i].Weight;
            }

            var weights = IntegerWeights(targets);
            int total = 0;
            foreach (int w in weights)
            {
                total += w;
            }

            // nginx: every round each target's current weight grows by its weight; the largest (first on ties) is picked and
            // loses the total. After `total` rounds every current weight is back at zero, so the sequence repeats.
            _picks = new int[total];
            var current = new long[n];
            for (int round = 0; round < total; round++)
            {
                int best = 0;
                for (int i = 0; i < n; i++)
                {
                    current[i] += weights[i];
                    if (current[i] > current[best])
                    {
                        best = i;
                    }
                }

                current[best] -= total;
                _picks[round] = best;
            }
        }

        public bool Matches(IReadOnlyList<RoutingTargetInfo> targets)
        {
            if (targets.Count != _weights.Length)
            {
                return false;
            }

            for (int i = 0; i < _weights.Length; i++)
            {
                if (targets[i].Weight != _weights[i])
                {
                    return false;
                }
            }

            return true;
        }

        public int Next() => _picks[(int)((ulong)Interlocked.Increment(ref _calls) % (ulong)_picks.Length)];
    }
}
