using System;
using System.Collections.Concurrent;

namespace LlmProviders.Costs;

/// <summary>
/// The in-memory spend of budget periods: reserve and settle are atomic per <see cref="BudgetPeriodKey"/>, so concurrent callers can
/// never together pass a limit. One small lock per period; different budgets and periods never contend.
/// </summary>
internal sealed class BudgetSpendTable
{
    private readonly ConcurrentDictionary<BudgetPeriodKey, Cell> _cells = new();

    /// <summary>Gets the number of budget periods held.</summary>
    public int Count => _cells.Count;

    /// <summary>Adds <paramref name="amount"/> to the period's spend if the result stays within <paramref name="limit"/>.</summary>
    /// <param name="key">The budget period.</param>
    /// <param name="amount">The amount, not negative.</param>
    /// <param name="limit">The limit.</param>
    /// <returns>Whether it was reserved, and the spend after.</returns>
    public BudgetReserveOutcome TryReserve(BudgetPeriodKey key, decimal amount, decimal limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var cell = GetCell(key);
        lock (cell)
        {
            decimal next = cell.Spent + amount;
            if (next > limit)
            {
                return new BudgetReserveOutcome(false, cell.Spent);
            }

            cell.Spent = next;
            return new BudgetReserveOutcome(true, next);
        }
    }

    /// <summary>Changes the period's spend by <paramref name="actual"/> − <paramref name="reserved"/> (never below zero).</summary>
    /// <param name="key">The budget period.</param>
    /// <param name="reserved">The amount reserved.</param>
    /// <param name="actual">The real cost.</param>
    /// <returns>The spend after.</returns>
    public decimal Settle(BudgetPeriodKey key, decimal reserved, decimal actual)
    {
        var cell = GetCell(key);
        lock (cell)
        {
            decimal next = cell.Spent + actual - reserved;
            cell.Spent = next < 0m ? 0m : next;
            return cell.Spent;
        }
    }

    /// <summary>Gets the period's spend.</summary>
    /// <param name="key">The budget period.</param>
    /// <returns>The spend, 0 when never charged.</returns>
    public decimal GetSpent(BudgetPeriodKey key)
    {
        if (!_cells.TryGetValue(key, out var cell))
        {
            return 0m;
        }

        lock (cell)
        {
            return cell.Spent;
        }
    }

    /// <summary>Forgets periods that started before <paramref name="cutoff"/> (budgets without a period are kept).</summary>
    /// <param name="cutoff">The oldest period start to keep.</param>
    /// <returns>The number of periods removed.</returns>
    public int RemoveBefore(DateTimeOffset cutoff)
    {
        int removed = 0;
        foreach (var pair in _cells)
        {
            if (pair.Key.PeriodStart != DateTimeOffset.MinValue && pair.Key.PeriodStart < cutoff && _cells.TryRemove(pair.Key, out _))
            {
                removed++;
            }
        }

        return removed;
    }

    private Cell GetCell(BudgetPeriodKey key) => _cells.GetOrAdd(key, static _ => new Cell());

    private sealed class Cell
    {
        public decimal Spent;
    }
}
