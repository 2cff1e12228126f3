using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Caching;

/// <summary>
/// Where the response cache keeps its entries. Entries are opaque, self-contained byte arrays (a serialized result or recorded
/// stream) under a 64-character key, so any key-value store can hold them. The default store is in memory, bounded by
/// <see cref="ResponseCacheOptions.MaxEntries"/> and <see cref="ResponseCacheOptions.MaxBytes"/>;
/// <c>UseDistributedResponseCache()</c> puts them in the application's <c>IDistributedCache</c>.
/// </summary>
/// <remarks>
/// A store that fails (throws) never fails the call: a failed read is a miss and a failed write is dropped, and both are logged.
/// Implementations must be safe to call concurrently.
/// </remarks>
public interface ILlmResponseCacheStore
{
    /// <summary>Reads an entry.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> when there is none or it has expired.</returns>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Writes an entry, replacing any entry under the same key.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="value">The entry. The store may keep the array: the cache never changes it afterwards.</param>
    /// <param name="timeToLive">How long the entry stays readable.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is written.</returns>
    ValueTask SetAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes an entry, if there is one.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when the entry is gone.</returns>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default);
}
