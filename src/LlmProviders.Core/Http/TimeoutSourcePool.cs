using System;
using System.Threading;

namespace LlmProviders.Http;

/// <summary>
/// Reuses the <see cref="CancellationTokenSource"/>s (and their timers) of per-attempt timeouts, so that a call that ends
/// before its timeout allocates none. A source that fired, or was cancelled by the caller, is disposed, never reused.
/// Only sources on <see cref="TimeProvider.System"/> can be reset (<see cref="CancellationTokenSource.TryReset"/> cannot stop a
/// timer of another clock), so with a test clock every call gets a new source.
/// </summary>
/// <remarks>One pool per provider instance; it is safe to use from many threads at once. See <see cref="RequestTimeout"/>.</remarks>
public sealed class TimeoutSourcePool
{
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource?[] _items;

    /// <summary>Creates an empty pool whose sources run on <paramref name="time"/>.</summary>
    /// <param name="time">The clock the timeouts are measured on.</param>
    public TimeoutSourcePool(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _items = new CancellationTokenSource?[Math.Clamp(Environment.ProcessorCount * 2, 4, 32)];
    }

    /// <summary>Gets a source that cancels after <paramref name="timeout"/> on the pool's clock.</summary>
    /// <param name="timeout">The delay before the source cancels.</param>
    /// <returns>A source that is not cancelled yet; give it back with <see cref="Return"/>.</returns>
    public CancellationTokenSource Rent(TimeSpan timeout)
    {
        var items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            if (Volatile.Read(ref items[i]) is not null && Interlocked.Exchange(ref items[i], null) is { } pooled)
            {
                pooled.CancelAfter(timeout);
                return pooled;
            }
        }

        return new CancellationTokenSource(timeout, _time);
    }

    /// <summary>Gives a source back. Every registration on the caller's token that could cancel it must be disposed first.</summary>
    /// <param name="source">A source from <see cref="Rent"/>; it must not be used afterwards.</param>
    public void Return(CancellationTokenSource source)
    {
        ArgumentNullException.ThrowIfNull(source);

        // TryReset stops the timer and removes every registration; it fails once the source was cancelled.
        if (source.TryReset())
        {
            var items = _items;
            for (int i = 0; i < items.Length; i++)
            {
                if (Interlocked.CompareExchange(ref items[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
    }
}
