using System;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Caching;

/// <summary>
/// The response cache shared by every route of one service provider: the store, the options, and the map of calls in flight
/// (coalescing). Each route gets its <see cref="RouteResponseCache"/> from <see cref="ForRoute"/>.
/// </summary>
internal sealed class ResponseCache
{
    private readonly FrozenSet<string> _routes;
    private readonly FrozenSet<string> _providers;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">The options (copied).</param>
    /// <param name="store">Where entries are kept.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ResponseCache(ResponseCacheOptions options, ILlmResponseCacheStore store, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Time = timeProvider ?? TimeProvider.System;
        Logger = logger ?? NullLogger.Instance;
        CacheAllRoutes = options.CacheAllRoutes;
        TimeToLive = options.TimeToLive;
        CacheStreams = options.CacheStreams;
        Coalesce = options.Coalesce;
        _routes = options.Routes.ToFrozenSet(StringComparer.Ordinal);
        _providers = options.Providers.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Gets the store.</summary>
    public ILlmResponseCacheStore Store { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Gets a value indicating whether every route caches by default.</summary>
    public bool CacheAllRoutes { get; }

    /// <summary>Gets the time to live of entries.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>Gets a value indicating whether streams are cached.</summary>
    public bool CacheStreams { get; }

    /// <summary>Gets a value indicating whether identical concurrent calls are coalesced.</summary>
    public bool Coalesce { get; }

    /// <summary>Gets the calls in flight, by key.</summary>
    internal ConcurrentDictionary<string, InFlightCall> InFlight { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the streams in flight, by key (identical concurrent streamed requests share one upstream stream).</summary>
    internal ConcurrentDictionary<string, SharedResponseStream> InFlightStreams { get; } = new(StringComparer.Ordinal);

    /// <summary>Determines whether the provider <paramref name="name"/> opted in.</summary>
    /// <param name="name">The provider's registration name.</param>
    /// <returns><see langword="true"/> when it is listed in <see cref="ResponseCacheOptions.Providers"/>.</returns>
    public bool IsProviderEnabled(string name) => _providers.Contains(name);

    /// <summary>Creates the cache of one route.</summary>
    /// <param name="route">The route's (chain's) name.</param>
    /// <param name="firstTarget">The registration name of the route's first configured target, or <see langword="null"/>.</param>
    /// <param name="resolve">Finds a provider by name (for the provider kind in the cost record of a hit).</param>
    /// <param name="costs">Where hits are recorded (at $0), or <see langword="null"/>.</param>
    /// <returns>The route's cache.</returns>
    public RouteResponseCache ForRoute(string route, string? firstTarget, Func<string, ILlmProvider?> resolve, CostAccounting? costs)
    {
        bool routeOn = CacheAllRoutes || _routes.Contains(route);
        bool firstOn = firstTarget is not null && _providers.Contains(firstTarget);
        return new RouteResponseCache(this, route, routeOn, routeOn || firstOn, resolve, costs);
    }

    /// <summary>One upstream call that identical concurrent requests share.</summary>
    internal sealed class InFlightCall : InFlightShare
    {
        /// <summary>Gets the outcome of the upstream call: its result and the stored entry (<see langword="null"/> when not cacheable).</summary>
        public TaskCompletionSource<(ChatResult Result, ResponseCacheEntry? Entry)> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// An upstream call or stream that identical concurrent requests share: counts its waiters (subscribers) and cancels the upstream
/// work when the last one leaves.
/// </summary>
internal abstract class InFlightShare
{
    private int _waiters = 1;

    /// <summary>Gets the source that cancels the upstream work when every waiter has left.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Joins the share; <see langword="false"/> when every waiter has already left (the upstream work is being cancelled).</summary>
    /// <returns><see langword="true"/> when joined.</returns>
    public bool TryJoin()
    {
        int current = Volatile.Read(ref _waiters);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _waiters, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Leaves the share (the waiter was cancelled or is done); the last to leave cancels the upstream work.</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref _waiters) == 0)
        {
            Cancellation.Cancel();
        }
    }
}
