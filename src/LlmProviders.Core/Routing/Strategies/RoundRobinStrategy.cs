using System;
using System.Threading;

namespace LlmProviders.Routing;

/// <summary>Rotates the first candidate on every call; the others follow in ring order (a, b, c, then b, c, a, then c, a, b …).</summary>
internal sealed class RoundRobinStrategy : IRoutingStrategy
{
    private long _calls = -1;

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

        int start = (int)((ulong)Interlocked.Increment(ref _calls) % (ulong)n);
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
}
