using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;

namespace LlmProviders.Caching;

/// <summary>
/// The response cache at one route's entry: decides whether a request uses the cache, serves hits ($0, flagged, recorded),
/// coalesces identical concurrent calls, and stores successful results and complete streams.
/// </summary>
/// <remarks>
/// A hit carries the original answer's message, usage, provider and model; its <see cref="ChatResult.Cost"/> is 0, its
/// <see cref="ChatResult.FromCache"/> is set, its trace is empty (no candidate was tried) and its latency is the lookup's. The cost
/// tracker gets one record with cost 0, <see cref="CostRecord.FromCache"/> set and the original token counts. Failed calls and
/// streams that fail or are abandoned before their final update are never stored.
/// </remarks>
internal sealed class RouteResponseCache
{
    private readonly ResponseCache _cache;
    private readonly string _route;
    private readonly bool _routeOn;
    private readonly bool _defaultOn;
    private readonly Func<string, ILlmProvider?> _resolve;
    private readonly CostAccounting? _costs;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="cache">The shared cache.</param>
    /// <param name="route">The route's name.</param>
    /// <param name="routeOn">Whether the route itself (or every route) opted in.</param>
    /// <param name="defaultOn">Whether a request without a pinned provider is cached by default (route or first target opted in).</param>
    /// <param name="resolve">Finds a provider by name.</param>
    /// <param name="costs">Where hits are recorded, or <see langword="null"/>.</param>
    public RouteResponseCache(ResponseCache cache, string route, bool routeOn, bool defaultOn, Func<string, ILlmProvider?> resolve, CostAccounting? costs)
    {
        _cache = cache;
        _route = route;
        _routeOn = routeOn;
        _defaultOn = defaultOn;
        _resolve = resolve;
        _costs = costs;
    }

    /// <summary>Determines whether a request goes through the cache.</summary>
    /// <param name="request">The request.</param>
    /// <param name="stream">Whether the call is streamed.</param>
    /// <returns><see langword="true"/> when the cache is read (unless refreshing) and written.</returns>
    public bool Applies(ChatRequest request, bool stream)
    {
        if (stream && !_cache.CacheStreams)
        {
            return false;
        }

        return request.CacheMode switch
        {
            ResponseCacheMode.Bypass => false,
            ResponseCacheMode.Use or ResponseCacheMode.Refresh => true,
            _ => request.PinnedProvider is { } pinned ? _routeOn || _cache.IsProviderEnabled(pinned) : _defaultOn,
        };
    }

    /// <summary>Answers a request from the cache, from an identical call in flight, or from <paramref name="upstream"/> (and stores the result).</summary>
    /// <param name="request">The request.</param>
    /// <param name="upstream">The route without the cache.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the upstream call when no other caller waits for it).</param>
    /// <returns>The result.</returns>
    public async Task<ChatResult> ChatAsync(ChatRequest request, Func<ChatRequest, CancellationToken, Task<ChatResult>> upstream, CancellationToken cancellationToken)
    {
        long start = _cache.Time.GetTimestamp();
        var startedAt = _cache.Time.GetUtcNow();
        string? key = ResponseCacheKey.Compute(request, _route, stream: false);
        if (key is null)
        {
            return await upstream(request, cancellationToken).ConfigureAwait(false);
        }

        if (request.CacheMode != ResponseCacheMode.Refresh && await TryGetAsync(key, cancellationToken).ConfigureAwait(false) is { Updates: null } stored)
        {
            ResponseCacheLog.Hit(_cache.Logger, _route, stored.ProviderName);
            return await ServeAsync(stored.ToResult(), request, start, startedAt).ConfigureAwait(false);
        }

        if (!_cache.Coalesce)
        {
            var result = await upstream(request, cancellationToken).ConfigureAwait(false);
            await TryStoreAsync(key, ResponseCacheEntry.FromResult(result, _cache.Time.GetUtcNow())).ConfigureAwait(false);
            return result;
        }

        var (call, leader) = JoinOrStart(key, request, upstream);
        (ChatResult Result, ResponseCacheEntry? Entry) shared;
        try
        {
            shared = await call.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            call.Leave();
            throw;
        }

        if (leader)
        {
            return shared.Result;
        }

        ResponseCacheLog.Coalesced(_cache.Logger, _route);
        return await ServeAsync(shared.Entry?.ToResult() ?? ShallowCopy(shared.Result), request, start, startedAt).ConfigureAwait(false);
    }

