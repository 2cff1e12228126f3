using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>The budgets <see cref="BudgetManager"/> enforces (SPEC C4) and the time zone their periods follow.</summary>
public sealed class BudgetOptions
{
    /// <summary>Gets or sets the budgets; a call is checked against every budget whose scope covers it.</summary>
    /// <value>The default value is an empty list: no call is budgeted.</value>
    public IList<CostBudget> Budgets { get; set; } = [];

    /// <summary>
    /// Gets or sets the time zone in which daily, weekly and monthly periods start (local midnight, Monday, the 1st): an IANA id
    /// (<c>Europe/Berlin</c>) or a Windows id (<c>W. Europe Standard Time</c>).
    /// </summary>
    /// <value>The default value is <c>UTC</c>.</value>
    public string TimeZoneId { get; set; } = "UTC";
}
