using System;
using System.Threading;

namespace LlmProviders.Google;

/// <summary>
/// Reuses the <see cref="CancellationTokenSource"/>s (and their timers) of per-attempt timeouts, so that a call that ends
/// before its timeout allocates none. A source that fired, or was cancelled by the caller, is disposed, never reused.
/// Only sources on <see cref="TimeProvider.System"/> can be reset (<see cref="CancellationTokenSource.TryReset"/> cannot stop a
/// timer of another clock), so with a test clock every call gets a new source.
/// </summary>
internal sealed class TimeoutSourcePool
{
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource?[] _items;

    public TimeoutSourcePool(TimeProvider time)
    {
        _time = time;
        _items = new CancellationTokenSource?[Math.Clamp(Environment.ProcessorCount * 2, 4, 32)];
    }

    /// <summary>Gets a source that cancels after <paramref name="timeout"/> on the provider's clock.</summary>
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
    public void Return(CancellationTokenSource source)
    {
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
