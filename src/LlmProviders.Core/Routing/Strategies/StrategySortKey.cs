using System;
using System.Buffers;

namespace LlmProviders.Routing;

/// <summary>
/// The sort key of one candidate: up to three values compared in turn (lower first), then the candidate's position in the incoming
/// order, which makes every sort stable and the result deterministic.
/// </summary>
internal struct StrategySortKey : IComparable<StrategySortKey>
{
    /// <summary>The most candidates whose keys live on the stack; larger routes rent from <see cref="ArrayPool{T}"/>.</summary>
    internal const int StackLimit = 64;

    /// <summary>The most candidates sorted by insertion.</summary>
    internal const int InsertionSortLimit = 16;

    public double K1;
    public double K2;
    public double K3;
    public int Position;

    public StrategySortKey(double k1, double k2 = 0, double k3 = 0)
    {
        K1 = k1;
        K2 = k2;
        K3 = k3;
        Position = 0;
    }

    /// <summary>Sorts <paramref name="order"/> by <paramref name="keys"/> (ascending; positions make it stable).</summary>
    /// <param name="keys">The keys, one per entry of <paramref name="order"/>.</param>
    /// <param name="order">The candidates.</param>
    public static void Sort(Span<StrategySortKey> keys, Span<int> order)
    {
        if (keys.Length > InsertionSortLimit)
        {
            keys.Sort(order);
            return;
        }

        // Routes are short: an insertion sort beats the general sort's setup.
        for (int i = 1; i < keys.Length; i++)
        {
            var key = keys[i];
            int value = order[i];
            int j = i - 1;
            while (j >= 0 && keys[j].CompareTo(key) > 0)
            {
                keys[j + 1] = keys[j];
                order[j + 1] = order[j];
                j--;
            }

            keys[j + 1] = key;
            order[j + 1] = value;
        }
    }

    public readonly int CompareTo(StrategySortKey other)
    {
        int c = K1.CompareTo(other.K1);
        if (c != 0)
        {
            return c;
        }

        c = K2.CompareTo(other.K2);
        if (c != 0)
        {
            return c;
        }

        c = K3.CompareTo(other.K3);
        return c != 0 ? c : Position.CompareTo(other.Position);
    }
}

/// <summary>A strategy that orders candidates by a key computed for each, stably (ties keep the incoming order).</summary>
internal abstract class KeyedRoutingStrategy : IRoutingStrategy
{
    /// <inheritdoc />
    public abstract string Name { get; }

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
            var targets = context.Targets;
            long state = PrepareCall(in context, order);
            for (int i = 0; i < n; i++)
            {
                int index = order[i];
                var key = KeyOf(in context, targets[index], index, state);
                key.Position = i;
                keys[i] = key;
            }

            StrategySortKey.Sort(keys, order);
            AfterSort(in context, order, state);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<StrategySortKey>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Computes what the keys of one call share (e.g. the capabilities the request needs), once per call.</summary>
    /// <param name="context">The call.</param>
    /// <param name="order">The incoming order.</param>
    /// <returns>A value passed to <see cref="KeyOf"/> and <see cref="AfterSort"/>.</returns>
    protected virtual long PrepareCall(in RoutingStrategyContext context, ReadOnlySpan<int> order) => 0;

    /// <summary>Computes a candidate's key; lower goes first.</summary>
    /// <param name="context">The call.</param>
    /// <param name="target">The candidate.</param>
    /// <param name="index">The candidate's index in <see cref="RoutingStrategyContext.Targets"/>.</param>
    /// <param name="state">What <see cref="PrepareCall"/> returned.</param>
    /// <returns>The key (its position is filled in by the caller).</returns>
    protected abstract StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state);

    /// <summary>Adjusts the sorted order (e.g. an exploration pick).</summary>
    /// <param name="context">The call.</param>
    /// <param name="order">The sorted order.</param>
    /// <param name="state">What <see cref="PrepareCall"/> returned.</param>
    protected virtual void AfterSort(in RoutingStrategyContext context, Span<int> order, long state)
    {
    }
}
