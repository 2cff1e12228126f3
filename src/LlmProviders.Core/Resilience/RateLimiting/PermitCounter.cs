using System;
using System.Threading.RateLimiting;

namespace LlmProviders.Resilience;

/// <summary>
/// One per-minute limit (requests or tokens) of a quota, replenished by the quota's <see cref="TimeProvider"/> timer every
/// <see cref="Period"/>. Only the quota touches it, under the quota's lock.
/// </summary>
internal abstract class PermitCounter : IDisposable
{
    /// <summary>Gets how often <see cref="Replenish"/> must be called.</summary>
    public abstract TimeSpan Period { get; }

    /// <summary>Gets the most permits one acquisition can take.</summary>
    public abstract int Capacity { get; }

    /// <summary>Gets the permits available now.</summary>
    public abstract long Available { get; }

    /// <summary>Creates the counter for a per-minute limit.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="perMinute">The limit per minute.</param>
    /// <param name="burst">The token-bucket capacity, or <see langword="null"/> for <paramref name="perMinute"/>.</param>
    /// <returns>The counter.</returns>
    public static PermitCounter Create(TargetRateLimitAlgorithm algorithm, int perMinute, int? burst) => algorithm switch
    {
        TargetRateLimitAlgorithm.FixedWindow => new LibraryCounter(
            new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                QueueLimit = 0,
                AutoReplenishment = false,
                Window = TimeSpan.FromTicks(1), // the quota's timer replenishes; the limiter's own Stopwatch gate must never hold it back
            }),
            TimeSpan.FromMinutes(1),
            perMinute),
        TargetRateLimitAlgorithm.SlidingWindow => new LibraryCounter(
            new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                QueueLimit = 0,
                AutoReplenishment = false,
                SegmentsPerWindow = SlidingSegments,
                Window = TimeSpan.FromTicks(SlidingSegments),
            }),
            TimeSpan.FromMinutes(1) / SlidingSegments,
            perMinute),
        _ => new TokenBucketCounter(perMinute, burst ?? perMinute),
    };

    internal const int SlidingSegments = 6;

    /// <summary>Takes permits when that many are available.</summary>
    /// <param name="permits">How many (1 to <see cref="Capacity"/>).</param>
    /// <returns><see langword="true"/> when taken.</returns>
    public abstract bool TryTake(int permits);

    /// <summary>Adds the permits of one period.</summary>
    public abstract void Replenish();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the limiter.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>
    /// A fixed or sliding window of System.Threading.RateLimiting, with automatic replenishment off: the quota calls
    /// <see cref="ReplenishingRateLimiter.TryReplenish"/> on its <see cref="TimeProvider"/>, so tests drive it by hand.
    /// </summary>
    private sealed class LibraryCounter(ReplenishingRateLimiter limiter, TimeSpan period, int capacity) : PermitCounter
    {
        public override TimeSpan Period => period;

        public override int Capacity => capacity;

        public override long Available => limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;

        public override bool TryTake(int permits)
        {
            using var lease = limiter.AttemptAcquire(permits);
            return lease.IsAcquired;
        }

        public override void Replenish() => limiter.TryReplenish();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                limiter.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// A token bucket refilled by the quota's timer. Own, because System.Threading.RateLimiting's token bucket computes a
    /// manual refill from Stopwatch time, which a <see cref="TimeProvider"/> cannot move.
    /// </summary>
    private sealed class TokenBucketCounter : PermitCounter
    {
        private readonly int _perPeriod;
        private readonly TimeSpan _period;
        private readonly int _capacity;
        private long _tokens;

        public TokenBucketCounter(int perMinute, int capacity)
        {
            // Refill at most once a second; a slow limit (10 per minute) refills one permit every 6 s.
            _period = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1) / perMinute;
            _perPeriod = perMinute >= 60 ? (int)Math.Ceiling(perMinute / 60.0) : 1;
            _capacity = Math.Max(1, capacity);
            _tokens = _capacity;
        }

        public override TimeSpan Period => _period;

        public override int Capacity => _capacity;

        public override long Available => _tokens;

        public override bool TryTake(int permits)
        {
            if (_tokens < permits)
            {
                return false;
            }

            _tokens -= permits;
            return true;
        }

        public override void Replenish() => _tokens = Math.Min(_capacity, _tokens + _perPeriod);
    }
}
