using System;

namespace LlmProviders.Costs;

/// <summary>The data of <see cref="BudgetManager.ThresholdCrossed"/>: a budget's spend reached one of its alert thresholds.</summary>
public sealed class BudgetThresholdCrossedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="budgetName">The budget's configured name.</param>
    /// <param name="tagValue">The tag value of a per-value budget, or <see langword="null"/>.</param>
    /// <param name="threshold">The threshold reached, as a fraction of the limit.</param>
    /// <param name="limit">The limit, in USD.</param>
    /// <param name="spent">The spend in the period when the threshold was reached, in USD.</param>
    /// <param name="periodStart">The start of the period.</param>
    public BudgetThresholdCrossedEventArgs(string budgetName, string? tagValue, double threshold, decimal limit, decimal spent, DateTimeOffset periodStart)
    {
        BudgetName = budgetName;
        TagValue = tagValue;
        Threshold = threshold;
        Limit = limit;
        Spent = spent;
        PeriodStart = periodStart;
    }

    /// <summary>Gets the budget's configured name.</summary>
    public string BudgetName { get; }

    /// <summary>Gets the tag value of a budget with one limit per tag value (e.g. the workspace), or <see langword="null"/>.</summary>
    public string? TagValue { get; }

    /// <summary>Gets the threshold reached, as a fraction of the limit (e.g. 0.8).</summary>
    public double Threshold { get; }

    /// <summary>Gets the budget's limit, in USD per period.</summary>
    public decimal Limit { get; }

    /// <summary>Gets the period's spend (settled costs plus open reservations) when the threshold was reached, in USD.</summary>
    public decimal Spent { get; }

    /// <summary>Gets the start of the period in which the threshold was reached.</summary>
    public DateTimeOffset PeriodStart { get; }
}
