using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Costs;

/// <summary>
/// The default <see cref="ICostLedgerStore"/> (SPEC C5): cost records in a bounded, lock-free ring in memory, and budget spend in
/// memory. Nothing survives a restart and nothing is shared between app instances.
/// </summary>
/// <remarks>
/// <para>Memory is bounded by <see cref="InMemoryCostLedgerOptions.Capacity"/>: when the ring is full the oldest record is
/// overwritten. The ring grows in segments of 4,096 records as it fills, so a store that records little holds little.</para>
/// <para><see cref="Record"/> takes no lock and allocates nothing (apart from the one-time allocation of a segment): it claims a
/// sequence number with <see cref="Interlocked.Increment(ref long)"/> and publishes the record in its slot behind a sequence stamp.
/// Readers copy a slot and check its stamp before and after the copy (a seqlock), so they never return a record half-written by a
/// concurrent writer; a slot being overwritten is skipped. A writer that finds an older write still in progress in its slot (the
/// ring went all the way round while that writer was descheduled) waits for it; a writer whose slot already holds a newer record
/// drops its own, which is older than the <see cref="InMemoryCostLedgerOptions.Capacity"/> newest anyway.</para>
/// <para>Records older than <see cref="InMemoryCostLedgerOptions.Retention"/> (by the injected <see cref="TimeProvider"/>) are not
/// returned by <see cref="QueryAsync"/>; budget periods that started before it (and at least 32 days ago, so that a running
/// monthly period is never reset) are forgotten, checked at most once a minute when a reservation is made.</para>
/// <para>All operations complete synchronously.</para>
/// </remarks>
public sealed class InMemoryCostLedgerStore : ICostLedgerStore
{
    private const int SegmentShift = 12;
    private const int SegmentSize = 1 << SegmentShift;
    private const int SegmentMask = SegmentSize - 1;
    private const int BatchSize = 4096;

    private static readonly long PruneInterval = TimeSpan.FromMinutes(1).Ticks;
    private static readonly long MinBudgetRetention = TimeSpan.FromDays(32).Ticks;

    private readonly Slot[]?[] _segments;
    private readonly long _capacity;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _timeProvider;
    private readonly BudgetSpendTable _spend = new();
    private long _next;
    private long _lastPruneTicks = long.MinValue;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">The capacity and retention; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock retention is measured on; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity or the retention is not positive.</exception>
    public InMemoryCostLedgerStore(InMemoryCostLedgerOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new InMemoryCostLedgerOptions();
        if (options.Capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Capacity, "InMemoryCostLedgerOptions.Capacity must be positive.");
        }

