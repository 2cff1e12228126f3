using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace LlmProviders.Resilience;

/// <summary>
/// The resilience executor of one router target (one provider registration, shared by every route that uses it): wraps
/// each call in, outermost first, total timeout → concurrency limit → rate limit (priority queue) → retry { circuit
/// breaker → attempt timeout → the call } (SPEC RS1–RS5).
/// </summary>
/// <remarks>
/// Errors: a timeout is a <see cref="ProviderTimeoutException"/> naming which timeout and its value; the caller's
/// cancellation stays an <see cref="OperationCanceledException"/> (never converted, never retried); an open circuit is a
/// <see cref="ProviderUnavailableException"/> with <see cref="LlmProviderException.RetryAfter"/>; a client-side limit is a
/// <see cref="RateLimitedException"/>. <see cref="TargetResilienceErrors"/> tells these apart.
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The SemaphoreSlim never creates its wait handle (AvailableWaitHandle is not used), so it holds nothing to dispose; disposing it under in-flight calls would only break their Release.")]
internal sealed class TargetResilience
{
    private static readonly Action<object?> CancelSource = static s => ((CancellationTokenSource)s!).Cancel();

    private readonly string _name;
    private readonly TargetResilienceOptions _options;
    private readonly TargetRetryOptions _retry;
    private readonly int[] _retriesByKind;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly TargetCircuitBreaker? _breaker;
    private readonly TargetRateLimitQuota _quota;
    private readonly SemaphoreSlim? _slots;
    private readonly TimeoutSourcePool _timeoutSources;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeSpan _firstChunkTimeout;
    private readonly TimeSpan _idleGapTimeout;
    private readonly TimeSpan _totalTimeout;
    private int _inFlight;
    private int _waitingForSlot;
    private long _attempts;
    private long _retries;
    private long _timeouts;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="isLocal">Whether the provider runs locally (longer default timeouts).</param>
    /// <param name="options">The target's options (validated).</param>
    /// <param name="time">The clock of every timeout, delay, break and limiter.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="quotas">Where the rate-limit quota of the target (or its group) comes from.</param>
    public TargetResilience(string providerName, bool isLocal, TargetResilienceOptions options, TimeProvider time, ILogger logger, RateLimitQuotaRegistry quotas)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(quotas);
        _name = providerName;
        IsLocal = isLocal;
        _options = options;
        _time = time;
        _logger = logger;
        _timeoutSources = new TimeoutSourcePool(time);
        var t = options.Timeouts ?? new TargetTimeoutOptions();
        _attemptTimeout = t.Attempt ?? (isLocal ? TargetTimeoutOptions.LocalAttempt : TargetTimeoutOptions.CloudAttempt);
        _firstChunkTimeout = t.FirstChunk ?? (isLocal ? TargetTimeoutOptions.LocalFirstChunk : TargetTimeoutOptions.CloudFirstChunk);
        _idleGapTimeout = t.IdleGap ?? (isLocal ? TargetTimeoutOptions.LocalIdleGap : TargetTimeoutOptions.CloudIdleGap);
        _totalTimeout = t.Total ?? (isLocal ? TargetTimeoutOptions.LocalTotal : TargetTimeoutOptions.CloudTotal);
        if (options.CircuitBreaker is { Enabled: true } cb)
        {
            _breaker = new TargetCircuitBreaker(cb, time);
        }

        _quota = quotas.GetOrCreate(providerName, options.RateLimit ?? new TargetRateLimitOptions());
        if (options.MaxConcurrency is { } max)
        {
            _slots = new SemaphoreSlim(max, max);
        }

