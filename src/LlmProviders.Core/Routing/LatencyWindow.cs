using System;
using System.Threading;

namespace LlmProviders.Routing;

/// <summary>
/// The last <see cref="Size"/> latencies of a target, recorded lock-free, for percentiles (hedging's observed p95).
/// A reader racing a writer may see a slot from one call earlier or later; percentiles tolerate that.
/// </summary>
internal sealed class LatencyWindow
{
    /// <summary>The number of latencies kept.</summary>
    public const int Size = 128;

    private readonly long[] _ticks = new long[Size];
    private long _count;

    /// <summary>Gets how many latencies were ever recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Records one latency.</summary>
    /// <param name="latency">The latency.</param>
    public void Record(TimeSpan latency)
    {
        long n = Interlocked.Increment(ref _count) - 1;
        Volatile.Write(ref _ticks[(int)(n % Size)], latency.Ticks);
    }

    /// <summary>Gets a percentile (nearest rank) of the kept latencies.</summary>
    /// <param name="percentile">The percentile, from 0 to 100.</param>
    /// <returns>The latency, or <see langword="null"/> when nothing was recorded.</returns>
    public TimeSpan? GetPercentile(double percentile)
    {
        int n = (int)Math.Min(Count, Size);
        if (n == 0)
        {
            return null;
        }

        Span<long> copy = stackalloc long[Size];
        copy = copy[..n];
        for (int i = 0; i < n; i++)
        {
            copy[i] = Volatile.Read(ref _ticks[i]);
        }

        copy.Sort();
        int rank = (int)Math.Ceiling(percentile / 100d * n);
        return TimeSpan.FromTicks(copy[Math.Clamp(rank, 1, n) - 1]);
    }
}
