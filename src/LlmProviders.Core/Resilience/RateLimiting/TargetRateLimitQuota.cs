using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Resilience;

/// <summary>
/// The rate-limit state of one target or quota group (SPEC RS3): per-minute request and token counters, a priority queue
/// in front of them, the headroom the provider's headers report, and the adaptive cool-down after consecutive 429s.
/// </summary>
/// <remarks>
/// <para>Queue rule: a freed permit goes to the waiting call with the highest effective priority — its priority plus one
/// level per <see cref="TargetRateLimitOptions.PriorityAging"/> waited, capped at high — and, among equals, to the one that
/// waited longest. A low-priority call therefore reaches the top after two aging periods; and no call waits longer than
/// <see cref="TargetRateLimitOptions.MaxQueueWait"/> in any case.</para>
/// <para>Token accounting: a call takes its estimated tokens; <see cref="ReportUsage"/> then carries the difference
/// (used − estimated) as a balance that the next calls settle: a debt makes them take more, a credit less (never below
/// zero). The balance is capped at one minute's allowance either way.</para>
/// <para>Adaptive backoff: <see cref="TargetRateLimitOptions.AdaptiveBackoffThreshold"/> 429s in a row from the provider
/// stop all calls of the quota for <see cref="TargetRateLimitOptions.AdaptiveCoolDown"/> (or the provider's Retry-After,
/// when longer); each further 429 doubles the cool-down up to <see cref="TargetRateLimitOptions.MaxAdaptiveCoolDown"/>;
/// a success ends the streak. A 429's own Retry-After blocks the whole quota for that long (every call on the key would get
/// the same answer).</para>
/// </remarks>
internal sealed class TargetRateLimitQuota : IDisposable
{
    private const int PriorityLevels = 3;

    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly TargetRateLimitOptions _options;
    private readonly PermitCounter? _requests;
    private readonly PermitCounter? _tokens;
    private readonly ITimer? _requestTimer;
    private readonly ITimer? _tokenTimer;
    private readonly LinkedList<Waiter>[] _waiters = [new(), new(), new()];
    private readonly long _balanceCap;
    private ITimer? _wakeTimer;
    private int _waiterCount;
    private long _blockedUntilTicks;
    private long _headerUntilTicks;
    private long _headerRequests;
    private long _headerTokens;
    private long _tokenBalance;
    private int _consecutive429;
    private long _rejections;
    private bool _disposed;

    public TargetRateLimitQuota(string name, TargetRateLimitOptions options, TimeProvider time)
    {
        Name = name;
        _options = options;
        _time = time;
        if (options.RequestsPerMinute is { } rpm)
        {
            _requests = PermitCounter.Create(options.Algorithm, rpm, options.Burst);
            _requestTimer = time.CreateTimer(static s => ((TargetRateLimitQuota)s!).OnTick(false), this, _requests.Period, _requests.Period);
        }

        if (options.TokensPerMinute is { } tpm)
        {
            // The token bucket's capacity scales with the request burst: a burst of B of R requests a minute may use B/R of a minute's tokens.
            int? tokenBurst = options.Burst is { } burst && options.RequestsPerMinute is { } perMinute && perMinute > 0
                ? (int)Math.Min(int.MaxValue, Math.Max(1, (long)tpm * burst / perMinute))
                : null;
            _tokens = PermitCounter.Create(options.Algorithm, tpm, tokenBurst);
            _tokenTimer = time.CreateTimer(static s => ((TargetRateLimitQuota)s!).OnTick(true), this, _tokens.Period, _tokens.Period);
            _balanceCap = tpm;
        }
    }

    /// <summary>Gets the group or provider name the quota belongs to.</summary>
    public string Name { get; }

    /// <summary>Gets the options the quota was built from (the first registration of a group).</summary>
    public TargetRateLimitOptions Options => _options;

    /// <summary>Gets how many calls wait for a permit now.</summary>
    public int QueuedCount => Volatile.Read(ref _waiterCount);

    /// <summary>Gets how many calls were refused (queue full, or no permit within the maximum wait).</summary>
    public long Rejections => Interlocked.Read(ref _rejections);

    /// <summary>Gets the 429s in a row from the provider.</summary>
    public int Consecutive429 => Volatile.Read(ref _consecutive429);

