using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Distributed;

namespace LlmProviders.Caching;

/// <summary>
/// An <see cref="ILlmResponseCacheStore"/> over the application's <see cref="IDistributedCache"/> (Redis, SQL Server, memory …):
/// entries are stored under <see cref="KeyPrefix"/> + key with an absolute expiry of the time to live. The distributed cache
/// bounds its own memory; <see cref="ResponseCacheOptions.MaxEntries"/> and <see cref="ResponseCacheOptions.MaxBytes"/> do not apply.
/// </summary>
internal sealed class DistributedResponseCacheStore : ILlmResponseCacheStore
{
    /// <summary>The prefix of every key written to the distributed cache.</summary>
    public const string KeyPrefix = "LlmProviders:ResponseCache:";

    private readonly IDistributedCache _cache;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="cache">The distributed cache.</param>
    public DistributedResponseCacheStore(IDistributedCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await _cache.GetAsync(KeyPrefix + key, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        await _cache.SetAsync(KeyPrefix + key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = timeToLive }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        await _cache.RemoveAsync(KeyPrefix + key, cancellationToken).ConfigureAwait(false);
}
