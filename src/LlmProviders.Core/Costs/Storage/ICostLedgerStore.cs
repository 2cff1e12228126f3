using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Costs;

/// <summary>
/// Where cost records and budget spend live (SPEC C5): record, query, reserve, settle. In memory by default
/// (<c>InMemoryCostLedgerStore</c>); a durable store (PostgreSQL, a later package) shares them across app instances.
/// </summary>
/// <remarks>
/// <para>Implementations are thread-safe. <see cref="Record"/> runs on every call: it must not block and should not allocate.</para>
/// <para>Reserve and settle are atomic per <see cref="BudgetPeriodKey"/>: many callers reserving at once can never together pass the limit.</para>
/// </remarks>
public interface ICostLedgerStore
{
    /// <summary>Records one call or attempt.</summary>
    /// <param name="record">The record; copied.</param>
    void Record(in CostRecord record);

    /// <summary>Reads the records a filter selects, oldest first, in batches.</summary>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Batches of records; a batch is valid only until the next one is requested.</returns>
    IAsyncEnumerable<ReadOnlyMemory<CostRecord>> QueryAsync(CostRecordFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="amount"/> to a budget period's spend if the result stays within <paramref name="limit"/>.</summary>
    /// <param name="key">The budget and period.</param>
    /// <param name="amount">The amount to reserve, in USD (not negative).</param>
    /// <param name="limit">The limit the spend must stay within, in USD.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the amount was reserved, and the period's spend after the operation.</returns>
    ValueTask<BudgetReserveOutcome> TryReserveAsync(BudgetPeriodKey key, decimal amount, decimal limit, CancellationToken cancellationToken = default);

    /// <summary>Replaces a reservation by the real cost: the period's spend changes by <paramref name="actual"/> − <paramref name="reserved"/>.</summary>
    /// <param name="key">The budget and period of the reservation.</param>
    /// <param name="reserved">The amount reserved.</param>
    /// <param name="actual">The real cost (0 when the call failed without consuming tokens).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The period's spend after the operation.</returns>
    ValueTask<decimal> SettleAsync(BudgetPeriodKey key, decimal reserved, decimal actual, CancellationToken cancellationToken = default);

    /// <summary>Gets a budget period's spend (settled costs plus open reservations).</summary>
    /// <param name="key">The budget and period.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The spend, 0 for a period never charged.</returns>
    ValueTask<decimal> GetSpentAsync(BudgetPeriodKey key, CancellationToken cancellationToken = default);
}

/// <summary>Names one period of one budget in the ledger.</summary>
/// <param name="Budget">The budget's name.</param>
/// <param name="PeriodStart">The start of the period (UTC offset of the budget's time zone), or <see cref="DateTimeOffset.MinValue"/> for a budget without period.</param>
public readonly record struct BudgetPeriodKey(string Budget, DateTimeOffset PeriodStart);

/// <summary>The outcome of <see cref="ICostLedgerStore.TryReserveAsync"/>.</summary>
/// <param name="Reserved">Whether the amount was reserved.</param>
/// <param name="Spent">The period's spend after the operation (with the reservation when it was made).</param>
public readonly record struct BudgetReserveOutcome(bool Reserved, decimal Spent);
