using System;
using System.Threading;
using LlmProviders.Costs;

namespace LlmProviders.Routing;

/// <summary>
/// One target of a route as the routing strategies see it: its configuration, and live statistics the router updates after every
/// attempt (in flight, last use, success rate, latency, tokens used this minute, availability).
/// </summary>
/// <remarks>
/// <para>Long-lived: one instance per route target. The statistics are read without locks and updated with
/// <see cref="Interlocked"/>/<see cref="Volatile"/> operations; reading or updating them allocates nothing.</para>
/// <para>The public constructor lets a custom <see cref="IRoutingStrategy"/> be unit-tested; only the router updates the statistics.</para>
/// </remarks>
public sealed class RoutingTargetInfo
{
    /// <summary>The default smoothing factor of the moving averages.</summary>
    internal const double DefaultEwmaAlpha = 0.3;

    private const int TokenSlots = 6;
    private const long TokenSlotTicks = TimeSpan.TicksPerSecond * 10;
    private const int TokenSlotIdBits = 24;
    private const long TokenCountMask = (1L << (64 - TokenSlotIdBits)) - 1;
    private const long TokenSlotIdMask = (1L << TokenSlotIdBits) - 1;

    private readonly long[] _tokenSlots = new long[TokenSlots];
    private double _weight = 1;
    private double _ewmaAlpha = DefaultEwmaAlpha;
    private bool? _isLocal;
    private LlmCapabilities? _capabilities;

    private int _inFlight;
    private long _lastUsedTicks;
    private long _calls;
    private long _failures;
    private int _consecutiveFailures;
    private long _successRateBits = BitConverter.DoubleToInt64Bits(1.0);
    private long _ttftSecondsBits = BitConverter.DoubleToInt64Bits(double.NaN);
    private long _tokensPerSecondBits = BitConverter.DoubleToInt64Bits(double.NaN);
    private long _healthScoreBits = BitConverter.DoubleToInt64Bits(double.NaN);
    private long _latencySamples;
    private int _explorationPicks;
    private volatile bool _isAvailable = true;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="providerName">The registration name of the target's provider.</param>
    /// <param name="kind">The provider kind (an <see cref="LlmProviderKinds"/> value), which selects catalog prices.</param>
    /// <param name="model">The model the target asks for, or <see langword="null"/> for the request's model.</param>
    public RoutingTargetInfo(string providerName, string kind, string? model = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ProviderName = providerName;
        Kind = kind;
        Model = model;
    }

    /// <summary>Gets the registration name of the target's provider.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the provider kind (an <see cref="LlmProviderKinds"/> value).</summary>
    public string Kind { get; }

    /// <summary>Gets the model the target asks for; <see langword="null"/> keeps the request's model.</summary>
    public string? Model { get; }

    /// <summary>Gets the catalog entry of the target's model: quality score, typical latency and speed, context window, prices.</summary>
    /// <value>The default value is <see langword="null"/> (unknown model).</value>
    public ModelCatalogEntry? CatalogEntry { get; init; }

    /// <summary>Gets a value indicating whether the target runs locally (Ollama, vLLM, LocalAI).</summary>
    /// <value>The default value is the catalog entry's <see cref="ModelCatalogEntry.IsLocal"/>, else whether <see cref="Kind"/> is a local kind.</value>
    public bool IsLocal
    {
        get => _isLocal ?? (CatalogEntry?.IsLocal == true || CostCalculator.IsLocalKind(Kind));
        init => _isLocal = value;
    }

    /// <summary>Gets what the target can do.</summary>
    /// <value>The default value is the catalog entry's capabilities, else <see cref="LlmCapabilities.None"/>.</value>
    public LlmCapabilities Capabilities
    {
        get => _capabilities ?? CatalogEntry?.Capabilities ?? LlmCapabilities.None;
        init => _capabilities = value;
    }

    /// <summary>Gets the target's priority for the priority strategy: lower goes first.</summary>
    /// <value>The default value is 0.</value>
    public int Priority { get; init; }

    /// <summary>Gets the target's weight for the weighted round-robin strategy (e.g. 5 and 1 send five calls to one for each to the other).</summary>
    /// <value>The default value is 1. It must be greater than 0 and finite.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not greater than 0 or not finite.</exception>
    public double Weight
    {
        get => _weight;
        init
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Weight must be greater than 0 and finite (e.g. 5 for five times the calls of a weight-1 target).");
            }