    /// <summary>Gets when the quota is blocked until (headers or adaptive cool-down), or <see langword="null"/>.</summary>
    public DateTimeOffset? BlockedUntil
    {
        get
        {
            long until = Interlocked.Read(ref _blockedUntilTicks);
            return until > _time.GetUtcNow().UtcTicks ? new DateTimeOffset(until, TimeSpan.Zero) : null;
        }
    }

    /// <summary>Gets the token balance (positive: tokens used beyond the estimates and not yet settled).</summary>
    public long TokenBalance => Interlocked.Read(ref _tokenBalance);

    /// <summary>Whether a call could get its permits now, or within the maximum wait through the queue; acquires nothing.</summary>
    /// <param name="estimatedTokens">The call's estimated tokens.</param>
    /// <param name="detail">Why not, when not.</param>
    /// <returns><see langword="true"/> when the call would not be refused at once.</returns>
    public bool HasHeadroom(int estimatedTokens, out string? detail)
    {
        detail = null;
        long now = _time.GetUtcNow().UtcTicks;
        if (_requests is null && _tokens is null && now >= Interlocked.Read(ref _blockedUntilTicks) && now >= Interlocked.Read(ref _headerUntilTicks))
        {
            return true;
        }

        lock (_lock)
        {
            if (_waiterCount == 0 && CanTakeNow(estimatedTokens, now))
            {
                return true;
            }

            if (QueueAccepts(now, out var retryAfter))
            {
                return true;
            }

            detail = Describe(retryAfter);
            return false;
        }
    }

    /// <summary>Takes one request permit and the call's tokens, waiting in the priority queue when none are free.</summary>
    /// <param name="providerName">The target, for the exception.</param>
    /// <param name="priority">The call's priority.</param>
    /// <param name="estimatedTokens">The call's estimated tokens.</param>
    /// <param name="cancellationToken">The call's token.</param>
    /// <returns>A task that completes when the permits are taken.</returns>
    /// <exception cref="RateLimitedException">No permit within the maximum wait, or the queue is full.</exception>
    public ValueTask AcquireAsync(string providerName, RequestPriority priority, int estimatedTokens, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().UtcTicks;
        if (_requests is null && _tokens is null && now >= Interlocked.Read(ref _blockedUntilTicks) && now >= Interlocked.Read(ref _headerUntilTicks))
        {
            return default; // nothing limits this quota: no lock
        }

        Waiter waiter;
        lock (_lock)
        {
            if (_waiterCount == 0 && TryTakeNow(estimatedTokens, now))
            {
                return default;
            }

            if (!QueueAccepts(now, out var retryAfter))
            {
                Interlocked.Increment(ref _rejections);
                throw Refused(providerName, retryAfter);
            }

            waiter = new Waiter(estimatedTokens, Math.Clamp((int)priority, 0, PriorityLevels - 1), now);
            waiter.Node = _waiters[waiter.Priority].AddLast(waiter);
            _waiterCount++;
            ScheduleWake(now);
        }

        return WaitAsync(waiter, providerName, cancellationToken);
    }

    /// <summary>Carries the difference between a call's actual and estimated tokens to the next calls.</summary>
    /// <param name="usedTokens">The tokens the call used.</param>
    /// <param name="estimatedTokens">The tokens it took when it started.</param>
    public void ReportUsage(long usedTokens, int estimatedTokens)
    {
        if (_tokens is null)
        {
            return;
        }

        long delta = usedTokens - Math.Min(estimatedTokens, _tokens.Capacity);
        if (delta == 0)
        {
            return;
        }

        long current, next;
        do
        {
            current = Interlocked.Read(ref _tokenBalance);
            next = Math.Clamp(current + delta, -_balanceCap, _balanceCap);
        }
        while (Interlocked.CompareExchange(ref _tokenBalance, next, current) != current);
    }

    /// <summary>Narrows the headroom to what the provider's <c>x-ratelimit-remaining-*</c> headers report, until their reset.</summary>
    /// <param name="remainingRequests">Requests left, when reported.</param>
    /// <param name="remainingTokens">Tokens left, when reported.</param>
    /// <param name="resetAfter">When the provider's window resets; 1 minute when not reported.</param>
    public void ReportHeaders(int? remainingRequests, int? remainingTokens, TimeSpan? resetAfter)
    {
        if (remainingRequests is null && remainingTokens is null)
        {
            return;
        }

        long now = _time.GetUtcNow().UtcTicks;
        long until = now + Math.Max(0, (resetAfter ?? TimeSpan.FromMinutes(1)).Ticks);
        lock (_lock)
        {
            _headerUntilTicks = until;
            _headerRequests = remainingRequests ?? long.MaxValue;
            _headerTokens = remainingTokens ?? long.MaxValue;
            ScheduleWake(now);
        }
    }

