using System;
using System.Collections.Generic;

namespace LlmProviders.Caching;

/// <summary>
/// The response cache (SPEC D4): exact-match caching of results and streams at the route entry, opt-in per route, per provider
/// or per request (<see cref="ChatRequest.CacheMode"/>), with a time to live, bounded memory and coalescing of identical
/// concurrent requests. Bound from configuration section <c>LlmProviders:ResponseCache</c> by the configuration binding.
/// </summary>
/// <remarks>
/// A request with <see cref="ResponseCacheMode.Default"/> is cached when <see cref="CacheAllRoutes"/> is set, or its route is
/// listed in <see cref="Routes"/>, or its first-choice provider is listed in <see cref="Providers"/> (the pinned provider when
/// the request pins one, else the route's first configured target). <see cref="ResponseCacheMode.Use"/> and
/// <see cref="ResponseCacheMode.Refresh"/> cache it whatever the configuration says; <see cref="ResponseCacheMode.Bypass"/> never does.
/// </remarks>
public sealed class ResponseCacheOptions
{
    /// <summary>Gets or sets a value indicating whether every route caches requests with <see cref="ResponseCacheMode.Default"/>.</summary>
    /// <value>The default value is <see langword="false"/>: only the routes and providers listed, and requests that ask for it.</value>
    public bool CacheAllRoutes { get; set; }

    /// <summary>Gets the routes (chain names; <c>default</c> for the default route) whose requests are cached.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Routes { get; } = new List<string>();

    /// <summary>
    /// Gets the providers (registration names) whose requests are cached (seed 002's <c>enable_caching</c>): a request is cached
    /// when the provider it pins, or the first configured target of its route, is listed here.
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Providers { get; } = new List<string>();

    /// <summary>Gets or sets how long an entry is served.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the most entries the in-memory store keeps; the least recently used are evicted first.</summary>
    /// <value>The default value is 10,000.</value>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Gets or sets the most bytes the in-memory store keeps (approximate: serialized entry plus key plus overhead).</summary>
    /// <value>The default value is 64 MiB.</value>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets a value indicating whether streamed calls are cached too (recorded, and replayed as streams on a hit).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CacheStreams { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether identical concurrent requests share one upstream call: the first makes it, the
    /// others wait for its result and are served as cache hits. Identical concurrent streamed requests share one upstream
    /// stream: a caller that joins it gets the updates produced so far, then the live ones, flagged as coming from the cache.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Coalesce { get; set; } = true;
}
