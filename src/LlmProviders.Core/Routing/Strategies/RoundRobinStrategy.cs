using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace LlmProviders.Routing;

/// <summary>Rotates the first candidate on every call; the others follow in ring order (a, b, c, then b, c, a, then c, a, b …).</summary>
/// <remarks>
/// The rotation is kept per target list (one per route), so routes sharing the strategy do not skew each other's rotation; each call
/// takes its turn with one <see cref="Interlocked.Increment(ref long)"/>.
/// </remarks>
internal sealed class RoundRobinStrategy : IRoutingStrategy
{
    private readonly ConditionalWeakTable<IReadOnlyList<RoutingTargetInfo>, Rotation> _rotations = new();

    /// <inheritdoc />
    public string Name => RoutingStrategyNames.RoundRobin;

    /// <inheritdoc />
    public void Order(in RoutingStrategyContext context, Span<int> order)
    {
        int n = order.Length;
        if (n <= 1)
        {
            return;
        }

        var rotation = _rotations.GetValue(context.Targets, static _ => new Rotation());
        int start = (int)((ulong)Interlocked.Increment(ref rotation.Calls) % (ulong)n);
        RotateLeft(order, start);
    }

    /// <summary>Rotates a span left in place: element <paramref name="count"/> becomes the first.</summary>
    /// <param name="span">The span.</param>
    /// <param name="count">How far to rotate.</param>
    internal static void RotateLeft(Span<int> span, int count)
    {
        if (count == 0)
        {
            return;
        }

        span[..count].Reverse();
        span[count..].Reverse();
        span.Reverse();
    }

    /// <summary>The calls a target list has taken.</summary>
    private sealed class Rotation
    {
        public long Calls = -1;
    }
}
