using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace LlmProviders.Costs;

/// <summary>
/// Gives small ids to the strings of one report (provider names, models, tag keys and values). The strings of records are usually
/// the same few instances (registration names, model ids from the catalog), so a short scan by reference answers most look-ups
/// before the ordinal dictionary is asked.
/// </summary>
internal sealed class KeyTable
{
    private const int RecentSize = 8;

    private readonly string?[] _recent = new string?[RecentSize];
    private readonly int[] _recentIds = new int[RecentSize];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];
    private int _recentNext;

    public int Count => _keys.Count;

    public string this[int id] => _keys[id];

    public int GetId(string key)
    {
        string?[] recent = _recent;
        for (int i = 0; i < recent.Length; i++)
        {
            if (ReferenceEquals(recent[i], key))
            {
                return _recentIds[i];
            }
        }

        ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, key, out bool exists);
        if (!exists)
        {
            id = _keys.Count;
            _keys.Add(key);
        }

        int slot = _recentNext;
        _recentNext = (slot + 1) & (RecentSize - 1);
        recent[slot] = key;
        _recentIds[slot] = id;
        return id;
    }
}

/// <summary>Summaries keyed by string, in a <see cref="KeyTable"/>.</summary>
internal sealed class KeyedSummaries
{
    private readonly KeyTable _keys = new();
    private readonly List<CostSummary> _summaries = [];

    public CostSummary Get(string key)
    {
        int id = _keys.GetId(key);
        if (id == _summaries.Count)
        {
            _summaries.Add(new CostSummary());
        }

        return _summaries[id];
    }

    public SortedDictionary<string, CostSummary> ToSorted()
    {
        var sorted = new SortedDictionary<string, CostSummary>(StringComparer.Ordinal);
        for (int i = 0; i < _summaries.Count; i++)
        {
            sorted.Add(_keys[i], _summaries[i]);
        }

        return sorted;
    }
}

/// <summary>Maps instants to calendar days in a time zone, fast: offsets are cached per 15 minutes of UTC time (every time-zone
/// transition in use falls on a quarter hour).</summary>
internal struct LocalDayClock
{
    private const long Quarter = TimeSpan.TicksPerMinute * 15;

    private readonly TimeZoneInfo _zone;
    private readonly bool _isUtc;
    private long _cachedQuarter;
    private long _cachedOffset;

    public LocalDayClock(TimeZoneInfo zone)
    {
        _zone = zone;
        _isUtc = zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime;
        _cachedQuarter = long.MinValue;
    }

    public int DayNumber(DateTimeOffset instant)
    {
        long utc = instant.UtcTicks;
        if (_isUtc)
        {
            return (int)(utc / TimeSpan.TicksPerDay);
        }

        long quarter = utc / Quarter;
        if (quarter != _cachedQuarter)
        {
            _cachedOffset = _zone.GetUtcOffset(new DateTime(utc, DateTimeKind.Utc)).Ticks;
            _cachedQuarter = quarter;
        }

        return (int)(Math.Max(0, utc + _cachedOffset) / TimeSpan.TicksPerDay);
    }

    /// <summary>Gets the first instant of a calendar day in a time zone (a midnight skipped by a transition moves to the first valid time).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        DateTime local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        int guard = 0;
        while (zone.IsInvalidTime(local) && guard++ < 96)
        {
            local = local.AddMinutes(15);
        }

        TimeSpan offset = zone.IsAmbiguousTime(local) ? MaxOffset(zone.GetAmbiguousTimeOffsets(local)) : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private static TimeSpan MaxOffset(TimeSpan[] offsets)
    {
        // The earliest instant of an ambiguous local time is the one with the largest offset.
        TimeSpan max = offsets[0];
        for (int i = 1; i < offsets.Length; i++)
        {
            if (offsets[i] > max)
            {
                max = offsets[i];
            }
        }

        return max;
    }
}

/// <summary>Builds a <see cref="CostReport"/> in one pass: each record is added to one cell (provider, model, day) and to its tag
/// values; the cells are rolled up into the other dimensions at the end.</summary>
internal sealed class CostReportBuilder
{
    internal const string UnknownModel = "(unknown)";

    private readonly TimeZoneInfo _zone;
    private readonly KeyTable _providers = new();
    private readonly KeyTable _models = new();
    private readonly PairTable<DayCells> _cells = new();
    private readonly KeyTable _tagKeys = new();
    private readonly List<KeyedSummaries> _tagValues = [];
    private LocalDayClock _clock;
    private long _minTicks = long.MaxValue;
    private long _maxTicks = long.MinValue;
    private DateTimeOffset _first;
    private DateTimeOffset _last;

    public CostReportBuilder(TimeZoneInfo zone)
    {
        _zone = zone;
        _clock = new LocalDayClock(zone);
    }

    public void Add(ReadOnlySpan<CostRecord> records)
    {
        for (int i = 0; i < records.Length; i++)
        {
            Add(in records[i]);
        }
    }

