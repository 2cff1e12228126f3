using System;
using System.Threading;

namespace LlmProviders.Health;

/// <summary>
/// What is known about one provider's health: counters from real traffic (lock-free, written per attempt) and the results of
/// the active checks (a bounded ring, written once per check under a lock).
/// </summary>
internal sealed class ProviderHealthState
{
    private const int Empty = 0;
    private const int Success = 1;
    private const int Failure = 2;

    private readonly int[] _outcomes;
    private readonly long[] _latencyTicks;
    private readonly Lock _historyGate = new();
    private readonly ProviderHealthResult?[] _history;
    private long _next;
    private long _requests;
    private long _failures;
    private int _consecutiveFailures;
    private int _lastErrorKind = -1;
    private long _lastSuccessTicks;
    private int _historyNext;
    private int _historyCount;
    private int _consecutiveFailedChecks;
    private volatile ProviderHealthResult? _lastCheck;
    private long _scoreBits = BitConverter.DoubleToInt64Bits(double.NaN);
    private int _checking;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="name">The provider's registration name.</param>
    /// <param name="windowSize">The number of recent calls kept.</param>
    /// <param name="historySize">The number of check results kept.</param>
    public ProviderHealthState(string name, int windowSize, int historySize)
    {
        Name = name;
        _outcomes = new int[Math.Max(1, windowSize)];
        _latencyTicks = new long[_outcomes.Length];
        _history = new ProviderHealthResult?[Math.Max(1, historySize)];
    }

    /// <summary>Gets the provider's registration name.</summary>
    public string Name { get; }

    /// <summary>Gets or sets when the next background check is due (UTC ticks; 0 = at once).</summary>
    public long NextDueTicks { get; set; }

    /// <summary>Gets the calls recorded from real traffic.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Gets the failed calls recorded from real traffic.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Gets the failed calls since the last successful one.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Gets the kind of the last failure from traffic, if any.</summary>
    public LlmErrorKind? LastErrorKind => Volatile.Read(ref _lastErrorKind) is int k and >= 0 ? (LlmErrorKind)k : null;

    /// <summary>Gets when real traffic last succeeded, if ever.</summary>
    public DateTimeOffset? LastSuccessAt => Volatile.Read(ref _lastSuccessTicks) is long t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>Gets the last check's result, if any.</summary>
    public ProviderHealthResult? LastCheck => _lastCheck;

    /// <summary>Gets the failed checks since the last successful one.</summary>
    public int ConsecutiveFailedChecks => Volatile.Read(ref _consecutiveFailedChecks);

    /// <summary>Gets the score (1 healthy, 0.5 degraded, 0 unhealthy) of the last check, or <see langword="null"/> before the first.</summary>
    public double? Score => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _scoreBits)) is var s && double.IsNaN(s) ? null : s;

    /// <summary>Records one call from real traffic. Lock-free.</summary>
    /// <param name="success">Whether it succeeded.</param>
    /// <param name="kind">The failure's kind.</param>
    /// <param name="latency">How long it took.</param>
    /// <param name="nowTicks">The time (UTC ticks), used on success.</param>
    public void RecordTraffic(bool success, LlmErrorKind kind, TimeSpan latency, long nowTicks)
    {
        int slot = (int)((ulong)(Interlocked.Increment(ref _next) - 1) % (ulong)_outcomes.Length);
        Volatile.Write(ref _latencyTicks[slot], latency.Ticks);
        Volatile.Write(ref _outcomes[slot], success ? Success : Failure);
        Interlocked.Increment(ref _requests);
        if (success)
        {
            if (Volatile.Read(ref _consecutiveFailures) != 0)
            {
                Volatile.Write(ref _consecutiveFailures, 0);
            }

            Volatile.Write(ref _lastSuccessTicks, nowTicks);
        }
        else
        {
            Interlocked.Increment(ref _failures);
            Interlocked.Increment(ref _consecutiveFailures);
            Volatile.Write(ref _lastErrorKind, (int)kind);
        }
    }

    /// <summary>Reads the traffic window: its size, success rate and average latency.</summary>
    /// <param name="samples">The calls in the window.</param>
    /// <param name="successRate">The share that succeeded, or <see langword="null"/> when empty.</param>
    /// <param name="averageLatency">Their average latency, or <see langword="null"/> when empty.</param>
    public void ReadWindow(out int samples, out double? successRate, out TimeSpan? averageLatency)
    {
        int successes = 0;
        samples = 0;
        long ticks = 0;
        for (int i = 0; i < _outcomes.Length; i++)
        {
            int outcome = Volatile.Read(ref _outcomes[i]);
            if (outcome == Empty)
            {
                continue;
            }

            samples++;
            ticks += Volatile.Read(ref _latencyTicks[i]);
            if (outcome == Success)
            {
                successes++;
            }
        }

        successRate = samples == 0 ? null : (double)successes / samples;
        averageLatency = samples == 0 ? null : TimeSpan.FromTicks(ticks / samples);
    }

    /// <summary>Marks a check as running; <see langword="false"/> when one already is.</summary>
    /// <returns>Whether the caller may run the check.</returns>
    public bool TryBeginCheck() => Interlocked.CompareExchange(ref _checking, 1, 0) == 0;

    /// <summary>Marks the running check as done.</summary>
    public void EndCheck() => Volatile.Write(ref _checking, 0);

    /// <summary>Records a check's result.</summary>
    /// <param name="result">The result.</param>
    public void RecordCheck(ProviderHealthResult result)
    {
        lock (_historyGate)
        {
            _history[_historyNext] = result;
            _historyNext = (_historyNext + 1) % _history.Length;
            _historyCount = Math.Min(_historyCount + 1, _history.Length);
            Volatile.Write(ref _consecutiveFailedChecks, result.Status == LlmHealthStatus.Unhealthy ? _consecutiveFailedChecks + 1 : 0);
            _lastCheck = result;
        }

        double score = result.Status switch
        {
            LlmHealthStatus.Healthy => 1,
            LlmHealthStatus.Degraded => 0.5,
            _ => 0,
        };
        Interlocked.Exchange(ref _scoreBits, BitConverter.DoubleToInt64Bits(score));
    }

    /// <summary>Copies the check history, oldest first.</summary>
    /// <returns>The results.</returns>
    public ProviderHealthResult[] CopyHistory()
    {
        lock (_historyGate)
        {
            var copy = new ProviderHealthResult[_historyCount];
            int start = _historyCount < _history.Length ? 0 : _historyNext;
            for (int i = 0; i < copy.Length; i++)
            {
                copy[i] = _history[(start + i) % _history.Length]!;
            }

            return copy;
        }
    }
}
