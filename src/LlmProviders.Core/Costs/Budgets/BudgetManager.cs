using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Costs;

/// <summary>
/// Enforces <see cref="CostBudget"/>s (SPEC C4): a call reserves its worst-case cost in every budget that covers it before it starts
/// and settles to its real cost when it ends, so concurrent callers can never together pass a limit; soft thresholds raise
/// <see cref="ThresholdCrossed"/> once per period.
/// </summary>
/// <remarks>
/// <para><b>Scopes.</b> A budget covers a call when every condition it sets holds: <see cref="CostBudget.ProviderName"/> and
/// <see cref="CostBudget.Model"/> (ordinal, ignoring case; a call without a model does not match a model budget) and the tag
/// <see cref="CostBudget.TagKey"/> (= <see cref="CostBudget.TagValue"/>, ordinal). A budget that sets none is global. A
/// <see cref="CostBudget.TagKey"/> without a <see cref="CostBudget.TagValue"/> gives each value its own limit, kept in the ledger
/// under the budget name <c>{Name}:{value}</c> (e.g. <c>per-workspace:acme</c>), which is also the name a refusal reports.</para>
/// <para><b>Periods.</b> Daily periods start at local midnight, weekly ones on Monday at 00:00 and monthly ones on the 1st at 00:00,
/// in <see cref="BudgetOptions.TimeZoneId"/> (DST-safe: a day may last 23 or 25 hours); <see cref="BudgetPeriod.Total"/> never
/// ends. The clock is the injected <see cref="TimeProvider"/>. A new period is a new ledger key, so spend starts again at 0.</para>
/// <para><b>Reservations.</b> All or none: when one budget refuses, what the others reserved is released. A call whose cost is
/// unknown (<see langword="null"/>) is refused by a budget with <see cref="CostBudget.AllowUnknownCost"/> off; otherwise it reserves 0
/// and is counted as 0, with a warning logged once per budget. Settlement charges the real cost (0 for a cancelled or failed call
/// that consumed nothing) to the period the reservation was made in; a second settlement of the same reservation does nothing.
/// Settlement is not abandoned when its cancellation token fires: a half-settled reservation would hold budget forever.</para>
/// <para><b>Alerts.</b> Thresholds are checked when a call settles, against the period's spend after settlement (settled costs plus
/// open reservations). A reservation alone never alerts: worst-case estimates (the full max output) usually overstate what a call
/// costs and would alert early. Each threshold alerts once per budget (per tag value) and period, however many calls cross it at
/// once; a settlement that lands in a period that has already ended does not alert.</para>
/// <para>The options are read once, at construction. Thread-safe. A call no budget covers allocates nothing.</para>
/// </remarks>
public sealed partial class BudgetManager : IBudgetGuard
{
    private readonly ICostLedgerStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeZoneInfo _zone;
    private readonly Entry[] _budgets;
    private readonly BudgetWindow?[] _windows = new BudgetWindow?[4];
    private readonly ConcurrentDictionary<AlertKey, byte> _fired = new();