    /// <summary>
    /// Replays a cached stream, joins an identical stream in flight, or streams from <paramref name="upstream"/> while recording it
    /// (and stores it once complete).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="upstream">The route's stream without the cache.</param>
    /// <param name="cancellationToken">Cancels this caller's stream (and the upstream stream when no other caller reads it).</param>
    /// <returns>The updates.</returns>
    /// <remarks>
    /// With coalescing on, the first caller starts the upstream stream and reads its updates as they are; an identical request
    /// made while it is in flight reads every update produced so far (replayed from the recording) and then the live ones, at its
    /// own pace, as copies flagged <see cref="ChatStreamUpdate.FromCache"/> whose final update costs 0. The upstream stream is
    /// cancelled only when every reader left; its failure reaches every reader as the same exception and nothing is stored.
    /// </remarks>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(
        ChatRequest request, Func<ChatRequest, CancellationToken, IAsyncEnumerable<ChatStreamUpdate>> upstream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long start = _cache.Time.GetTimestamp();
        var startedAt = _cache.Time.GetUtcNow();
        string? key = ResponseCacheKey.Compute(request, _route, stream: true);
        if (key is not null && request.CacheMode != ResponseCacheMode.Refresh &&
            await TryGetAsync(key, cancellationToken).ConfigureAwait(false) is { Updates: { Count: > 0 } updates } stored)
        {
            ResponseCacheLog.Hit(_cache.Logger, _route, stored.ProviderName);
            TimeSpan? firstUpdate = null;
            foreach (var recorded in updates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var update = recorded.ToUpdate();
                firstUpdate ??= _cache.Time.GetElapsedTime(start);
                if (update.IsFinal)
                {
                    await ServeFinalAsync(update, request, stored.ProviderName, stored.Model, start, firstUpdate, startedAt).ConfigureAwait(false);
                }

                yield return update;
            }

            yield break;
        }

        if (key is not null && _cache.Coalesce)
        {
            var (shared, leader) = JoinOrStartStream(key, request, upstream);
            if (!leader)
            {
                ResponseCacheLog.Coalesced(_cache.Logger, _route);
            }

            try
            {
                TimeSpan? firstUpdate = null;
                int index = 0;
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var next = shared.Read(index, out var item, out var wait);
                    if (next == SharedResponseStream.Next.End)
                    {
                        yield break;
                    }

                    if (next == SharedResponseStream.Next.Wait)
                    {
                        await wait!.WaitAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    index++;
                    if (leader)
                    {
                        yield return item.Original;
                        continue;
                    }

                    var update = item.ForFollower();
                    firstUpdate ??= _cache.Time.GetElapsedTime(start);
                    if (update.IsFinal)
                    {
                        await ServeFinalAsync(update, request, null, null, start, firstUpdate, startedAt).ConfigureAwait(false);
                    }

                    yield return update;
                }
            }
            finally
            {
                // Done, cancelled or stopped reading: the last reader to leave cancels the upstream stream (if still running).
                shared.Leave();
            }
        }

        List<ResponseCacheUpdate>? recording = key is null ? null : [];
        bool complete = false;
        await foreach (var update in upstream(request, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (recording is not null)
            {
                recording = Record(recording, update);
                complete |= update.IsFinal;
            }

            yield return update;
        }

        // Only a stream that ran to its final update (and that the caller read to the end) is stored.
        if (complete && recording is not null)
        {
            var entry = new ResponseCacheEntry { CreatedAt = _cache.Time.GetUtcNow(), Updates = recording };
            await TryStoreAsync(key!, entry).ConfigureAwait(false);
        }
    }