    /// <summary>Counts a 429 from the provider: its Retry-After, when it says one, blocks the quota that long; the threshold-th 429 in a row starts (and each further one doubles) the adaptive cool-down.</summary>
    /// <param name="retryAfter">The provider's Retry-After, when it said.</param>
    public void OnUpstreamRateLimited(TimeSpan? retryAfter)
    {
        int streak = Interlocked.Increment(ref _consecutive429);
        int threshold = _options.AdaptiveBackoffThreshold;
        long coolTicks = 0;
        if (threshold > 0 && streak >= threshold)
        {
            double factor = Math.Pow(2, Math.Min(streak - threshold, 30));
            coolTicks = (long)Math.Min(_options.AdaptiveCoolDown.Ticks * factor, _options.MaxAdaptiveCoolDown.Ticks);
        }

        // The provider's own Retry-After holds for every call on this key, not only the one that got it.
        if (retryAfter is { } server && server.Ticks > coolTicks)
        {
            coolTicks = Math.Min(server.Ticks, TimeSpan.FromDays(1).Ticks);
        }

        if (coolTicks <= 0)
        {
            return;
        }

        long now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            _blockedUntilTicks = Math.Max(_blockedUntilTicks, now + coolTicks);
            ScheduleWake(now);
        }
    }

    /// <summary>Ends a streak of 429s.</summary>
    public void OnUpstreamSuccess()
    {
        if (Volatile.Read(ref _consecutive429) != 0)
        {
            Interlocked.Exchange(ref _consecutive429, 0);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _requestTimer?.Dispose();
            _tokenTimer?.Dispose();
            _wakeTimer?.Dispose();
            _requests?.Dispose();
            _tokens?.Dispose();
            foreach (var list in _waiters)
            {
                foreach (var w in list)
                {
                    w.Tcs.TrySetException(new ObjectDisposedException(nameof(TargetRateLimitQuota)));
                }

                list.Clear();
            }

            _waiterCount = 0;
        }
    }

    private static RateLimitedException Refused(string providerName, TimeSpan? retryAfter, string? why = null) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"'{providerName}' has no rate-limit headroom ({why ?? "client-side limit reached"}){(retryAfter is { } r ? $"; a permit is expected in {r.TotalSeconds:0.#} s" : string.Empty)}. The router tries the next target."))
        {
            ProviderName = providerName,
            RetryAfter = retryAfter,
            IsTransient = true,
        };

    private async ValueTask WaitAsync(Waiter waiter, string providerName, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Tcs.Task.WaitAsync(_options.MaxQueueWait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            TimeSpan? retryAfter;
            lock (_lock)
            {
                if (waiter.Node is null)
                {
                    return; // granted just as the wait ended: the permits are ours
                }

                Remove(waiter);
                retryAfter = EstimateWait(_time.GetUtcNow().UtcTicks);
            }

            Interlocked.Increment(ref _rejections);
            throw Refused(providerName, retryAfter, string.Create(CultureInfo.InvariantCulture, $"no permit within the maximum queue wait of {_options.MaxQueueWait.TotalSeconds:0.#} s"));
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (waiter.Node is not null)
                {
                    Remove(waiter);
                }
            }

            throw;
        }
    }

    private void OnTick(bool tokens)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            (tokens ? _tokens : _requests)!.Replenish();
            DrainLocked();
        }
    }

    private void OnWake()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                DrainLocked();
            }
        }
    }

    // Under _lock: hand permits to waiters in priority order until one cannot be served.
    private void DrainLocked()
    {
        long now = _time.GetUtcNow().UtcTicks;
        while (_waiterCount > 0)
        {
            var next = PickNext(now);
            if (!TryTakeNow(next.Tokens, now))
            {
                break;
            }

            Remove(next);
            next.Tcs.TrySetResult();
        }

        if (_waiterCount > 0)
        {
            ScheduleWake(now);
        }
    }

    // Under _lock.
    private Waiter PickNext(long now)
    {
        Waiter? best = null;
        int bestLevel = -1;
        long agingTicks = Math.Max(1, _options.PriorityAging.Ticks);
        for (int p = PriorityLevels - 1; p >= 0; p--)
        {
            var head = _waiters[p].First?.Value;
            if (head is null)
            {
                continue;
            }

            int level = (int)Math.Min(PriorityLevels - 1, head.Priority + ((now - head.EnqueuedTicks) / agingTicks));
            if (level > bestLevel || (level == bestLevel && head.EnqueuedTicks < best!.EnqueuedTicks))
            {
                best = head;
                bestLevel = level;
            }
        }

        return best!;
    }

    // Under _lock.
    private void Remove(Waiter waiter)
    {
        _waiters[waiter.Priority].Remove(waiter.Node!);
        waiter.Node = null;
        _waiterCount--;
    }

    // Under _lock: a timer that drains the queue when a block (headers or cool-down) ends; a block extended meanwhile re-arms it from the drain.
    private void ScheduleWake(long now)
    {
        // The end of a block, or of the headers' window (a waiter may need more tokens than the headers leave).
        long until = _blockedUntilTicks > now ? _blockedUntilTicks : _headerUntilTicks;
        if (until <= now || _waiterCount == 0 || _disposed)
        {
            return;
        }

        _wakeTimer ??= _time.CreateTimer(static s => ((TargetRateLimitQuota)s!).OnWake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _wakeTimer.Change(TimeSpan.FromTicks(until - now), Timeout.InfiniteTimeSpan);
    }

    // Under _lock.
    private bool HeaderExhausted(int tokens) => _headerRequests < 1 || _headerTokens < tokens;

    // Under _lock.
    private int TokensToTake(int estimatedTokens)
    {
        long need = (long)estimatedTokens + _tokenBalance;
        return (int)Math.Clamp(need, 0, _tokens!.Capacity);
    }

    // Under _lock.
    private bool CanTakeNow(int estimatedTokens, long now)
    {
        if (now < _blockedUntilTicks || (now < _headerUntilTicks && HeaderExhausted(estimatedTokens)))
        {
            return false;
        }

        if (_requests is not null && _requests.Available < 1)
        {
            return false;
        }

        return _tokens is null || _tokens.Available >= TokensToTake(estimatedTokens);
    }

    // Under _lock.
    private bool TryTakeNow(int estimatedTokens, long now)
    {
        if (!CanTakeNow(estimatedTokens, now))
        {
            return false;
        }

        if (_requests is not null && !_requests.TryTake(1))
        {
            return false;
        }

        if (_tokens is not null)
        {
            int take = TokensToTake(estimatedTokens);
            if (take > 0 && !_tokens.TryTake(take))
            {
                return false; // not reached: availability was checked under the same lock
            }

            // Settle the balance by what this call took beyond (or short of) its estimate.
            _tokenBalance -= take - Math.Min(estimatedTokens, _tokens.Capacity);
        }

        if (now < _headerUntilTicks)
        {
            _headerRequests--;
            _headerTokens -= estimatedTokens;
        }

        return true;
    }

    // Under _lock.
    private bool QueueAccepts(long now, out TimeSpan? retryAfter)
    {
        retryAfter = EstimateWait(now);
        if (_options.QueueLimit <= 0 || _waiterCount >= _options.QueueLimit || _options.MaxQueueWait <= TimeSpan.Zero || _disposed)
        {
            return false;
        }

        // A block (headers, cool-down) that outlasts the maximum wait refuses at once: waiting could only end in a refusal.
        return BlockedFor(now) <= _options.MaxQueueWait.Ticks;
    }

    // Under _lock: how long the headers or the cool-down still block the quota, in ticks (0 when not blocked).
    private long BlockedFor(long now)
    {
        long until = _blockedUntilTicks;
        if (now < _headerUntilTicks && HeaderExhausted(1))
        {
            until = Math.Max(until, _headerUntilTicks);
        }

        return Math.Max(0, until - now);
    }

    // Under _lock: when a permit may come, as far as is known.
    private TimeSpan? EstimateWait(long now)
    {
        long blocked = BlockedFor(now);
        if (blocked > 0)
        {
            return TimeSpan.FromTicks(blocked);
        }

        return (_requests is not null && _requests.Available < 1) ? _requests.Period : _tokens?.Period;
    }

    private static string Describe(TimeSpan? retryAfter) => retryAfter is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"no rate-limit headroom for {r.TotalSeconds:0.#} s")
        : "no rate-limit headroom";

    private sealed class Waiter(int tokens, int priority, long enqueuedTicks)
    {
        public TaskCompletionSource Tcs { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Tokens { get; } = tokens;

        public int Priority { get; } = priority;

        public long EnqueuedTicks { get; } = enqueuedTicks;

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
