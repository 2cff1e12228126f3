using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Caching;

/// <summary>
/// The default <see cref="ILlmResponseCacheStore"/>: in memory, bounded by a number of entries and a number of bytes, evicting
/// the least recently used entries first; entries expire on the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// An entry's size is its value's length plus its key's characters plus a fixed overhead (<see cref="EntryOverhead"/>): an
/// approximation of what it holds in memory. An entry larger than the byte bound is not stored. One lock guards the map and the
/// recency list; it is held for a dictionary operation and a list splice, never across I/O.
/// </remarks>
internal sealed class InMemoryResponseCacheStore : ILlmResponseCacheStore
{
    /// <summary>The bytes counted for an entry beyond its value and key (node, map slot, strings' headers).</summary>
    public const int EntryOverhead = 128;

    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private long _bytes;

    /// <summary>Initializes a new store.</summary>
    /// <param name="maxEntries">The most entries kept.</param>
    /// <param name="maxBytes">The most bytes kept (approximate sizes).</param>
    /// <param name="timeProvider">The clock of expiry.</param>
    public InMemoryResponseCacheStore(int maxEntries, long maxBytes, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the number of entries held (expired ones included until they are read or evicted).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>Gets the approximate bytes held.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <inheritdoc />
    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                return default;
            }

            if (node.Value.ExpiresAt <= now)
            {
                RemoveNode(node);
                return default;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return new ValueTask<byte[]?>(node.Value.Value);
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        long size = SizeOf(key, value);
        var expiresAt = _time.GetUtcNow() + timeToLive;
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                RemoveNode(existing);
            }

            if (size > _maxBytes || timeToLive <= TimeSpan.Zero)
            {
                return default;
            }

            var node = _recency.AddFirst(new Entry(key, value, expiresAt, size));
            _map.Add(key, node);
            Interlocked.Add(ref _bytes, size);
            while (_map.Count > _maxEntries || _bytes > _maxBytes)
            {
                RemoveNode(_recency.Last!);
            }
        }

        return default;
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                RemoveNode(node);
            }
        }

        return default;
    }

    /// <summary>Computes the size counted for an entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>The approximate bytes.</returns>
    public static long SizeOf(string key, byte[] value) => value.LongLength + (2L * key.Length) + EntryOverhead;

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _map.Remove(node.Value.Key);
        Interlocked.Add(ref _bytes, -node.Value.Size);
    }

    private sealed record Entry(string Key, byte[] Value, DateTimeOffset ExpiresAt, long Size);
}