    // A replayed (or shared) stream's final update: $0, flagged, the reader's own latency and an empty trace; recorded as a hit.
    private ValueTask ServeFinalAsync(
        ChatStreamUpdate update, ChatRequest request, string? providerName, string? model, long start, TimeSpan? firstUpdate, DateTimeOffset startedAt)
    {
        update.FromCache = true;
        update.Cost = 0m;
        update.Latency = _cache.Time.GetElapsedTime(start);
        update.TimeToFirstToken = firstUpdate;
        update.Trace = new RoutingTrace(_route);
        return RecordHitAsync(request, update.ProviderName ?? providerName, update.Model ?? model, update.Usage, update.Latency.Value, firstUpdate, startedAt);
    }

    private (SharedResponseStream Stream, bool Leader) JoinOrStartStream(
        string key, ChatRequest request, Func<ChatRequest, CancellationToken, IAsyncEnumerable<ChatStreamUpdate>> upstream)
    {
        var inFlight = _cache.InFlightStreams;
        while (true)
        {
            if (inFlight.TryGetValue(key, out var existing))
            {
                if (existing.TryJoin())
                {
                    return (existing, false);
                }

                // Every reader of that stream left (it is being cancelled): replace it.
                var replacement = new SharedResponseStream();
                if (inFlight.TryUpdate(key, replacement, existing))
                {
                    _ = PumpAsync(key, replacement, request, upstream);
                    return (replacement, true);
                }

                continue;
            }

            var stream = new SharedResponseStream();
            if (inFlight.TryAdd(key, stream))
            {
                _ = PumpAsync(key, stream, request, upstream);
                return (stream, true);
            }
        }
    }

    // The shared upstream stream: read at its own pace on the share's token (cancelled only when every reader left), recorded,
    // published to the readers, stored once complete; it leaves the in-flight map once stored, so that a later identical request
    // finds one or the other. Never throws: the end or the failure goes to every reader through the share.
    private async Task PumpAsync(
        string key, SharedResponseStream shared, ChatRequest request, Func<ChatRequest, CancellationToken, IAsyncEnumerable<ChatStreamUpdate>> upstream)
    {
        try
        {
            List<ResponseCacheUpdate>? recording = [];
            bool complete = false;
            var token = shared.Cancellation.Token;
            await foreach (var update in upstream(request, token).WithCancellation(token).ConfigureAwait(false))
            {
                // Every reader left: stop at once (disposing the upstream stream ends its attempt as cancelled).
                token.ThrowIfCancellationRequested();
                ResponseCacheUpdate? recorded = null;
                if (recording is not null)
                {
                    recording = Record(recording, update);
                    recorded = recording?[^1];
                }

                complete |= update.IsFinal;
                shared.Publish(update, recorded, recorded is null ? SharedResponseStream.Copy(update) : null);
            }

            if (complete && recording is not null)
            {
                await TryStoreAsync(key, new ResponseCacheEntry { CreatedAt = _cache.Time.GetUtcNow(), Updates = recording }).ConfigureAwait(false);
            }

            _cache.InFlightStreams.TryRemove(new KeyValuePair<string, SharedResponseStream>(key, shared));
            shared.End(null);
        }
        catch (Exception ex)
        {
            _cache.InFlightStreams.TryRemove(new KeyValuePair<string, SharedResponseStream>(key, shared));
            shared.End(ex);
        }
    }

    private List<ResponseCacheUpdate>? Record(List<ResponseCacheUpdate> recording, ChatStreamUpdate update)
    {
        try
        {
            recording.Add(ResponseCacheUpdate.From(update));
            return recording;
        }
        catch (Exception ex) when (ResponseCacheEntry.IsSerializationFailure(ex))
        {
            ResponseCacheLog.NotCacheable(_cache.Logger, _route);
            return null;
        }
    }

    private (ResponseCache.InFlightCall Call, bool Leader) JoinOrStart(string key, ChatRequest request, Func<ChatRequest, CancellationToken, Task<ChatResult>> upstream)
    {
        var inFlight = _cache.InFlight;
        while (true)
        {
            if (inFlight.TryGetValue(key, out var existing))
            {
                if (existing.TryJoin())
                {
                    return (existing, false);
                }

                // Every waiter of that call left (it is being cancelled): replace it.
                var replacement = new ResponseCache.InFlightCall();
                if (inFlight.TryUpdate(key, replacement, existing))
                {
                    _ = RunAsync(key, replacement, request, upstream);
                    return (replacement, true);
                }

                continue;
            }

            var call = new ResponseCache.InFlightCall();
            if (inFlight.TryAdd(key, call))
            {
                _ = RunAsync(key, call, request, upstream);
                return (call, true);
            }
        }
    }