    /// <summary>Initializes a new instance.</summary>
    /// <param name="store">Where the budgets' spend is kept.</param>
    /// <param name="options">The budgets and their time zone; read once, here.</param>
    /// <param name="timeProvider">The clock that decides the current period; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where alerts and warnings go.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each invalid option and the fix.</exception>
    public BudgetManager(ICostLedgerStore store, BudgetOptions options, TimeProvider? timeProvider = null, ILogger<BudgetManager>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var result = BudgetOptionsValidator.Instance.Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException(result.FailureMessage, nameof(options));
        }

        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        BudgetOptionsValidator.TryFindTimeZone(options.TimeZoneId, out _zone);
        _budgets = new Entry[options.Budgets.Count];
        for (int i = 0; i < _budgets.Length; i++)
        {
            _budgets[i] = new Entry(options.Budgets[i]);
        }
    }

    /// <summary>Raised when a budget's spend reaches one of its <see cref="CostBudget.AlertThresholds"/>, once per threshold and period.</summary>
    /// <remarks>Raised on the thread that settles the call; an exception a handler throws is logged and never reaches the call.</remarks>
    public event EventHandler<BudgetThresholdCrossedEventArgs>? ThresholdCrossed;

    /// <inheritdoc />
    public bool HasBudgets => _budgets.Length > 0;

    /// <inheritdoc />
    public ValueTask<BudgetReservation> ReserveAsync(BudgetCallContext context, decimal? worstCaseCost, CancellationToken cancellationToken = default)
    {
        if (worstCaseCost is { } worstCase)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(worstCase, nameof(worstCaseCost));
        }

        var budgets = _budgets;
        for (int i = 0; i < budgets.Length; i++)
        {
            if (budgets[i].Matches(in context, out _))
            {
                return ReserveCoreAsync(context, worstCaseCost, i, cancellationToken);
            }
        }

        return new ValueTask<BudgetReservation>(BudgetReservation.Unbudgeted);
    }

    /// <inheritdoc />
    public ValueTask SettleAsync(BudgetReservation reservation, decimal? actualCost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (actualCost is { } actual)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(actual, nameof(actualCost));
        }

        if (!reservation.IsGranted || reservation.State is not ReservationState state || !state.TryClaim())
        {
            return default;
        }

        return SettleCoreAsync(state, actualCost ?? 0m);
    }

    /// <summary>Gets where every budget stands in its current period; a budget with one limit per tag value reports each value used in the period.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One status per budget (per budget and tag value), in configuration order, values in ordinal order.</returns>
    public async ValueTask<IReadOnlyList<BudgetStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var statuses = new List<BudgetStatus>(_budgets.Length);
        List<KeyValuePair<string, SeenValue>>? values = null;
        foreach (var entry in _budgets)
        {
            var window = GetWindow(entry.Period, now);
            if (entry.Values is null)
            {
                statuses.Add(await ReadStatusAsync(entry, null, entry.Name, window, cancellationToken).ConfigureAwait(false));
                continue;
            }

            values ??= [];
            values.Clear();
            foreach (var pair in entry.Values)
            {
                if (Volatile.Read(ref pair.Value.PeriodTicks) == window.Start.UtcTicks)
                {
                    values.Add(pair);
                }
            }

            values.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            foreach (var pair in values)
            {
                statuses.Add(await ReadStatusAsync(entry, pair.Key, pair.Value.LedgerName, window, cancellationToken).ConfigureAwait(false));
            }
        }

        return statuses;
    }

    private async ValueTask<BudgetStatus> ReadStatusAsync(Entry entry, string? tagValue, string ledgerName, BudgetWindow window, CancellationToken cancellationToken)
    {
        decimal spent = await _store.GetSpentAsync(new BudgetPeriodKey(ledgerName, window.Start), cancellationToken).ConfigureAwait(false);
        return new BudgetStatus
        {
            BudgetName = entry.Name,
            TagValue = tagValue,
            Period = entry.Period,
            PeriodStart = window.Start,
            PeriodEnd = window.End,
            Limit = entry.Limit,
            Spent = spent,
            Remaining = spent >= entry.Limit ? 0m : entry.Limit - spent,
            FractionUsed = entry.Limit == 0m ? (spent > 0m ? 1d : 0d) : (double)(spent / entry.Limit),
        };
    }

    private async ValueTask<BudgetReservation> ReserveCoreAsync(BudgetCallContext context, decimal? worstCaseCost, int first, CancellationToken cancellationToken)
    {
        var budgets = _budgets;
        int count = 0;
        for (int i = first; i < budgets.Length; i++)
        {
            if (budgets[i].Matches(in context, out _))
            {
                count++;
            }
        }

        var now = _time.GetUtcNow();
        decimal amount = worstCaseCost ?? 0m;
        var holds = new Hold[count];
        int n = 0;
        for (int i = first; i < budgets.Length && n < count; i++)
        {
            var entry = budgets[i];
            if (!entry.Matches(in context, out string? tagValue))
            {
                continue;
            }

            var window = GetWindow(entry.Period, now);
            holds[n++] = new Hold(entry, tagValue, new BudgetPeriodKey(entry.GetLedgerName(tagValue, window), window.Start), amount);
        }

        if (worstCaseCost is null)
        {
            foreach (var hold in holds)
            {
                if (!hold.Budget.AllowUnknownCost)
                {
                    decimal spent = await _store.GetSpentAsync(hold.Key, cancellationToken).ConfigureAwait(false);
                    return BudgetReservation.Refused(hold.Key.Budget, hold.Budget.Limit, spent, hold.Budget.OnExceeded);
                }
            }

            foreach (var hold in holds)
            {
                if (Interlocked.Exchange(ref hold.Budget.UnknownCostWarned, 1) == 0)
                {
                    LogUnknownCost(_logger, hold.Key.Budget, context.ProviderName, context.Model ?? "(default)");
                }
            }
        }

        int reserved = 0;
        try
        {
            for (; reserved < holds.Length; reserved++)
            {
                var hold = holds[reserved];
                var outcome = await _store.TryReserveAsync(hold.Key, hold.Amount, hold.Budget.Limit, cancellationToken).ConfigureAwait(false);
                if (!outcome.Reserved)
                {
                    await ReleaseAsync(holds, reserved).ConfigureAwait(false);
                    return BudgetReservation.Refused(hold.Key.Budget, hold.Budget.Limit, outcome.Spent, hold.Budget.OnExceeded);
                }
            }
        }
        catch
        {
            await ReleaseAsync(holds, reserved).ConfigureAwait(false);
            throw;
        }

        return BudgetReservation.Granted(amount, new ReservationState(holds));
    }

    private async ValueTask ReleaseAsync(Hold[] holds, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await _store.SettleAsync(holds[i].Key, holds[i].Amount, 0m, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async ValueTask SettleCoreAsync(ReservationState state, decimal actual)
    {
        Exception? failure = null;
        foreach (var hold in state.Holds)
        {
            decimal spent;
            try
            {
                spent = await _store.SettleAsync(hold.Key, hold.Amount, actual, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Rethrown below, after the other budgets are settled.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure ??= ex;
                continue;
            }

            CheckThresholds(hold, spent);
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    private void CheckThresholds(Hold hold, decimal spent)
    {
        var entry = hold.Budget;
        if (entry.ThresholdAmounts.Length == 0 || spent <= 0m || spent < entry.ThresholdAmounts[0])
        {
            return;
        }

        if (entry.Period != BudgetPeriod.Total && GetWindow(entry.Period, _time.GetUtcNow()).Start != hold.Key.PeriodStart)
        {
            return; // A late settlement of a period that has ended.
        }

        for (int t = 0; t < entry.ThresholdAmounts.Length && spent >= entry.ThresholdAmounts[t]; t++)
        {
            if (_fired.TryAdd(new AlertKey(hold.Key.Budget, entry.Period, hold.Key.PeriodStart, t), 0))
            {
                Raise(hold.Key.Budget, new BudgetThresholdCrossedEventArgs(entry.Name, hold.TagValue, entry.Thresholds[t], entry.Limit, spent, hold.Key.PeriodStart));
            }
        }
    }

    private void Raise(string ledgerName, BudgetThresholdCrossedEventArgs args)
    {
        LogThresholdCrossed(_logger, ledgerName, (int)Math.Round(args.Threshold * 100), args.Spent, args.Limit, args.PeriodStart);
        if (ThresholdCrossed is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<BudgetThresholdCrossedEventArgs>)handler)(this, args);
            }
#pragma warning disable CA1031 // A handler's failure must never break the call that crossed the threshold.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogHandlerFailed(_logger, ex, ledgerName);
            }
        }
    }

    private BudgetWindow GetWindow(BudgetPeriod period, DateTimeOffset now)
    {
        if (period == BudgetPeriod.Total)
        {
            return BudgetWindow.AllTime;
        }

        int slot = (int)period;
        var window = Volatile.Read(ref _windows[slot]);
        if (window is not null && window.Contains(now))
        {
            return window;
        }

        var next = BudgetPeriods.Compute(period, now, _zone);
        Volatile.Write(ref _windows[slot], next);
        if (window is not null && next.Start > window.Start)
        {
            Forget(period, next.Start);
        }

        return next;
    }

    // A period rolled over: forget the alerts fired and the tag values seen in the periods before it.
    private void Forget(BudgetPeriod period, DateTimeOffset currentStart)
    {
        foreach (var pair in _fired)
        {
            if (pair.Key.Period == period && pair.Key.PeriodStart < currentStart)
            {
                _fired.TryRemove(pair.Key, out _);
            }
        }

        foreach (var entry in _budgets)
        {
            if (entry.Period != period || entry.Values is null)
            {
                continue;
            }

            foreach (var pair in entry.Values)
            {
                if (Volatile.Read(ref pair.Value.PeriodTicks) < currentStart.UtcTicks)
                {
                    entry.Values.TryRemove(pair);
                }
            }
        }
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Warning,
        Message = "Budget '{Budget}' has reached {Percent} % of its limit: {Spent} of {Limit} USD spent or reserved in the period that started {PeriodStart}.")]
    private static partial void LogThresholdCrossed(ILogger logger, string budget, int percent, decimal spent, decimal limit, DateTimeOffset periodStart);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Warning,
        Message = "Budget '{Budget}' lets calls of unknown cost run and counts them as 0 (first: '{Provider}' model '{Model}'). Price the model in the model catalog so the budget counts it, or set AllowUnknownCost to false to refuse such calls.")]
    private static partial void LogUnknownCost(ILogger logger, string budget, string provider, string model);

    [LoggerMessage(EventId = 7403, Level = LogLevel.Error, Message = "A ThresholdCrossed handler of budget '{Budget}' threw; the call that crossed the threshold is not affected.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string budget);

    private readonly record struct AlertKey(string LedgerName, BudgetPeriod Period, DateTimeOffset PeriodStart, int Threshold);

    private readonly record struct Hold(Entry Budget, string? TagValue, BudgetPeriodKey Key, decimal Amount);

    /// <summary>A budget as read at construction.</summary>
    private sealed class Entry
    {
        public int UnknownCostWarned;

        public Entry(CostBudget budget)
        {
            Name = budget.Name;
            Limit = budget.Limit;
            Period = budget.Period;
            ProviderName = budget.ProviderName;
            Model = budget.Model;
            TagKey = budget.TagKey;
            TagValue = budget.TagValue;
            OnExceeded = budget.OnExceeded;
            AllowUnknownCost = budget.AllowUnknownCost;
            var thresholds = new List<double>(budget.AlertThresholds);
            thresholds.Sort();
            for (int i = thresholds.Count - 1; i > 0; i--)
            {
                if (thresholds[i] == thresholds[i - 1])
                {
                    thresholds.RemoveAt(i);
                }
            }

            Thresholds = [.. thresholds];
            ThresholdAmounts = new decimal[Thresholds.Length];
            for (int i = 0; i < Thresholds.Length; i++)
            {
                ThresholdAmounts[i] = (decimal)Thresholds[i] * Limit;
            }

            if (TagKey is not null && TagValue is null)
            {
                Values = new ConcurrentDictionary<string, SeenValue>(StringComparer.Ordinal);
            }
        }

        public string Name { get; }

        public decimal Limit { get; }

        public BudgetPeriod Period { get; }

        public string? ProviderName { get; }

        public string? Model { get; }

        public string? TagKey { get; }

        public string? TagValue { get; }

        public BudgetLimitAction OnExceeded { get; }

        public bool AllowUnknownCost { get; }

        public double[] Thresholds { get; }

        public decimal[] ThresholdAmounts { get; }

        // Per-value budgets only: the values used, with their ledger names and the period they were last used in.
        public ConcurrentDictionary<string, SeenValue>? Values { get; }

        public bool Matches(in BudgetCallContext context, out string? tagValue)
        {
            tagValue = null;
            if (ProviderName is not null && !string.Equals(ProviderName, context.ProviderName, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (Model is not null && !string.Equals(Model, context.Model, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (TagKey is null)
            {
                return true;
            }

            if (context.Tags is null || !context.Tags.TryGetValue(TagKey, out string? value) || value is null)
            {
                return false;
            }

            if (TagValue is not null)
            {
                return string.Equals(TagValue, value, StringComparison.Ordinal);
            }

            tagValue = value;
            return true;
        }

        public string GetLedgerName(string? tagValue, BudgetWindow window)
        {
            if (Values is null || tagValue is null)
            {
                return Name;
            }

            var seen = Values.GetOrAdd(tagValue, static (value, name) => new SeenValue(name + ":" + value), Name);
            long ticks = window.Start.UtcTicks;
            if (Volatile.Read(ref seen.PeriodTicks) != ticks)
            {
                Volatile.Write(ref seen.PeriodTicks, ticks);
            }

            return seen.LedgerName;
        }
    }

    private sealed class SeenValue(string ledgerName)
    {
        public long PeriodTicks = long.MinValue;

        public string LedgerName { get; } = ledgerName;
    }

    /// <summary>What a granted reservation holds, per budget; settled once.</summary>
    private sealed class ReservationState(Hold[] holds)
    {
        private int _settled;

        public Hold[] Holds { get; } = holds;

        public bool TryClaim() => Interlocked.Exchange(ref _settled, 1) == 0;
    }
}