            _weight = value;
        }
    }

    /// <summary>Gets the tokens per minute the target may use, for the token-load strategy.</summary>
    /// <value>The default value is <see langword="null"/> (no quota).</value>
    public int? TokensPerMinuteQuota { get; init; }

    /// <summary>Gets the smoothing factor of the moving averages (success rate, time to first token, tokens per second): the weight of the newest sample.</summary>
    /// <value>The default value is 0.3. It must be greater than 0 and at most 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 1].</exception>
    public double EwmaAlpha
    {
        get => _ewmaAlpha;
        init
        {
            if (!(value > 0 && value <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "EwmaAlpha must be greater than 0 and at most 1 (e.g. 0.3).");
            }

            _ewmaAlpha = value;
        }
    }

    /// <summary>Gets the clock of <see cref="TokensUsedThisMinute"/>.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>; the router sets its own.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the number of attempts on this target that have started and not yet completed.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets when an attempt on this target last started, or <see langword="null"/> when it has never been used.</summary>
    public DateTimeOffset? LastUsed
    {
        get
        {
            long ticks = Volatile.Read(ref _lastUsedTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Gets the number of completed attempts.</summary>
    public long Calls => Volatile.Read(ref _calls);

    /// <summary>Gets the number of failed attempts.</summary>
    public long Failures => Volatile.Read(ref _failures);

    /// <summary>Gets the number of failed attempts since the last success.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Gets the moving average of success (1 = every recent attempt succeeded); 1 before the first attempt.</summary>
    public double SuccessRate => ReadDouble(ref _successRateBits);

    /// <summary>Gets the moving average of the time to first token, or <see langword="null"/> before the first streamed success.</summary>
    public TimeSpan? TimeToFirstTokenEwma
    {
        get
        {
            double seconds = ReadDouble(ref _ttftSecondsBits);
            return double.IsNaN(seconds) ? null : TimeSpan.FromSeconds(seconds);
        }
    }

    /// <summary>
    /// Gets the moving average of the output speed in tokens per second (after the first token when it was streamed, else over the whole
    /// call), or <see langword="null"/> before the first measured success.
    /// </summary>
    public double? TokensPerSecondEwma
    {
        get
        {
            double value = ReadDouble(ref _tokensPerSecondBits);
            return double.IsNaN(value) ? null : value;
        }
    }

    /// <summary>Gets the number of successful attempts that gave a latency measurement.</summary>
    public long LatencySamples => Volatile.Read(ref _latencySamples);

    /// <summary>Gets the tokens (input and output) used in the last minute, on <see cref="TimeProvider"/>'s clock.</summary>
    public long TokensUsedThisMinute => GetTokensUsedInLastMinute(TimeProvider.GetUtcNow());

    /// <summary>Gets a value indicating whether the target can be called now (its circuit is not open), as the router last set it.</summary>
    public bool IsAvailable => _isAvailable;

    /// <summary>
    /// Gets the target's health from 0 (failing) to 1 (healthy): the success-rate average, or the health monitor's latest score
    /// when it is lower.
    /// </summary>
    public double HealthScore
    {
        get
        {
            double success = SuccessRate;
            double reported = ReadDouble(ref _healthScoreBits);
            return double.IsNaN(reported) ? success : Math.Min(success, reported);
        }
    }

    /// <summary>Gets the number of cold-start exploration picks the latency strategy has made of this target.</summary>
    internal int ExplorationPicks => Volatile.Read(ref _explorationPicks);

    /// <summary>Gets the tokens (input and output) used in the minute before <paramref name="now"/> (in 10-second steps).</summary>
    /// <param name="now">The end of the minute.</param>
    /// <returns>The tokens used.</returns>
    public long GetTokensUsedInLastMinute(DateTimeOffset now)
    {
        long current = now.UtcTicks / TokenSlotTicks;
        long total = 0;
        for (int i = 0; i < TokenSlots; i++)
        {
            long slot = Volatile.Read(ref _tokenSlots[i]);
            long id = (long)((ulong)slot >> (64 - TokenSlotIdBits));
            long age = (current - id) & TokenSlotIdMask;
            if (slot != 0 && age < TokenSlots)
            {
                total += slot & TokenCountMask;
            }
        }

        return total;
    }

    /// <inheritdoc />
    public override string ToString() => Model is null ? ProviderName : ProviderName + "/" + Model;

    /// <summary>Records that an attempt on this target starts.</summary>
    /// <param name="now">The time it starts.</param>
    internal void OnAttemptStarted(DateTimeOffset now)
    {
        Interlocked.Increment(ref _inFlight);
        long ticks = now.UtcTicks;
        long seen = Volatile.Read(ref _lastUsedTicks);
        while (ticks > seen)
        {
            long previous = Interlocked.CompareExchange(ref _lastUsedTicks, ticks, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    /// <summary>Records that an attempt on this target ended.</summary>
    /// <param name="now">The time it ended.</param>
    /// <param name="success">Whether it succeeded.</param>
    /// <param name="timeToFirstToken">The time to the first streamed token; <see langword="null"/> for a call that did not stream.</param>
    /// <param name="duration">The attempt's duration.</param>
    /// <param name="outputTokens">The output tokens it produced.</param>
    /// <param name="totalTokens">The tokens (input and output) it used, counted against the tokens-per-minute quota even when it failed.</param>
    internal void OnAttemptCompleted(DateTimeOffset now, bool success, TimeSpan? timeToFirstToken, TimeSpan duration, long outputTokens, long totalTokens)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _calls);
        double alpha = _ewmaAlpha;
        if (success)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
            UpdateEwma(ref _successRateBits, 1.0, alpha);
            bool sampled = false;
            double generationSeconds = duration.TotalSeconds;
            if (timeToFirstToken is { } ttft && ttft >= TimeSpan.Zero)
            {
                UpdateEwma(ref _ttftSecondsBits, ttft.TotalSeconds, alpha);
                generationSeconds -= ttft.TotalSeconds;
                sampled = true;
            }

            if (outputTokens > 0 && generationSeconds > 0)
            {
                UpdateEwma(ref _tokensPerSecondBits, outputTokens / generationSeconds, alpha);
                sampled = true;
            }

            if (sampled)
            {
                Interlocked.Increment(ref _latencySamples);
            }
        }
        else
        {
            Interlocked.Increment(ref _failures);
            Interlocked.Increment(ref _consecutiveFailures);
            UpdateEwma(ref _successRateBits, 0.0, alpha);
        }

        if (totalTokens > 0)
        {
            AddTokens(now, totalTokens);
        }
    }

    /// <summary>Sets whether the target can be called (the router follows its circuit breaker).</summary>
    /// <param name="available"><see langword="false"/> while the circuit is open.</param>
    internal void SetAvailable(bool available) => _isAvailable = available;

    /// <summary>Sets the health monitor's latest score.</summary>
    /// <param name="score">The score from 0 to 1; <see langword="null"/> to forget it.</param>
    internal void SetHealthScore(double? score)
    {
        double value = score is { } s ? Math.Clamp(s, 0, 1) : double.NaN;
        Interlocked.Exchange(ref _healthScoreBits, BitConverter.DoubleToInt64Bits(value));
    }

    /// <summary>Takes one cold-start exploration pick when fewer than <paramref name="limit"/> have been taken.</summary>
    /// <param name="limit">The most picks a target gets.</param>
    /// <returns><see langword="true"/> when the pick was taken.</returns>
    internal bool TryTakeExplorationPick(int limit)
    {
        int seen = Volatile.Read(ref _explorationPicks);
        while (seen < limit)
        {
            int previous = Interlocked.CompareExchange(ref _explorationPicks, seen + 1, seen);
            if (previous == seen)
            {
                return true;
            }

            seen = previous;
        }

        return false;
    }

    private void AddTokens(DateTimeOffset now, long tokens)
    {
        long id = (now.UtcTicks / TokenSlotTicks) & TokenSlotIdMask;
        ref long slot = ref _tokenSlots[(int)((now.UtcTicks / TokenSlotTicks) % TokenSlots)];
        long seen = Volatile.Read(ref slot);
        while (true)
        {
            long seenId = (long)((ulong)seen >> (64 - TokenSlotIdBits));
            long count = seen != 0 && seenId == id ? (seen & TokenCountMask) : 0;
            long updated = (id << (64 - TokenSlotIdBits)) | Math.Min(TokenCountMask, count + tokens);
            long previous = Interlocked.CompareExchange(ref slot, updated, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private static double ReadDouble(ref long bits) => BitConverter.Int64BitsToDouble(Volatile.Read(ref bits));

    private static void UpdateEwma(ref long bits, double sample, double alpha)
    {
        long seen = Volatile.Read(ref bits);
        while (true)
        {
            double current = BitConverter.Int64BitsToDouble(seen);
            double updated = double.IsNaN(current) ? sample : current + (alpha * (sample - current));
            long previous = Interlocked.CompareExchange(ref bits, BitConverter.DoubleToInt64Bits(updated), seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
