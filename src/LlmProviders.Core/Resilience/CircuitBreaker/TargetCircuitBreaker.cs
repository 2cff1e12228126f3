using System;
using System.Globalization;
using System.Threading;

namespace LlmProviders.Resilience;

/// <summary>
/// The circuit breaker of one target (SPEC RS2). Own rather than Polly's: Polly's breaker has no consecutive-failure
/// threshold, turns half-open only when a call arrives (so a filter that never acquires would see it open forever),
/// does not expose whether the probe is in flight, and costs a pipeline per call.
/// </summary>
/// <remarks>
/// Lock-free on the hot path (a success while closed touches two counters with <see cref="Interlocked"/>); transitions take a lock.
/// Failures are counted in <see cref="BucketCount"/> time buckets spanning <see cref="TargetCircuitBreakerOptions.SamplingDuration"/>.
/// </remarks>
internal sealed class TargetCircuitBreaker
{
    internal const int BucketCount = 10;

    private const int StateClosed = (int)TargetCircuitState.Closed;
    private const int StateOpen = (int)TargetCircuitState.Open;
    private const int StateIsolated = (int)TargetCircuitState.Isolated;

    private readonly TargetCircuitBreakerOptions _options;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly long _bucketTicks;
    private readonly Bucket[] _buckets = new Bucket[BucketCount];

    private int _state; // Closed, Open or Isolated; HalfOpen is Open past its break
    private long _openUntilUtcTicks;
    private int _probeInFlight;
    private int _consecutiveFailures;
    private int _tripsInARow;
    private long _tripCount;
    private long _lastBreakTicks;
    private string? _lastFailure;

