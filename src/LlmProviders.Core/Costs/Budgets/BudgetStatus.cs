using System;

namespace LlmProviders.Costs;

/// <summary>Where one budget stands in its current period (<see cref="BudgetManager.GetStatusAsync"/>).</summary>
public sealed class BudgetStatus
{
    /// <summary>Gets the budget's configured name.</summary>
    public required string BudgetName { get; init; }

    /// <summary>
    /// Gets the tag value this status is for, when the budget sets a <see cref="CostBudget.TagKey"/> without a
    /// <see cref="CostBudget.TagValue"/> (one limit per value); otherwise <see langword="null"/>.
    /// </summary>
    public string? TagValue { get; init; }

    /// <summary>Gets the period the limit applies to.</summary>
    public BudgetPeriod Period { get; init; }

    /// <summary>Gets the start of the current period, with the offset of the budgets' time zone (<see cref="DateTimeOffset.MinValue"/> for <see cref="BudgetPeriod.Total"/>).</summary>
    public DateTimeOffset PeriodStart { get; init; }

    /// <summary>Gets the end of the current period (exclusive; <see cref="DateTimeOffset.MaxValue"/> for <see cref="BudgetPeriod.Total"/>).</summary>
    public DateTimeOffset PeriodEnd { get; init; }

    /// <summary>Gets the limit, in USD per period.</summary>
    public decimal Limit { get; init; }

    /// <summary>Gets what is spent in the period, open reservations included, in USD.</summary>
    public decimal Spent { get; init; }

    /// <summary>Gets what is left of the limit, in USD (never negative).</summary>
    public decimal Remaining { get; init; }

    /// <summary>Gets the share of the limit spent (1 = all of it; above 1 when real costs passed worst-case estimates; 1 for a spent zero limit).</summary>
    public double FractionUsed { get; init; }
}