    public void Add(in CostRecord record)
    {
        long ticks = record.Timestamp.UtcTicks;
        if (ticks < _minTicks)
        {
            _minTicks = ticks;
            _first = record.Timestamp;
        }

        if (ticks > _maxTicks)
        {
            _maxTicks = ticks;
            _last = record.Timestamp;
        }

        int provider = _providers.GetId(record.ProviderName ?? string.Empty);
        int model = _models.GetId(record.Model ?? UnknownModel);
        _cells.Get(provider, model).Get(_clock.DayNumber(record.Timestamp)).Add(in record);

        if (record.Tags is { Count: > 0 } tags)
        {
            if (tags is Dictionary<string, string> dictionary)
            {
                foreach (var pair in dictionary)
                {
                    AddTag(pair.Key, pair.Value, in record);
                }
            }
            else
            {
                foreach (var pair in tags)
                {
                    AddTag(pair.Key, pair.Value, in record);
                }
            }
        }
    }

    public CostReport Build(CostRecordFilter filter, string timeZoneId)
    {
        var total = new CostSummary();
        var byProvider = new CostSummary?[_providers.Count];
        var byModel = new CostSummary?[_models.Count];
        var byDay = new SortedDictionary<DateOnly, CostSummary>();
        var byMonth = new SortedDictionary<DateOnly, CostSummary>();
        foreach (var (provider, model, days) in _cells.Entries())
        {
            foreach (var (dayNumber, summary) in days.All)
            {
                total.Add(summary);
                (byProvider[provider] ??= new CostSummary()).Add(summary);
                (byModel[model] ??= new CostSummary()).Add(summary);
                var day = DateOnly.FromDayNumber(dayNumber);
                AddTo(byDay, day, summary);
                AddTo(byMonth, new DateOnly(day.Year, day.Month, 1), summary);
            }
        }

        var byTag = new SortedDictionary<string, IReadOnlyDictionary<string, CostSummary>>(StringComparer.Ordinal);
        for (int i = 0; i < _tagValues.Count; i++)
        {
            byTag.Add(_tagKeys[i], _tagValues[i].ToSorted());
        }

        DateTimeOffset? from = filter.From ?? (_minTicks == long.MaxValue ? null : _first);
        DateTimeOffset? to = filter.To ?? (_maxTicks == long.MinValue ? null : _last);
        return new CostReport(
            from, to, timeZoneId, total, ToSorted(_providers, byProvider), ToSorted(_models, byModel), byTag, byDay, byMonth);
    }

    internal TimeZoneInfo Zone => _zone;

    private static void AddTo(SortedDictionary<DateOnly, CostSummary> target, DateOnly key, CostSummary summary)
    {
        if (!target.TryGetValue(key, out var existing))
        {
            existing = new CostSummary();
            target.Add(key, existing);
        }

        existing.Add(summary);
    }

    private static SortedDictionary<string, CostSummary> ToSorted(KeyTable keys, CostSummary?[] summaries)
    {
        var sorted = new SortedDictionary<string, CostSummary>(StringComparer.Ordinal);
        for (int i = 0; i < summaries.Length; i++)
        {
            if (summaries[i] is { } summary)
            {
                sorted.Add(keys[i], summary);
            }
        }

        return sorted;
    }

    private void AddTag(string key, string value, in CostRecord record)
    {
        int id = _tagKeys.GetId(key);
        if (id == _tagValues.Count)
        {
            _tagValues.Add(new KeyedSummaries());
        }

        _tagValues[id].Get(value ?? string.Empty).Add(in record);
    }

    // The summaries of one provider and model by day; records mostly come in time order, so the last day answers most look-ups.
    private sealed class DayCells
    {
        public readonly Dictionary<int, CostSummary> All = [];
        private int _lastDay = -1;
        private CostSummary? _last;

        public CostSummary Get(int day)
        {
            if (day == _lastDay && _last is not null)
            {
                return _last;
            }

            ref CostSummary? found = ref CollectionsMarshal.GetValueRefOrAddDefault(All, day, out _);
            found ??= new CostSummary();
            _lastDay = day;
            _last = found;
            return found;
        }
    }
}

/// <summary>Values indexed by a pair of small ids (provider id, model id), in a jagged array: no hashing per record.</summary>
internal sealed class PairTable<T>
    where T : class, new()
{
    private T?[]?[] _rows = new T?[]?[4];

    public T Get(int first, int second)
    {
        T?[]?[] rows = _rows;
        if ((uint)first < (uint)rows.Length && rows[first] is { } row && (uint)second < (uint)row.Length && row[second] is { } value)
        {
            return value;
        }

        return Add(first, second);
    }

    public IEnumerable<(int First, int Second, T Value)> Entries()
    {
        for (int i = 0; i < _rows.Length; i++)
        {
            if (_rows[i] is { } row)
            {
                for (int j = 0; j < row.Length; j++)
                {
                    if (row[j] is { } value)
                    {
                        yield return (i, j, value);
                    }
                }
            }
        }
    }

    private T Add(int first, int second)
    {
        if (first >= _rows.Length)
        {
            Array.Resize(ref _rows, Math.Max(first + 1, _rows.Length * 2));
        }

        ref T?[]? row = ref _rows[first];
        row ??= new T?[Math.Max(8, second + 1)];
        if (second >= row.Length)
        {
            Array.Resize(ref row, Math.Max(second + 1, row.Length * 2));
        }

        return row[second] ??= new T();
    }
}
