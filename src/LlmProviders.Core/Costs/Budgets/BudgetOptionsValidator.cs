using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace LlmProviders.Costs;

/// <summary>Validates <see cref="BudgetOptions"/>: each failure names the option (<c>Budgets[i].Field</c>) and the fix.</summary>
internal sealed class BudgetOptionsValidator : IValidateOptions<BudgetOptions>
{
    /// <summary>Gets the shared instance.</summary>
    public static BudgetOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BudgetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        if (string.IsNullOrWhiteSpace(options.TimeZoneId))
        {
            Add(ref failures, "Budgets: TimeZoneId is empty; set it to \"UTC\" or a time zone id such as \"Europe/Berlin\".");
        }
        else if (!TryFindTimeZone(options.TimeZoneId, out _))
        {
            Add(ref failures, $"Budgets: TimeZoneId '{options.TimeZoneId}' is not a time zone this system knows; use an IANA id (\"Europe/Berlin\", \"America/New_York\"), a Windows id (\"W. Europe Standard Time\") or \"UTC\".");
        }

        if (options.Budgets is null)
        {
            Add(ref failures, "Budgets: Budgets is null; set it to a list of budgets (an empty list for none).");
            return ValidateOptionsResult.Fail(failures!);
        }

        for (int i = 0; i < options.Budgets.Count; i++)
        {
            var budget = options.Budgets[i];
            string at = string.Create(CultureInfo.InvariantCulture, $"Budgets[{i}]");
            if (budget is null)
            {
                Add(ref failures, $"{at} is null; remove it or give it a Name and a Limit.");
                continue;
            }

            string which = string.IsNullOrWhiteSpace(budget.Name) ? string.Empty : $" (budget '{budget.Name}')";
            if (string.IsNullOrWhiteSpace(budget.Name))
            {
                Add(ref failures, $"{at}.Name is empty; give every budget a unique name, e.g. \"daily\" — it names the budget in alerts, errors and the ledger.");
            }
            else
            {
                for (int j = 0; j < i; j++)
                {
                    if (options.Budgets[j] is { } earlier && string.Equals(earlier.Name, budget.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{at}.Name '{budget.Name}' is already the name of Budgets[{j}] (names are compared ignoring case); give each budget its own name."));
                        break;
                    }
                }
            }

            if (budget.Limit < 0m)
            {
                Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{at}.Limit is {budget.Limit}{which}; it must be 0 or more, in USD per period (0 refuses every priced call)."));
            }

            if (!Enum.IsDefined(budget.Period))
            {
                Add(ref failures, $"{at}.Period is {budget.Period}{which}; use Daily, Weekly, Monthly or Total.");
            }

            if (!Enum.IsDefined(budget.OnExceeded))
            {
                Add(ref failures, $"{at}.OnExceeded is {budget.OnExceeded}{which}; use Block or Reroute.");
            }

            if (budget.AlertThresholds is null)
            {
                Add(ref failures, $"{at}.AlertThresholds is null{which}; use an empty list for no alerts, or e.g. [0.8] for an alert at 80 %.");
            }
            else
            {
                for (int t = 0; t < budget.AlertThresholds.Count; t++)
                {
                    double threshold = budget.AlertThresholds[t];
                    if (!(threshold > 0 && threshold <= 1))
                    {
                        Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{at}.AlertThresholds[{t}] is {threshold}{which}; a threshold is a fraction of the limit above 0 and at most 1, e.g. 0.8 for an alert at 80 %."));
                    }
                }
            }

            if (budget.TagValue is not null && string.IsNullOrEmpty(budget.TagKey))
            {
                Add(ref failures, $"{at}.TagValue is '{budget.TagValue}' but TagKey is not set{which}; set TagKey too (e.g. \"workspace\"), or remove TagValue.");
            }
            else if (budget.TagKey is not null && string.IsNullOrWhiteSpace(budget.TagKey))
            {
                Add(ref failures, $"{at}.TagKey is blank{which}; set it to a tag key such as \"workspace\", or to null for a budget not scoped by tag.");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Finds a time zone by IANA or Windows id (<c>UTC</c> always resolves).</summary>
    /// <param name="id">The id.</param>
    /// <param name="zone">The time zone.</param>
    /// <returns>Whether it was found.</returns>
    internal static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase) || string.Equals(id, "Etc/UTC", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }

        zone = TimeZoneInfo.Utc;
        return false;
    }

    private static void Add(ref List<string>? failures, string failure) => (failures ??= []).Add(failure);
}
