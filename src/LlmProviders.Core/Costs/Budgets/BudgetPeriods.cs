using System;

namespace LlmProviders.Costs;

/// <summary>One period of a budget: its start (inclusive) and end (exclusive), with the offset of the budgets' time zone.</summary>
internal sealed class BudgetWindow(DateTimeOffset start, DateTimeOffset end)
{
    /// <summary>Gets the window of <see cref="BudgetPeriod.Total"/>: all time.</summary>
    public static BudgetWindow AllTime { get; } = new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    /// <summary>Gets the start of the period.</summary>
    public DateTimeOffset Start { get; } = start;

    /// <summary>Gets the end of the period (the start of the next).</summary>
    public DateTimeOffset End { get; } = end;

    /// <summary>Tells whether an instant falls in the period.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when <see cref="Start"/> ≤ <paramref name="instant"/> &lt; <see cref="End"/>.</returns>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}

/// <summary>Computes budget periods in a time zone: local midnight, Monday 00:00 and the 1st at 00:00, safe across DST changes.</summary>
internal static class BudgetPeriods
{
    /// <summary>Gets the period of <paramref name="period"/> that contains <paramref name="utcNow"/>.</summary>
    /// <param name="period">The period kind.</param>
    /// <param name="utcNow">The instant.</param>
    /// <param name="zone">The budgets' time zone.</param>
    /// <returns>The period's start and end, as local instants of <paramref name="zone"/>.</returns>
    public static BudgetWindow Compute(BudgetPeriod period, DateTimeOffset utcNow, TimeZoneInfo zone)
    {
        if (period == BudgetPeriod.Total)
        {
            return BudgetWindow.AllTime;
        }

        DateTime local = TimeZoneInfo.ConvertTime(utcNow, zone).DateTime;
        DateTime start, end;
        switch (period)
        {
            case BudgetPeriod.Weekly:
                start = local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7));
                end = start.AddDays(7);
                break;
            case BudgetPeriod.Monthly:
                start = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
                end = start.AddMonths(1);
                break;
            default:
                start = local.Date;
                end = start.AddDays(1);
                break;
        }

        return new BudgetWindow(ToInstant(start, zone), ToInstant(end, zone));
    }

    /// <summary>Gets the first instant at which the wall clock of <paramref name="zone"/> shows <paramref name="local"/> or later.</summary>
    /// <param name="local">A wall-clock time.</param>
    /// <param name="zone">The time zone.</param>
    /// <returns>The instant, with the zone's offset at that instant.</returns>
    internal static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // The clocks jump over this time (a DST start at midnight): the period starts at the jump, where the offset in force
            // before it ends.
            TimeSpan before = zone.GetUtcOffset(local.AddHours(-6));
            var jump = new DateTimeOffset(DateTime.SpecifyKind(local - before, DateTimeKind.Utc));
            return TimeZoneInfo.ConvertTime(jump, zone);
        }

        if (zone.IsAmbiguousTime(local))
        {
            // The clocks show this time twice (a DST end at midnight): the period starts at the first, whose offset is the larger.
            TimeSpan largest = TimeSpan.MinValue;
            foreach (var offset in zone.GetAmbiguousTimeOffsets(local))
            {
                if (offset > largest)
                {
                    largest = offset;
                }
            }

            return new DateTimeOffset(local, largest);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