    // The shared upstream call: runs on the call's own token (cancelled only when every waiter left), stores a success, and leaves
    // the in-flight map once the entry is stored, so that a later identical request finds one or the other.
    // Never throws: the outcome (result, failure or cancellation) goes to every waiter through the call's completion source.
    private async Task RunAsync(string key, ResponseCache.InFlightCall call, ChatRequest request, Func<ChatRequest, CancellationToken, Task<ChatResult>> upstream)
    {
        try
        {
            var result = await upstream(request, call.Cancellation.Token).ConfigureAwait(false);
            var entry = ResponseCacheEntry.FromResult(result, _cache.Time.GetUtcNow());
            await TryStoreAsync(key, entry).ConfigureAwait(false);
            _cache.InFlight.TryRemove(new KeyValuePair<string, ResponseCache.InFlightCall>(key, call));
            call.Outcome.TrySetResult((result, entry));
        }
        catch (OperationCanceledException ex)
        {
            _cache.InFlight.TryRemove(new KeyValuePair<string, ResponseCache.InFlightCall>(key, call));
            call.Outcome.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            _cache.InFlight.TryRemove(new KeyValuePair<string, ResponseCache.InFlightCall>(key, call));
            call.Outcome.TrySetException(ex);

            // Every waiter may have left already: the failure is theirs to see, never an unobserved task exception.
            _ = call.Outcome.Task.Exception;
        }
    }

    private async Task<ChatResult> ServeAsync(ChatResult result, ChatRequest request, long start, DateTimeOffset startedAt)
    {
        result.FromCache = true;
        result.Cost = 0m;
        result.Latency = _cache.Time.GetElapsedTime(start);
        result.Trace = new RoutingTrace(_route);
        await RecordHitAsync(request, result.ProviderName, result.Model, result.Usage, result.Latency, null, startedAt).ConfigureAwait(false);
        return result;
    }

    private ValueTask RecordHitAsync(
        ChatRequest request, string? providerName, string? model, Microsoft.Extensions.AI.UsageDetails? usage, TimeSpan latency, TimeSpan? timeToFirstToken, DateTimeOffset startedAt)
    {
        if (_costs is null)
        {
            return default;
        }

        string provider = providerName ?? _route;
        var record = CostAccounting.CreateRecord(
            startedAt, provider, _resolve(provider)?.Kind, model ?? request.Model, _route, usage, 0m, latency, timeToFirstToken, null, true, request.Tags);
        return _costs.CompleteAsync(BudgetReservation.Unbudgeted, record);
    }

    private async ValueTask<ResponseCacheEntry?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await _cache.Store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ResponseCacheLog.StoreFailed(_cache.Logger, _route, "read", ex);
            return null;
        }

        return bytes is null ? null : ResponseCacheEntry.FromBytes(bytes);
    }

    private async ValueTask TryStoreAsync(string key, ResponseCacheEntry? entry)
    {
        if (entry is null)
        {
            ResponseCacheLog.NotCacheable(_cache.Logger, _route);
            return;
        }

        try
        {
            await _cache.Store.SetAsync(key, entry.ToBytes(), _cache.TimeToLive, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ResponseCacheLog.StoreFailed(_cache.Logger, _route, "write", ex);
        }
    }

    // Only when the answer could not be serialized: the waiters share the message, each has its own result.
    private static ChatResult ShallowCopy(ChatResult result) => new(result.Message)
    {
        FinishReason = result.FinishReason,
        ContentFilterCategories = result.ContentFilterCategories,
        Refusal = result.Refusal,
        Usage = result.Usage,
        ResponseId = result.ResponseId,
        ProviderName = result.ProviderName,
        Model = result.Model,
        AdditionalProperties = result.AdditionalProperties,
    };
}