        if (options.Retention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Retention, "InMemoryCostLedgerOptions.Retention must be positive.");
        }

        _capacity = options.Capacity;
        _retention = options.Retention;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _segments = new Slot[]?[(options.Capacity + SegmentSize - 1) >> SegmentShift];
    }

    /// <summary>Gets the number of records held (at most <see cref="InMemoryCostLedgerOptions.Capacity"/>, including records past the
    /// retention that have not been overwritten yet).</summary>
    public long Count => Math.Min(TotalRecorded, _capacity);

    /// <summary>Gets the number of records recorded since the store was created, overwritten ones included.</summary>
    public long TotalRecorded => Volatile.Read(ref _next);

    /// <inheritdoc />
    public void Record(in CostRecord record)
    {
        long seq = Interlocked.Increment(ref _next) - 1;
        ref Slot slot = ref SlotAt(seq % _capacity);
        long writing = (seq << 1) + 1;
        SpinWait spin = default;
        while (true)
        {
            long stamp = Volatile.Read(ref slot.Stamp);
            if (stamp > writing)
            {
                return; // A newer record is there already: ours is older than the newest Capacity ones.
            }

            if ((stamp & 1) != 0)
            {
                spin.SpinOnce(); // An older write is still in progress in this slot.
                continue;
            }

            if (Interlocked.CompareExchange(ref slot.Stamp, writing, stamp) == stamp)
            {
                break;
            }
        }

        slot.Record = record;
        Volatile.Write(ref slot.Stamp, writing + 1);
    }

    /// <inheritdoc />
    /// <remarks>Records come in the order they were recorded (which is their timestamp order when calls are recorded as they
    /// start), in batches of up to 4,096 rented from <see cref="ArrayPool{T}.Shared"/> and returned when the enumeration ends.</remarks>
    public IAsyncEnumerable<ReadOnlyMemory<CostRecord>> QueryAsync(CostRecordFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new QueryEnumerable(this, filter, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<BudgetReserveOutcome> TryReserveAsync(BudgetPeriodKey key, decimal amount, decimal limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PruneBudgetPeriods();
        return new ValueTask<BudgetReserveOutcome>(_spend.TryReserve(key, amount, limit));
    }

    /// <inheritdoc />
    public ValueTask<decimal> SettleAsync(BudgetPeriodKey key, decimal reserved, decimal actual, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<decimal>(_spend.Settle(key, reserved, actual));
    }

    /// <inheritdoc />
    public ValueTask<decimal> GetSpentAsync(BudgetPeriodKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<decimal>(_spend.GetSpent(key));
    }

    /// <summary>Gets the number of budget periods held (for tests).</summary>
    internal int BudgetPeriodCount => _spend.Count;

    private ref Slot SlotAt(long index)
    {
        int segmentIndex = (int)(index >> SegmentShift);
        Slot[] segment = Volatile.Read(ref _segments[segmentIndex]) ?? CreateSegment(segmentIndex);
        return ref segment[(int)(index & SegmentMask)];
    }

    private Slot[] CreateSegment(int segmentIndex)
    {
        long start = (long)segmentIndex << SegmentShift;
        var created = new Slot[(int)Math.Min(SegmentSize, _capacity - start)];
        return Interlocked.CompareExchange(ref _segments[segmentIndex], created, null) ?? created;
    }

    // Forgets budget periods older than the retention, at most once a minute of TimeProvider time.
    private void PruneBudgetPeriods()
    {
        long now = _timeProvider.GetUtcNow().UtcTicks;
        long last = Volatile.Read(ref _lastPruneTicks);
        if (last != long.MinValue && now - last < PruneInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastPruneTicks, now, last) == last)
        {
            // Never less than 32 days, so that a short retention cannot reset the running period of a monthly budget.
            long keep = Math.Max(_retention.Ticks, MinBudgetRetention);
            _spend.RemoveBefore(new DateTimeOffset(Math.Max(0, now - keep), TimeSpan.Zero));
        }
    }

    // Copies the records of sequence numbers [next, end) that pass the retention and the filter (null: none) into the buffer;
    // returns how many it copied. Works on runs of contiguous slots: first copies each published slot, then after one full fence
    // checks every stamp again and keeps the records whose slot was not overwritten meanwhile (a seqlock, per run).
    private int Fill(CostRecord[] buffer, bool[] valid, CostRecordFilter? filter, long cutoffTicks, ref long next, long end)
    {
        int count = 0;
        while (next < end && count < buffer.Length)
        {
            long index = next % _capacity;
            int segmentIndex = (int)(index >> SegmentShift);
            int offset = (int)(index & SegmentMask);
            int segmentLength = (int)Math.Min(SegmentSize, _capacity - ((long)segmentIndex << SegmentShift));
            int run = (int)Math.Min(Math.Min(end - next, buffer.Length - count), segmentLength - offset);
            Slot[]? segment = Volatile.Read(ref _segments[segmentIndex]);
            long published = (next << 1) + 2;
            next += run;
            if (segment is null)
            {
                continue;
            }

            for (int j = 0; j < run; j++)
            {
                ref Slot slot = ref segment[offset + j];
                bool ok = Volatile.Read(ref slot.Stamp) == published + (2L * j);
                valid[count + j] = ok;
                if (ok)
                {
                    buffer[count + j] = slot.Record;
                }
            }

            Interlocked.MemoryBarrier(); // The copies above complete before the stamps are read again.
            int kept = count;
            for (int j = 0; j < run; j++)
            {
                if (!valid[count + j] || Volatile.Read(ref segment[offset + j].Stamp) != published + (2L * j))
                {
                    continue; // Not published yet, overwritten before the copy, or overwritten during it (the copy may be torn).
                }

                ref CostRecord record = ref buffer[count + j];
                if (record.Timestamp.UtcTicks < cutoffTicks || (filter is not null && !filter.Matches(in record)))
                {
                    continue;
                }

                if (kept != count + j)
                {
                    buffer[kept] = record;
                }

                kept++;
            }

            count = kept;
        }

        return count;
    }

    private static bool SelectsAll(CostRecordFilter filter) =>
        filter.From is null && filter.To is null && filter.ProviderName is null && filter.Model is null && filter.Route is null
        && filter.TagKey is null && filter.TagValue is null;

    private struct Slot
    {
        // 0: never written; 2·seq + 1: record seq being written; 2·seq + 2: record seq published.
        public long Stamp;
        public CostRecord Record;
    }

    private sealed class QueryEnumerable(InMemoryCostLedgerStore store, CostRecordFilter filter, CancellationToken cancellationToken)
        : IAsyncEnumerable<ReadOnlyMemory<CostRecord>>
    {
        public IAsyncEnumerator<ReadOnlyMemory<CostRecord>> GetAsyncEnumerator(CancellationToken enumeratorCancellationToken = default)
        {
            var token = enumeratorCancellationToken.CanBeCanceled ? enumeratorCancellationToken : cancellationToken;
            return new QueryEnumerator(store, filter, token);
        }
    }

    private sealed class QueryEnumerator : IAsyncEnumerator<ReadOnlyMemory<CostRecord>>
    {
        private readonly InMemoryCostLedgerStore _store;
        private readonly CostRecordFilter? _filter;
        private readonly CancellationToken _cancellationToken;
        private readonly long _cutoffTicks;
        private readonly long _end;
        private long _next;
        private CostRecord[]? _buffer;
        private bool[]? _valid;

        public QueryEnumerator(InMemoryCostLedgerStore store, CostRecordFilter filter, CancellationToken cancellationToken)
        {
            _store = store;
            _filter = SelectsAll(filter) ? null : filter;
            _cancellationToken = cancellationToken;
            long now = store._timeProvider.GetUtcNow().UtcTicks;
            _cutoffTicks = now - Math.Min(now, store._retention.Ticks);
            _end = store.TotalRecorded;
            _next = Math.Max(0, _end - store._capacity);
        }

        public ReadOnlyMemory<CostRecord> Current { get; private set; }

        public ValueTask<bool> MoveNextAsync()
        {
            _cancellationToken.ThrowIfCancellationRequested();
            while (_next < _end)
            {
                _buffer ??= ArrayPool<CostRecord>.Shared.Rent(BatchSize);
                _valid ??= ArrayPool<bool>.Shared.Rent(_buffer.Length);
                int count = _store.Fill(_buffer, _valid, _filter, _cutoffTicks, ref _next, _end);
                if (count > 0)
                {
                    Current = new ReadOnlyMemory<CostRecord>(_buffer, 0, count);
                    return new ValueTask<bool>(true);
                }

                _cancellationToken.ThrowIfCancellationRequested();
            }

            Current = default;
            ReturnBuffer();
            return new ValueTask<bool>(false);
        }

        public ValueTask DisposeAsync()
        {
            ReturnBuffer();
            return default;
        }

        private void ReturnBuffer()
        {
            if (_buffer is { } buffer)
            {
                _buffer = null;
                Current = default;

                // Clear the records copied so that the pool does not keep their tags alive.
                Array.Clear(buffer);
                ArrayPool<CostRecord>.Shared.Return(buffer);
            }

            if (_valid is { } valid)
            {
                _valid = null;
                ArrayPool<bool>.Shared.Return(valid);
            }
        }
    }
}

/// <summary>Options of <see cref="InMemoryCostLedgerStore"/>.</summary>
public sealed class InMemoryCostLedgerOptions
{
    /// <summary>Gets or sets the number of records kept; when full, the oldest record is overwritten.</summary>
    /// <value>The default value is 100,000 (about 17 MB when full: a record takes 168 bytes plus its strings and tags).</value>
    public int Capacity { get; set; } = 100_000;

    /// <summary>Gets or sets how long records and budget periods are kept: older records are not returned, and budget periods that
    /// started longer ago (and at least 32 days ago) are forgotten.</summary>
    /// <value>The default value is 93 days (three months, so last month's report stays whole).</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(93);
}