    public TargetCircuitBreaker(TargetCircuitBreakerOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _bucketTicks = Math.Max(1, options.SamplingDuration.Ticks / BucketCount);
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket();
        }
    }

    /// <summary>Gets the state as a reader sees it now (an open circuit past its break reads half-open).</summary>
    public TargetCircuitState State
    {
        get
        {
            int state = Volatile.Read(ref _state);
            if (state == StateOpen && _time.GetUtcNow().UtcTicks >= Volatile.Read(ref _openUntilUtcTicks))
            {
                return TargetCircuitState.HalfOpen;
            }

            return (TargetCircuitState)state;
        }
    }

    /// <summary>Gets when an open circuit lets its probe through, or <see langword="null"/> when closed or isolated.</summary>
    public DateTimeOffset? OpenUntil => Volatile.Read(ref _state) == StateOpen
        ? new DateTimeOffset(Volatile.Read(ref _openUntilUtcTicks), TimeSpan.Zero)
        : null;

    /// <summary>Gets how many times the circuit opened (including re-opens after a failed probe).</summary>
    public long TripCount => Interlocked.Read(ref _tripCount);

    /// <summary>Gets the length of the last break, or <see cref="TimeSpan.Zero"/> before the first trip.</summary>
    public TimeSpan LastBreakDuration => TimeSpan.FromTicks(Interlocked.Read(ref _lastBreakTicks));

    /// <summary>Gets a value indicating whether a half-open probe is running.</summary>
    public bool ProbeInFlight => Volatile.Read(ref _probeInFlight) != 0;

    /// <summary>Gets the failures in a row since the last success.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Whether a failure is the provider's fault and so counts toward opening the circuit.</summary>
    /// <param name="error">The failure.</param>
    /// <returns><see langword="true"/> for transient failures, authentication and permission, unavailability, timeouts, malformed answers, exhausted quotas and failures outside the library's taxonomy.</returns>
    public static bool CountsAsFailure(Exception error) => error switch
    {
        OperationCanceledException => false,
        LlmProviderException e => e.IsTransient || e.Kind is LlmErrorKind.Authentication or LlmErrorKind.PermissionDenied
            or LlmErrorKind.ProviderUnavailable or LlmErrorKind.Timeout or LlmErrorKind.MalformedResponse
            or LlmErrorKind.QuotaExhausted or LlmErrorKind.Unknown,
        _ => true,
    };

    /// <summary>Whether a call could pass now, without taking the probe slot (the RT4 filter).</summary>
    /// <param name="openUntil">When a refused call could pass.</param>
    /// <returns><see langword="false"/> when open, isolated, or half-open with the probe already in flight.</returns>
    public bool CanPass(out DateTimeOffset? openUntil)
    {
        openUntil = null;
        int state = Volatile.Read(ref _state);
        if (state == StateClosed)
        {
            return true;
        }

        if (state == StateIsolated)
        {
            return false;
        }

        long until = Volatile.Read(ref _openUntilUtcTicks);
        openUntil = new DateTimeOffset(until, TimeSpan.Zero);
        return _time.GetUtcNow().UtcTicks >= until && Volatile.Read(ref _probeInFlight) == 0;
    }

    /// <summary>Lets a call through or refuses it.</summary>
    /// <param name="isProbe">Whether the call is the half-open probe; pass it back to <see cref="OnSuccess"/>, <see cref="OnFailure"/> or <see cref="OnNoOutcome"/>.</param>
    /// <returns><see langword="true"/> when the call may go.</returns>
    public bool TryEnter(out bool isProbe)
    {
        isProbe = false;
        int state = Volatile.Read(ref _state);
        if (state == StateClosed)
        {
            return true;
        }

        if (state == StateIsolated || _time.GetUtcNow().UtcTicks < Volatile.Read(ref _openUntilUtcTicks))
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _probeInFlight, 1, 0) != 0)
        {
            return false;
        }

        // Re-check under the probe slot: the circuit may have closed (by hand) or been re-opened meanwhile.
        if (Volatile.Read(ref _state) != StateOpen)
        {
            Volatile.Write(ref _probeInFlight, 0);
            return Volatile.Read(ref _state) == StateClosed;
        }

        isProbe = true;
        return true;
    }

    /// <summary>Records a success.</summary>
    /// <param name="isProbe">Whether the call was the probe.</param>
    public void OnSuccess(bool isProbe)
    {
        if (isProbe)
        {
            lock (_lock)
            {
                ResetCounters();
                _tripsInARow = 0;
                Volatile.Write(ref _state, StateClosed);
                Volatile.Write(ref _probeInFlight, 0);
            }

            return;
        }

        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Interlocked.Exchange(ref _consecutiveFailures, 0);
        }

        Interlocked.Increment(ref CurrentBucket(_time.GetUtcNow().UtcTicks).Successes);
    }

    /// <summary>Records a failure; counts it when it is the provider's fault, and opens the circuit when a threshold is reached.</summary>
    /// <param name="isProbe">Whether the call was the probe.</param>
    /// <param name="error">The failure.</param>
    /// <returns><see langword="true"/> when this failure opened the circuit.</returns>
    public bool OnFailure(bool isProbe, Exception error)
    {
        if (!CountsAsFailure(error))
        {
            OnNoOutcome(isProbe);
            return false;
        }

        long now = _time.GetUtcNow().UtcTicks;
        if (isProbe)
        {
            lock (_lock)
            {
                Trip(now, error);
                Volatile.Write(ref _probeInFlight, 0);
            }

            return true;
        }

        int consecutive = Interlocked.Increment(ref _consecutiveFailures);
        var bucket = CurrentBucket(now);
        Interlocked.Increment(ref bucket.Failures);
        if (Volatile.Read(ref _state) != StateClosed)
        {
            return false;
        }

        bool trip = consecutive >= _options.FailureThreshold;
        if (!trip)
        {
            SumWindow(now, out long successes, out long failures);
            long total = successes + failures;
            trip = total >= _options.MinimumThroughput && failures >= _options.FailureRatio * total;
        }

        if (!trip)
        {
            return false;
        }

        lock (_lock)
        {
            if (_state != StateClosed)
            {
                return false;
            }

            Trip(now, error);
        }

        return true;
    }

    /// <summary>Records a call that ended without a verdict on the provider (caller cancellation, an invalid request): a probe gives its slot back and the circuit stays half-open.</summary>
    /// <param name="isProbe">Whether the call was the probe.</param>
    public void OnNoOutcome(bool isProbe)
    {
        if (isProbe)
        {
            Volatile.Write(ref _probeInFlight, 0);
        }
    }

    /// <summary>Opens the circuit by hand until <see cref="Close"/>.</summary>
    public void Isolate()
    {
        lock (_lock)
        {
            Volatile.Write(ref _state, StateIsolated);
        }
    }

    /// <summary>Closes the circuit by hand and forgets past failures.</summary>
    public void Close()
    {
        lock (_lock)
        {
            ResetCounters();
            _tripsInARow = 0;
            Volatile.Write(ref _state, StateClosed);
        }
    }

    /// <summary>Describes why a call was refused, for the exception and the decision trace.</summary>
    /// <param name="providerName">The target.</param>
    /// <param name="retryAfter">How long until a probe may pass, when known.</param>
    /// <returns>The description.</returns>
    public string Describe(string providerName, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        int state = Volatile.Read(ref _state);
        if (state == StateIsolated)
        {
            return $"'{providerName}' is isolated (its circuit was opened by hand); close it to use the target again.";
        }

        var until = new DateTimeOffset(Volatile.Read(ref _openUntilUtcTicks), TimeSpan.Zero);
        var now = _time.GetUtcNow();
        if (now >= until)
        {
            return $"'{providerName}' circuit is half-open and its probe call is still running; the router tries the next target.";
        }

        retryAfter = until - now;
        return string.Create(CultureInfo.InvariantCulture,
            $"'{providerName}' circuit is open until {until:HH:mm:ss} UTC (for {retryAfter.Value.TotalSeconds:0.#} s more) after {Volatile.Read(ref _consecutiveFailures)} failures in a row, the last: {_lastFailure ?? "unknown"}; the router tries the next target.");
    }

    // Under _lock.
    private void Trip(long nowTicks, Exception error)
    {
        double factor = Math.Pow(_options.BreakDurationMultiplier, _tripsInARow);
        double ticks = Math.Min(_options.BreakDuration.Ticks * factor, _options.MaxBreakDuration.Ticks);
        long breakTicks = Math.Max(0, (long)ticks);
        _tripsInARow++;
        _lastFailure = error is LlmProviderException e ? e.Kind.ToString() : error.GetType().Name;
        Interlocked.Exchange(ref _lastBreakTicks, breakTicks);
        Interlocked.Increment(ref _tripCount);
        Volatile.Write(ref _openUntilUtcTicks, nowTicks + breakTicks);
        Volatile.Write(ref _state, StateOpen);
    }

    // Under _lock.
    private void ResetCounters()
    {
        Interlocked.Exchange(ref _consecutiveFailures, 0);
        foreach (var b in _buckets)
        {
            Interlocked.Exchange(ref b.Successes, 0);
            Interlocked.Exchange(ref b.Failures, 0);
        }
    }

    private Bucket CurrentBucket(long nowTicks)
    {
        long index = nowTicks / _bucketTicks;
        var bucket = _buckets[(int)(index % BucketCount)];
        long seen = Volatile.Read(ref bucket.Index);
        if (seen != index && Interlocked.CompareExchange(ref bucket.Index, index, seen) == seen)
        {
            // First use of this slot in the new period: forget what it counted a whole window ago.
            Interlocked.Exchange(ref bucket.Successes, 0);
            Interlocked.Exchange(ref bucket.Failures, 0);
        }

        return bucket;
    }

    private void SumWindow(long nowTicks, out long successes, out long failures)
    {
        long current = nowTicks / _bucketTicks;
        successes = 0;
        failures = 0;
        foreach (var b in _buckets)
        {
            if (current - Volatile.Read(ref b.Index) < BucketCount)
            {
                successes += Interlocked.Read(ref b.Successes);
                failures += Interlocked.Read(ref b.Failures);
            }
        }
    }

    private sealed class Bucket
    {
        public long Index = -1;
        public long Successes;
        public long Failures;
    }
}
