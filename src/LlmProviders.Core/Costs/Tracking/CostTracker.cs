using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Costs;

/// <summary>
/// The cost tracker (SPEC C3): records every call in an <see cref="ICostLedgerStore"/> and builds cost reports and usage statistics
/// from it.
/// </summary>
/// <remarks>
/// <para><see cref="Record"/> hands the record to the store (lock-free and allocation-free with <see cref="InMemoryCostLedgerStore"/>).
/// Reports and statistics read the store once, in batches; a report over a million records takes about 40 ms of CPU time.</para>
/// <para>Days and months are calendar days and months in <see cref="CostTrackerOptions.TimeZoneId"/>, on the injected
/// <see cref="TimeProvider"/>'s clock.</para>
/// <para>Costs are sums of the known costs: calls of unknown cost are counted apart (<see cref="CostSummary.UnknownCostCalls"/>),
/// never as $0, and make the sums lower bounds.</para>
/// </remarks>
public sealed class CostTracker : ICostTracker
{
    private readonly ICostLedgerStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly TimeZoneInfo _zone;
    private readonly string _zoneId;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="store">Where records live.</param>
    /// <param name="timeProvider">The clock "today" is read from; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="options">The time zone; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><see cref="CostTrackerOptions.TimeZoneId"/> names no known time zone.</exception>
    public CostTracker(ICostLedgerStore store, TimeProvider? timeProvider = null, CostTrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _zoneId = options?.TimeZoneId ?? "UTC";
        _zone = FindZone(options);
    }

    /// <inheritdoc />
    public void Record(in CostRecord record) => _store.Record(in record);

    /// <summary>Builds a cost report over the records a filter selects.</summary>
    /// <param name="filter">The filter; <see langword="null"/> for every record kept.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report.</returns>
    public async ValueTask<CostReport> GetReportAsync(CostRecordFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= CostRecordFilter.All;
        var builder = new CostReportBuilder(_zone);
        await foreach (var batch in _store.QueryAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            builder.Add(batch.Span);
        }

        return builder.Build(filter, _zoneId);
    }

    /// <summary>Builds a cost report over a period.</summary>
    /// <param name="from">The start of the period (inclusive).</param>
    /// <param name="to">The end of the period (exclusive).</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report.</returns>
    public ValueTask<CostReport> GetReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        GetReportAsync(new CostRecordFilter { From = from, To = to }, cancellationToken);

    /// <summary>Gets the sum of the known costs of a period, in USD (a lower bound when some calls' cost is unknown).</summary>
    /// <param name="from">The start of the period (inclusive).</param>
    /// <param name="to">The end of the period (exclusive).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The cost.</returns>
    public async ValueTask<decimal> GetTotalCostAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        decimal total = 0m;
        await foreach (var batch in _store.QueryAsync(new CostRecordFilter { From = from, To = to }, cancellationToken).ConfigureAwait(false))
        {
            total += SumCosts(batch.Span);
        }

        return total;
    }

    /// <summary>Gets the summary of each of the last <paramref name="days"/> calendar days in the tracker's time zone, today
    /// included, oldest first; days without records have an empty summary.</summary>
    /// <param name="days">The number of days (at least 1).</param>
    /// <param name="filter">Further conditions (provider, model, route, tag); its period is replaced by the days'.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The summaries by day.</returns>
    public async ValueTask<IReadOnlyDictionary<DateOnly, CostSummary>> GetDailyCostsAsync(int days, CostRecordFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var today = DateOnly.FromDayNumber(new LocalDayClock(_zone).DayNumber(_timeProvider.GetUtcNow()));
        var first = today.AddDays(1 - days);
        var period = new CostRecordFilter
        {
            From = LocalDayClock.StartOfDay(first, _zone),
            To = LocalDayClock.StartOfDay(today.AddDays(1), _zone),
            ProviderName = filter?.ProviderName,
            Model = filter?.Model,
            Route = filter?.Route,
            TagKey = filter?.TagKey,
            TagValue = filter?.TagValue,
        };

        var report = await GetReportAsync(period, cancellationToken).ConfigureAwait(false);
        var result = new SortedDictionary<DateOnly, CostSummary>();
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            result.Add(day, report.ByDay.TryGetValue(day, out var summary) ? summary : new CostSummary());
        }

        return result;
    }

    /// <summary>Gets usage statistics per provider and model over the records a filter selects: for each provider (ordinal order)
    /// its roll-up across models (<see cref="UsageStatistics.Model"/> <see langword="null"/>), then each of its models.</summary>
    /// <param name="filter">The filter; <see langword="null"/> for every record kept.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The statistics.</returns>
    public async ValueTask<IReadOnlyList<UsageStatistics>> GetUsageStatisticsAsync(CostRecordFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var builder = new UsageStatisticsBuilder();
        await foreach (var batch in _store.QueryAsync(filter ?? CostRecordFilter.All, cancellationToken).ConfigureAwait(false))
        {
            builder.Add(batch.Span);
        }

        return builder.Build();
    }

    private static decimal SumCosts(ReadOnlySpan<CostRecord> records)
    {
        decimal total = 0m;
        for (int i = 0; i < records.Length; i++)
        {
            if (records[i].Cost is { } cost)
            {
                total += cost;
            }
        }

        return total;
    }

    private static TimeZoneInfo FindZone(CostTrackerOptions? options)
    {
        string id = options?.TimeZoneId ?? "UTC";
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("CostTrackerOptions.TimeZoneId must name a time zone (an IANA or Windows id, e.g. \"UTC\" or \"Europe/Paris\").", nameof(options));
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"CostTrackerOptions.TimeZoneId \"{id}\" is not a known time zone (use an IANA or Windows id, e.g. \"UTC\" or \"Europe/Paris\").", nameof(options), ex);
        }
    }
}

/// <summary>Options of <see cref="CostTracker"/>.</summary>
public sealed class CostTrackerOptions
{
    /// <summary>Gets or sets the time zone reports count days and months in: an IANA (<c>Europe/Paris</c>) or Windows
    /// (<c>Romance Standard Time</c>) id.</summary>
    /// <value>The default value is <c>UTC</c>.</value>
    public string TimeZoneId { get; set; } = "UTC";
}