        _retry = options.Retry ?? new TargetRetryOptions();
        _retriesByKind = RetriesByKind(_retry);
        _pipeline = BuildRetryPipeline(_retry);
    }

    /// <summary>Gets the provider's registration name.</summary>
    public string ProviderName => _name;

    /// <summary>Gets a value indicating whether the target runs locally.</summary>
    public bool IsLocal { get; }

    /// <summary>Gets the options.</summary>
    public TargetResilienceOptions Options => _options;

    /// <summary>Gets the circuit state (an open circuit past its break reads half-open).</summary>
    public TargetCircuitState CircuitState => _breaker?.State ?? TargetCircuitState.Closed;

    /// <summary>Gets when an open circuit lets its probe through, or <see langword="null"/>.</summary>
    public DateTimeOffset? CircuitOpenUntil => _breaker?.OpenUntil;

    /// <summary>Gets how many times the circuit opened.</summary>
    public long CircuitTripCount => _breaker?.TripCount ?? 0;

    /// <summary>Gets the length of the last break.</summary>
    public TimeSpan LastBreakDuration => _breaker?.LastBreakDuration ?? TimeSpan.Zero;

    /// <summary>Gets the failures in a row the breaker counted since the last success.</summary>
    public int ConsecutiveFailures => _breaker?.ConsecutiveFailures ?? 0;

    /// <summary>Gets the calls in flight (past the concurrency limit: waiting for a rate-limit permit, attempting or retrying, or streaming).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the calls waiting for a concurrency slot.</summary>
    public int WaitingForSlot => Volatile.Read(ref _waitingForSlot);

    /// <summary>Gets the calls waiting for a rate-limit permit (of the whole quota group).</summary>
    public int WaitingForRateLimit => _quota.QueuedCount;

    /// <summary>Gets how many calls the rate limit refused (of the whole quota group).</summary>
    public long RateLimitRejections => _quota.Rejections;

    /// <summary>Gets until when the provider's headers or the adaptive cool-down block calls, or <see langword="null"/>.</summary>
    public DateTimeOffset? RateLimitedUntil => _quota.BlockedUntil;

    /// <summary>Gets how many attempts were sent (first tries and retries).</summary>
    public long AttemptCount => Interlocked.Read(ref _attempts);

    /// <summary>Gets how many retries were made.</summary>
    public long RetryCount => Interlocked.Read(ref _retries);

    /// <summary>Gets how many timeouts (attempt, first chunk, idle gap, total) occurred.</summary>
    public long TimeoutCount => Interlocked.Read(ref _timeouts);

    /// <summary>Gets the effective attempt timeout.</summary>
    public TimeSpan AttemptTimeout => _attemptTimeout;

    /// <summary>Gets the effective first-chunk timeout.</summary>
    public TimeSpan FirstChunkTimeout => _firstChunkTimeout;

    /// <summary>Gets the effective idle-gap timeout.</summary>
    public TimeSpan IdleGapTimeout => _idleGapTimeout;

    /// <summary>Gets the effective total timeout.</summary>
    public TimeSpan TotalTimeout => _totalTimeout;

    /// <summary>Gets or sets the source of jitter, a number in [0, 1) (tests fix it).</summary>
    internal Func<double> NextJitter { get; set; } = Random.Shared.NextDouble;

    /// <summary>Gets the target's rate-limit quota (shared with its group).</summary>
    internal TargetRateLimitQuota Quota => _quota;

    /// <summary>
    /// The RT4 filter: whether a call could start now. Never acquires anything (the half-open probe slot included).
    /// </summary>
    /// <param name="estimatedTokens">The call's estimated tokens.</param>
    /// <param name="reason"><see cref="CandidateSkipReason.CircuitOpen"/> (open, isolated, or half-open with the probe in flight), <see cref="CandidateSkipReason.RateLimited"/> (a call would be refused at once: no permit and the queue full, or a block longer than the maximum queue wait), <see cref="CandidateSkipReason.Other"/> (at the concurrency limit with the slot queue full), else <see cref="CandidateSkipReason.None"/>.</param>
    /// <param name="detail">The reason in words, for the decision trace.</param>
    /// <returns><see langword="true"/> when the call could start.</returns>
    public bool TryCheckAvailable(int estimatedTokens, out CandidateSkipReason reason, out string? detail)
    {
        if (_breaker is not null && !_breaker.CanPass(out _))
        {
            reason = CandidateSkipReason.CircuitOpen;
            detail = _breaker.Describe(_name, out _);
            return false;
        }

        if (!_quota.HasHeadroom(estimatedTokens, out detail))
        {
            reason = CandidateSkipReason.RateLimited;
            return false;
        }

        if (_slots is not null && _slots.CurrentCount == 0 && !SlotQueueHasRoom())
        {
            reason = CandidateSkipReason.Other;
            detail = string.Create(CultureInfo.InvariantCulture, $"at its concurrency limit of {_options.MaxConcurrency} calls in flight, with no room to wait");
            return false;
        }

        reason = CandidateSkipReason.None;
        detail = null;
        return true;
    }

    /// <summary>Runs a non-streaming call with every protection of the target.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="attempt">One attempt; called again for each retry (providers build a new request per call).</param>
    /// <param name="priority">The call's priority in the rate-limit queue.</param>
    /// <param name="estimatedTokens">The call's estimated tokens (prompt + max output), taken from the token limit.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the attempt that succeeded.</returns>
    public Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, RequestPriority priority, int estimatedTokens, CancellationToken cancellationToken)
    {
        return attempt is null
            ? Task.FromException<T>(new ArgumentNullException(nameof(attempt)))
            : ExecuteAsync(static (a, ct) => a(ct), attempt, priority, estimatedTokens, cancellationToken).AsTask();
    }

    /// <summary>
    /// Runs a non-streaming call with every protection of the target; the attempt gets <paramref name="state"/>, so a caller
    /// passes a static lambda and allocates no closure. A call that completes at once allocates nothing here (no task, no scope).
    /// </summary>
    /// <typeparam name="TState">The attempt's state.</typeparam>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="attempt">One attempt; called again for each retry (providers build a new request per call).</param>
    /// <param name="state">The attempt's state.</param>
    /// <param name="priority">The call's priority in the rate-limit queue.</param>
    /// <param name="estimatedTokens">The call's estimated tokens (prompt + max output), taken from the token limit.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the attempt that succeeded.</returns>
    public async ValueTask<T> ExecuteAsync<TState, T>(Func<TState, CancellationToken, Task<T>> attempt, TState state, RequestPriority priority, int estimatedTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        cancellationToken.ThrowIfCancellationRequested();
        var scope = new CallScope(this, cancellationToken);
        try
        {
            await WaitForSlotAsync(scope.Token).ConfigureAwait(false);
            scope.Enter();
            await AcquirePermitAsync(priority, estimatedTokens, scope.Token).ConfigureAwait(false);
            return await _pipeline.ExecuteAsync(
                static (s, ct) => s.Owner.RunAttemptAsync(s.Attempt, s.State, ct),
                new AttemptState<TState, T>(this, attempt, state),
                scope.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (scope.TotalTimedOut)
        {
            throw TimeoutError("total", _totalTimeout, "the whole call on this target (waits, attempts and retries)", ex);
        }
        finally
        {
            scope.Release();
        }
    }

    /// <summary>
    /// Opens a stream with every protection of the target. Retries, the breaker and the limits apply until the first update
    /// arrives (within the first-chunk timeout); the returned enumerator yields that update first, then the rest, each within
    /// the idle-gap timeout. The outcome of the whole stream feeds the breaker when it ends.
    /// </summary>
    /// <param name="start">Starts one attempt of the stream; called again for each retry.</param>
    /// <param name="priority">The call's priority in the rate-limit queue.</param>
    /// <param name="estimatedTokens">The call's estimated tokens.</param>
    /// <param name="cancellationToken">The caller's token; it also cancels the stream later.</param>
    /// <returns>The stream, positioned before its first update; dispose it (<c>await using</c>) to free its concurrency slot.</returns>
    public async Task<IAsyncEnumerator<ChatStreamUpdate>> OpenStreamAsync(Func<CancellationToken, IAsyncEnumerable<ChatStreamUpdate>> start, RequestPriority priority, int estimatedTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        cancellationToken.ThrowIfCancellationRequested();
        var scope = new CallScope(this, cancellationToken);
        bool handedOver = false;
        try
        {
            await WaitForSlotAsync(scope.Token).ConfigureAwait(false);
            scope.Enter();
            await AcquirePermitAsync(priority, estimatedTokens, scope.Token).ConfigureAwait(false);
            var stream = await _pipeline.ExecuteAsync(
                static (state, ct) => state.Owner.OpenAttemptAsync(state.Start, ct),
                new StreamState(this, start),
                scope.Token).ConfigureAwait(false);
            stream.Own(scope);
            handedOver = true;
            return stream;
        }
        catch (OperationCanceledException ex) when (!handedOver && scope.TotalTimedOut)
        {
            throw TimeoutError("total", _totalTimeout, "the whole call on this target (waits, attempts and retries)", ex);
        }
        finally
        {
            if (!handedOver)
            {
                scope.Release();
            }
        }
    }

    /// <summary>Charges the tokens a call used when it was started without an estimate (<c>estimatedTokens</c> 0): the next calls take them from the token limit.</summary>
    /// <param name="usedTokens">The tokens the call actually used (input + output).</param>
    public void ReportUsage(long usedTokens) => _quota.ReportUsage(usedTokens, 0);

    /// <summary>Carries the difference between the tokens a call used and the tokens it took to the next calls (TPM accounting).</summary>
    /// <param name="usedTokens">The tokens the call actually used (input + output).</param>
    /// <param name="estimatedTokens">The estimate the call was started with.</param>
    public void ReportUsage(long usedTokens, int estimatedTokens) => _quota.ReportUsage(usedTokens, estimatedTokens);

    /// <summary>Narrows the headroom to what the provider's <c>x-ratelimit-remaining-*</c> headers say, until their reset.</summary>
    /// <param name="remainingRequests">Requests left in the provider's window, when reported.</param>
    /// <param name="remainingTokens">Tokens left, when reported.</param>
    /// <param name="resetAfter">When the provider's window resets, when reported (else 1 minute).</param>
    public void ReportRateLimitHeaders(int? remainingRequests, int? remainingTokens, TimeSpan? resetAfter) =>
        _quota.ReportHeaders(remainingRequests, remainingTokens, resetAfter);

    /// <summary>Opens the circuit by hand (e.g. an operator takes the target out) until <see cref="CloseCircuit"/>.</summary>
    public void IsolateCircuit() => _breaker?.Isolate();

    /// <summary>Closes the circuit by hand and forgets past failures.</summary>
    public void CloseCircuit() => _breaker?.Close();

    // Takes a concurrency slot (when the target has a limit); on return the caller holds it and counts itself in flight.
    private ValueTask WaitForSlotAsync(CancellationToken token) =>
        _slots is null || _slots.Wait(0, CancellationToken.None) ? default : WaitForSlotSlowAsync(token);

    private async ValueTask WaitForSlotSlowAsync(CancellationToken token)
    {
        if (!SlotQueueHasRoom())
        {
            throw TargetResilienceErrors.Mark(
                new RateLimitedException(string.Create(CultureInfo.InvariantCulture, $"'{_name}' is at its concurrency limit of {_options.MaxConcurrency} calls in flight, with no room to wait (ConcurrencyQueueLimit {_options.ConcurrencyQueueLimit}); the router tries the next target."))
                {
                    ProviderName = _name,
                    IsTransient = true,
                },
                TargetResilienceErrors.LocalLimitKey);
        }

        Interlocked.Increment(ref _waitingForSlot);
        try
        {
            await _slots!.WaitAsync(token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingForSlot);
        }
    }

    private async ValueTask AcquirePermitAsync(RequestPriority priority, int estimatedTokens, CancellationToken token)
    {
        try
        {
            await _quota.AcquireAsync(_name, priority, estimatedTokens, token).ConfigureAwait(false);
        }
        catch (RateLimitedException ex)
        {
            throw TargetResilienceErrors.Mark(ex, TargetResilienceErrors.LocalLimitKey);
        }
    }

    private bool SlotQueueHasRoom() => _options.ConcurrencyQueueLimit is not { } limit || Volatile.Read(ref _waitingForSlot) < limit;

    private async ValueTask<T> RunAttemptAsync<TState, T>(Func<TState, CancellationToken, Task<T>> attempt, TState state, CancellationToken token)
    {
        bool isProbe = false;
        if (_breaker is not null && !_breaker.TryEnter(out isProbe))
        {
            throw CircuitOpenError();
        }

        Interlocked.Increment(ref _attempts);
        CancellationTokenSource? attemptSource = null;
        CancellationTokenRegistration registration = default;
        var attemptToken = token;
        if (_attemptTimeout != Timeout.InfiniteTimeSpan)
        {
            attemptSource = _timeoutSources.Rent(_attemptTimeout);
            registration = token.UnsafeRegister(CancelSource, attemptSource);
            attemptToken = attemptSource.Token;
        }

        try
        {
            var result = await attempt(state, attemptToken).ConfigureAwait(false);
            OnAttemptSuccess(isProbe);
            return result;
        }
        catch (OperationCanceledException ex) when (!token.IsCancellationRequested)
        {
            // Neither the caller nor the total timeout: our attempt timeout, or the provider cancelled on its own.
            var error = attemptSource is { IsCancellationRequested: true }
                ? TimeoutError("attempt", _attemptTimeout, "one attempt", ex)
                : ProviderCancelledError(ex);
            OnAttemptFailure(isProbe, error);
            throw error;
        }
        catch (OperationCanceledException)
        {
            _breaker?.OnNoOutcome(isProbe);
            throw;
        }
        catch (Exception ex)
        {
            OnAttemptFailure(isProbe, ex);
            throw;
        }
        finally
        {
            registration.Dispose();
            if (attemptSource is not null)
            {
                _timeoutSources.Return(attemptSource);
            }
        }
    }

    private async ValueTask<ResilientStream> OpenAttemptAsync(Func<CancellationToken, IAsyncEnumerable<ChatStreamUpdate>> start, CancellationToken token)
    {
        bool isProbe = false;
        if (_breaker is not null && !_breaker.TryEnter(out isProbe))
        {
            throw CircuitOpenError();
        }

        Interlocked.Increment(ref _attempts);
        var streamSource = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        var registration = token.UnsafeRegister(CancelSource, streamSource);
        IAsyncEnumerator<ChatStreamUpdate>? enumerator = null;
        try
        {
            if (_firstChunkTimeout != Timeout.InfiniteTimeSpan)
            {
                streamSource.CancelAfter(_firstChunkTimeout);
            }

            enumerator = start(streamSource.Token).GetAsyncEnumerator(streamSource.Token);
            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                throw new StreamInterruptedException($"'{_name}' ended the stream before its first update; the answer is empty.") { ProviderName = _name, IsTransient = true };
            }

            streamSource.CancelAfter(Timeout.InfiniteTimeSpan);
            return new ResilientStream(this, enumerator, streamSource, registration, isProbe, enumerator.Current);
        }
        catch (Exception ex)
        {
            Exception toThrow = ex;
            if (ex is OperationCanceledException oce && !token.IsCancellationRequested)
            {
                toThrow = streamSource.IsCancellationRequested
                    ? TimeoutError("first-chunk", _firstChunkTimeout, "the first update of the stream", oce)
                    : ProviderCancelledError(oce);
                OnAttemptFailure(isProbe, toThrow);
            }
            else if (ex is OperationCanceledException)
            {
                _breaker?.OnNoOutcome(isProbe);
            }
            else
            {
                OnAttemptFailure(isProbe, ex);
            }

            if (enumerator is not null)
            {
                try
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception disposeError) when (disposeError is not OutOfMemoryException)
                {
                    // The attempt's own failure is the one to report.
                }
            }

            await registration.DisposeAsync().ConfigureAwait(false);
            streamSource.Dispose();
            if (ReferenceEquals(toThrow, ex))
            {
                throw;
            }

            throw toThrow;
        }
    }

    private void OnAttemptSuccess(bool isProbe)
    {
        if (_breaker is not null)
        {
            _breaker.OnSuccess(isProbe);
            if (isProbe)
            {
                ResilienceLog.CircuitClosed(_logger, _name);
            }
        }

        _quota.OnUpstreamSuccess();
    }

    private void OnAttemptFailure(bool isProbe, Exception error)
    {
        if (_breaker is not null && _breaker.OnFailure(isProbe, error))
        {
            ResilienceLog.CircuitOpened(_logger, _name, _breaker.LastBreakDuration, _breaker.TripCount,
                error is LlmProviderException e ? e.Kind.ToString() : error.GetType().Name);
        }

        if (error is RateLimitedException rateLimited)
        {
            _quota.OnUpstreamRateLimited(rateLimited.RetryAfter);
        }
    }

    private void OnStreamEnded(bool isProbe, Exception? error, bool noVerdict)
    {
        if (noVerdict)
        {
            _breaker?.OnNoOutcome(isProbe);
        }
        else if (error is null)
        {
            OnAttemptSuccess(isProbe);
        }
        else
        {
            OnAttemptFailure(isProbe, error);
        }
    }

    // The retry count of each kind, read once (no dictionary lookup per failure, and later edits of the options cannot race with calls).
    private static int[] RetriesByKind(TargetRetryOptions retry)
    {
        int max = 0;
        foreach (var kind in Enum.GetValues<LlmErrorKind>())
        {
            max = Math.Max(max, (int)kind);
        }

        var counts = new int[max + 1];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = retry.MaxRetriesByKind.TryGetValue((LlmErrorKind)i, out int perKind) ? perKind : retry.MaxRetries;
        }

        return counts;
    }

    private ResiliencePipeline BuildRetryPipeline(TargetRetryOptions retry)
    {
        int maxRetries = Math.Max(0, retry.MaxRetries);
        foreach (var pair in retry.MaxRetriesByKind)
        {
            maxRetries = Math.Max(maxRetries, pair.Value);
        }

        if (maxRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome.Exception, args.AttemptNumber, args.Context.CancellationToken)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryDelay(args.Outcome.Exception, args.AttemptNumber)),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retries);
                    ResilienceLog.Retrying(_logger, _name, args.AttemptNumber + 1,
                        (args.Outcome.Exception as LlmProviderException)?.Kind ?? LlmErrorKind.Unknown, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Whether a failed attempt is retried on this target.</summary>
    /// <param name="error">The failure.</param>
    /// <param name="attemptNumber">The failed attempt, 0 for the first.</param>
    /// <param name="token">The call's token (caller and total timeout).</param>
    /// <returns><see langword="true"/> to retry.</returns>
    internal bool ShouldRetry(Exception? error, int attemptNumber, CancellationToken token)
    {
        if (error is not LlmProviderException failure || token.IsCancellationRequested || !failure.IsTransient
            || TargetResilienceErrors.IsCircuitOpen(failure) || TargetResilienceErrors.IsClientSideLimit(failure)
            || failure.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Unauthorized
                or System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }

        var retry = _retry;
        int kind = (int)failure.Kind;
        int allowed = (uint)kind < (uint)_retriesByKind.Length ? _retriesByKind[kind] : retry.MaxRetries;
        if (attemptNumber >= allowed)
        {
            return false;
        }

        if (failure.RetryAfter is { } serverDelay && serverDelay > retry.MaxServerDelay)
        {
            TargetResilienceErrors.Mark(failure, TargetResilienceErrors.RetryDelayTooLongKey);
            ResilienceLog.RetryDelayTooLong(_logger, _name, serverDelay, retry.MaxServerDelay);
            return false;
        }

        return true;
    }

    /// <summary>The delay before the retry after a failed attempt: the server's delay exactly, else exponential backoff with full jitter.</summary>
    /// <param name="error">The failure.</param>
    /// <param name="attemptNumber">The failed attempt, 0 for the first.</param>
    /// <returns>The delay.</returns>
    internal TimeSpan RetryDelay(Exception? error, int attemptNumber)
    {
        if (error is LlmProviderException { RetryAfter: { } serverDelay })
        {
            return serverDelay < TimeSpan.Zero ? TimeSpan.Zero : serverDelay;
        }

        var retry = _retry;
        double ceiling = Math.Min(retry.MaxDelay.Ticks, retry.BaseDelay.Ticks * Math.Pow(retry.BackoffFactor, attemptNumber));
        double jitter = Math.Clamp(NextJitter(), 0, 1);
        return TimeSpan.FromTicks((long)(ceiling * jitter));
    }

    private ProviderUnavailableException CircuitOpenError()
    {
        string message = _breaker!.Describe(_name, out var retryAfter);
        return TargetResilienceErrors.Mark(
            new ProviderUnavailableException(message) { ProviderName = _name, RetryAfter = retryAfter, IsTransient = true },
            TargetResilienceErrors.CircuitOpenKey);
    }

    private ProviderTimeoutException TimeoutError(string which, TimeSpan limit, string what, OperationCanceledException inner)
    {
        Interlocked.Increment(ref _timeouts);
        ResilienceLog.TimedOut(_logger, _name, which, limit);
        return new ProviderTimeoutException(string.Create(CultureInfo.InvariantCulture,
            $"'{_name}' reached its {which} timeout of {FormatSpan(limit)} ({what}); the router tries the next target. Raise Timeouts.{Capitalized(which)} if the provider is just slow."), inner)
        {
            ProviderName = _name,
            IsTransient = true,
        };
    }

    private ProviderTimeoutException IdleGapError(OperationCanceledException inner)
    {
        Interlocked.Increment(ref _timeouts);
        ResilienceLog.TimedOut(_logger, _name, "idle-gap", _idleGapTimeout);
        return new ProviderTimeoutException(string.Create(CultureInfo.InvariantCulture,
            $"'{_name}' sent no chunk for {FormatSpan(_idleGapTimeout)} (the idle-gap timeout); the stream stalled. Raise Timeouts.IdleGap if the model thinks long between chunks."), inner)
        {
            ProviderName = _name,
            IsTransient = true,
        };
    }

    private ProviderTimeoutException ProviderCancelledError(OperationCanceledException inner) =>
        new($"'{_name}' cancelled the call although the caller did not (an inner timeout such as HttpClient.Timeout); treated as a timeout.", inner)
        {
            ProviderName = _name,
            IsTransient = true,
        };

    private static string Capitalized(string which) => which switch
    {
        "attempt" => "Attempt",
        "first-chunk" => "FirstChunk",
        "idle-gap" => "IdleGap",
        _ => "Total",
    };

    private static string FormatSpan(TimeSpan span) => span.TotalSeconds >= 1 && span.Ticks % TimeSpan.TicksPerSecond == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0.###} ms");

    private readonly record struct AttemptState<TState, T>(TargetResilience Owner, Func<TState, CancellationToken, Task<T>> Attempt, TState State);

    private readonly record struct StreamState(TargetResilience Owner, Func<CancellationToken, IAsyncEnumerable<ChatStreamUpdate>> Start);

    /// <summary>
    /// The resources of one call outside the retries: the total timeout and the concurrency slot. A mutable struct kept in the
    /// call's async state (no allocation); a stream takes it over (<see cref="ResilientStream.Own"/>) and releases it when it ends.
    /// </summary>
    private struct CallScope
    {
        private readonly TargetResilience _owner;
        private readonly CancellationToken _caller;
        private readonly CancellationTokenSource? _total;
        private CancellationTokenRegistration _registration;
        private bool _entered;
        private int _released;

        public CallScope(TargetResilience owner, CancellationToken caller)
        {
            _owner = owner;
            _caller = caller;
            if (owner._totalTimeout != Timeout.InfiniteTimeSpan)
            {
                _total = owner._timeoutSources.Rent(owner._totalTimeout);
                _registration = caller.UnsafeRegister(CancelSource, _total);
                Token = _total.Token;
            }
            else
            {
                Token = caller;
            }
        }

        public readonly CancellationToken Token { get; }

        public readonly CancellationToken Caller => _caller;

        public readonly bool TotalTimedOut => !_caller.IsCancellationRequested && _total is { IsCancellationRequested: true };

        /// <summary>Counts the call in flight (it holds its concurrency slot, if any); <see cref="Release"/> gives both back.</summary>
        public void Enter()
        {
            _entered = true;
            Interlocked.Increment(ref _owner._inFlight);
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            _registration.Dispose();
            if (_total is not null)
            {
                _owner._timeoutSources.Return(_total);
            }

            if (_entered)
            {
                Interlocked.Decrement(ref _owner._inFlight);
                _owner._slots?.Release();
            }
        }
    }

    /// <summary>A stream past its first update: yields it, then the rest within the idle-gap timeout; frees the call's resources when it ends.</summary>
    private sealed class ResilientStream : IAsyncEnumerator<ChatStreamUpdate>
    {
        private readonly TargetResilience _owner;
        private readonly IAsyncEnumerator<ChatStreamUpdate> _inner;
        private readonly CancellationTokenSource _streamSource;
        private readonly bool _isProbe;
        private CancellationTokenRegistration _registration;
        private CallScope _scope;
        private bool _hasScope;
        private ChatStreamUpdate _current;
        private bool _firstPending = true;
        private int _ended;
        private int _released;

        public ResilientStream(TargetResilience owner, IAsyncEnumerator<ChatStreamUpdate> inner, CancellationTokenSource streamSource,
            CancellationTokenRegistration registration, bool isProbe, ChatStreamUpdate first)
        {
            _owner = owner;
            _inner = inner;
            _streamSource = streamSource;
            _registration = registration;
            _isProbe = isProbe;
            _current = first;
        }

        public ChatStreamUpdate Current => _current;

        public void Own(CallScope scope)
        {
            _scope = scope;
            _hasScope = true;
        }

        public ValueTask<bool> MoveNextAsync()
        {
            if (_firstPending)
            {
                _firstPending = false;
                return new ValueTask<bool>(true);
            }

            return Volatile.Read(ref _ended) != 0 ? new ValueTask<bool>(false) : MoveNextCoreAsync();
        }

        public async ValueTask DisposeAsync()
        {
            // Stopped early by the consumer: no verdict on the provider.
            End(null, noVerdict: true);
            try
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                ReleaseCall();
                _streamSource.Dispose();
            }
        }

        private async ValueTask<bool> MoveNextCoreAsync()
        {
            var idle = _owner._idleGapTimeout;
            try
            {
                if (idle != Timeout.InfiniteTimeSpan)
                {
                    _streamSource.CancelAfter(idle);
                }

                bool more = await _inner.MoveNextAsync().ConfigureAwait(false);
                if (idle != Timeout.InfiniteTimeSpan)
                {
                    _streamSource.CancelAfter(Timeout.InfiniteTimeSpan);
                }

                if (more)
                {
                    _current = _inner.Current;
                    return true;
                }

                End(null, noVerdict: false);
                return false;
            }
            catch (OperationCanceledException ex) when (_hasScope && !_scope.Caller.IsCancellationRequested)
            {
                if (_scope.TotalTimedOut)
                {
                    End(null, noVerdict: true);
                    throw _owner.TimeoutError("total", _owner._totalTimeout, "the whole call on this target, stream included", ex);
                }

                var error = _streamSource.IsCancellationRequested ? _owner.IdleGapError(ex) : _owner.ProviderCancelledError(ex);
                End(error, noVerdict: false);
                throw error;
            }
            catch (OperationCanceledException)
            {
                End(null, noVerdict: true);
                throw;
            }
            catch (Exception ex)
            {
                End(ex, noVerdict: false);
                throw;
            }
        }

        private void End(Exception? error, bool noVerdict)
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                _owner.OnStreamEnded(_isProbe, error, noVerdict);
            }

            // The stream is over: free the slot and the total timeout now, not only when the consumer disposes it.
            ReleaseCall();
        }

        private void ReleaseCall()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _registration.Dispose();
                if (_hasScope)
                {
                    _scope.Release();
                }
            }
        }
    }
}
