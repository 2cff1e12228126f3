using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>
/// One spending limit (SPEC C4): a limit per period over a scope, with soft alert thresholds and what to do when a call does not fit.
/// </summary>
/// <remarks>
/// The scope is the conjunction of the set conditions: none set is a global budget; <see cref="ProviderName"/> and/or
/// <see cref="Model"/> and/or a tag (<see cref="TagKey"/> = <see cref="TagValue"/>, e.g. <c>workspace</c> = <c>ws-42</c>).
/// A <see cref="TagKey"/> without <see cref="TagValue"/> applies the limit to each value separately (every workspace gets its own $10 a day).
/// </remarks>
public sealed class CostBudget
{
    /// <summary>Gets or sets the budget's name, unique among budgets; it names the budget in events, errors and the ledger.</summary>
    /// <value>The default value is an empty string; a budget without a name is rejected at start.</value>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the limit, in USD per period.</summary>
    /// <value>The default value is 0; a negative limit is rejected at start.</value>
    public decimal Limit { get; set; }

    /// <summary>Gets or sets the period the limit applies to.</summary>
    /// <value>The default value is <see cref="BudgetPeriod.Daily"/>.</value>
    public BudgetPeriod Period { get; set; } = BudgetPeriod.Daily;

    /// <summary>Gets or sets the provider registration name the budget counts, or <see langword="null"/> for every provider.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ProviderName { get; set; }

    /// <summary>Gets or sets the model the budget counts, or <see langword="null"/> for every model.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Model { get; set; }

    /// <summary>Gets or sets the request tag the budget is scoped to (e.g. <c>workspace</c>), or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? TagKey { get; set; }

    /// <summary>Gets or sets the value <see cref="TagKey"/> must have, or <see langword="null"/> for a separate limit per value.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? TagValue { get; set; }

    /// <summary>Gets or sets the soft thresholds, as fractions of the limit, whose crossing raises an alert once per period (seed 001: 0.8).</summary>
    /// <value>The default value is one threshold, 0.8.</value>
    public IList<double> AlertThresholds { get; set; } = [0.8];

    /// <summary>Gets or sets what happens to a call whose worst-case cost does not fit in what is left.</summary>
    /// <value>The default value is <see cref="BudgetLimitAction.Block"/>.</value>
    public BudgetLimitAction OnExceeded { get; set; } = BudgetLimitAction.Block;

    /// <summary>
    /// Gets or sets a value indicating whether a call whose cost cannot be known (a model the catalog does not price) may run
    /// under this budget; it reserves nothing and is counted as zero, with a warning.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowUnknownCost { get; set; } = true;
}

/// <summary>The period a <see cref="CostBudget"/>'s limit applies to.</summary>
public enum BudgetPeriod
{
    /// <summary>A calendar day in the budgets' time zone.</summary>
    Daily,

    /// <summary>A week starting on Monday in the budgets' time zone.</summary>
    Weekly,

    /// <summary>A calendar month in the budgets' time zone.</summary>
    Monthly,

    /// <summary>No period: the limit applies to the life of the ledger.</summary>
    Total,
}

/// <summary>What happens to a call that does not fit in a <see cref="CostBudget"/>.</summary>
public enum BudgetLimitAction
{
    /// <summary>The call is refused with a <see cref="BudgetExceededException"/>.</summary>
    Block,

    /// <summary>The router skips the target (reason <see cref="CandidateSkipReason.OverBudget"/>) and tries the next, cheaper ones; when none fits the call is refused.</summary>
    Reroute,
}
