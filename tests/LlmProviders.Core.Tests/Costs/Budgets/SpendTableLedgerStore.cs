using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;

namespace LlmProviders.Tests.Costs.Budgets;

/// <summary>
/// TEST DOUBLE — not the product's store. A small <see cref="ICostLedgerStore"/> over the internal <see cref="BudgetSpendTable"/>
/// (atomic reserve/settle per period), with records in a list under a lock, for the budget tests while the real
/// <c>InMemoryCostLedgerStore</c> is written elsewhere. It also counts the store calls so tests can see what the manager did.
/// </summary>
internal sealed class SpendTableLedgerStore : ICostLedgerStore
{
    private readonly BudgetSpendTable _table = new();
    private readonly List<CostRecord> _records = [];
    private readonly object _maxLock = new();
    private int _reserveCalls;
    private decimal _maxSpent;

    /// <summary>Gets the number of <see cref="TryReserveAsync"/> calls.</summary>
    public int ReserveCalls => Volatile.Read(ref _reserveCalls);

    /// <summary>Gets the highest spend (open reservations included) any period reached.</summary>
    public decimal MaxSpent
    {
        get
        {
            lock (_maxLock)
            {
                return _maxSpent;
            }
        }
    }

    /// <summary>Gets or sets a budget (ledger) name whose reservations throw <see cref="OperationCanceledException"/>, to test failures.</summary>
    public string? FailReservationsOf { get; set; }

    /// <summary>Gets the number of budget periods held.</summary>
    public int PeriodCount => _table.Count;

    public void Record(in CostRecord record)
    {
        lock (_records)
        {
            _records.Add(record);
        }
    }

    public async IAsyncEnumerable<ReadOnlyMemory<CostRecord>> QueryAsync(CostRecordFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        List<CostRecord> selected = [];
        lock (_records)
        {
            foreach (var record in _records)
            {
                if (filter.Matches(record))
                {
                    selected.Add(record);
                }
            }
        }

        await Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        yield return selected.ToArray();
    }

    public ValueTask<BudgetReserveOutcome> TryReserveAsync(BudgetPeriodKey key, decimal amount, decimal limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _reserveCalls);
        if (string.Equals(key.Budget, FailReservationsOf, StringComparison.Ordinal))
        {
            throw new OperationCanceledException("The test store was told to fail this reservation.");
        }

        var outcome = _table.TryReserve(key, amount, limit);
        Observe(outcome.Spent);
        return new ValueTask<BudgetReserveOutcome>(outcome);
    }

    public ValueTask<decimal> SettleAsync(BudgetPeriodKey key, decimal reserved, decimal actual, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        decimal spent = _table.Settle(key, reserved, actual);
        Observe(spent);
        return new ValueTask<decimal>(spent);
    }

    public ValueTask<decimal> GetSpentAsync(BudgetPeriodKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<decimal>(_table.GetSpent(key));
    }

    private void Observe(decimal spent)
    {
        lock (_maxLock)
        {
            if (spent > _maxSpent)
            {
                _maxSpent = spent;
            }
        }
    }
}
