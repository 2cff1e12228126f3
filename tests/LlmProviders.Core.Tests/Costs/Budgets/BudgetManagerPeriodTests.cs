using System;
using System.Threading.Tasks;
using LlmProviders.Costs;
using static LlmProviders.Tests.Costs.Budgets.BudgetTestKit;

namespace LlmProviders.Tests.Costs.Budgets;

public class BudgetManagerPeriodTests
{
    [Test]
    public async Task A_daily_budget_starts_again_at_midnight_utc()
    {
        var clock = Clock(new DateTimeOffset(2026, 1, 1, 23, 0, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, new CostBudget { Name = "daily", Limit = 1m });
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 1m), 1m);
        var lateSameDay = await manager.ReserveAsync(Call(), 0.1m);

        clock.Advance(TimeSpan.FromHours(1));
        var nextDay = await manager.ReserveAsync(Call(), 0.1m);
        var status = (await manager.GetStatusAsync())[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lateSameDay.IsGranted, Is.False);
            Assert.That(nextDay.IsGranted, Is.True);
            Assert.That(status.Spent, Is.EqualTo(0.1m));
            Assert.That(status.PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(status.PeriodEnd, Is.EqualTo(new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public async Task In_a_configured_time_zone_the_day_rolls_at_local_midnight()
    {
        // 22:30 UTC is 23:30 in Berlin (UTC+1 in winter).
        var start = new DateTimeOffset(2026, 1, 1, 22, 30, 0, TimeSpan.Zero);
        var berlinClock = Clock(start);
        var utcClock = Clock(start);
        var berlin = Manager(new SpendTableLedgerStore(), berlinClock, "Europe/Berlin", new CostBudget { Name = "daily", Limit = 1m });
        var utc = Manager(new SpendTableLedgerStore(), utcClock, "UTC", new CostBudget { Name = "daily", Limit = 1m });
        await berlin.SettleAsync(await berlin.ReserveAsync(Call(), 1m), 1m);
        await utc.SettleAsync(await utc.ReserveAsync(Call(), 1m), 1m);

        berlinClock.Advance(TimeSpan.FromMinutes(35)); // 23:05 UTC = 00:05 on 2 January in Berlin.
        utcClock.Advance(TimeSpan.FromMinutes(35));
        var inBerlin = await berlin.ReserveAsync(Call(), 0.1m);
        var inUtc = await utc.ReserveAsync(Call(), 0.1m);
        var status = (await berlin.GetStatusAsync())[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inBerlin.IsGranted, Is.True, "a new day in Berlin");
            Assert.That(inUtc.IsGranted, Is.False, "still 1 January in UTC");
            Assert.That(status.PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.FromHours(1))));
            Assert.That(status.PeriodStart.Offset, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(status.PeriodStart.DateTime, Is.EqualTo(new DateTime(2026, 1, 2)));
        }
    }

    [TestCase(3, 8, 23, -5, -4)] // New York springs forward on 8 March 2026: a 23-hour day.
    [TestCase(11, 1, 25, -4, -5)] // … and falls back on 1 November 2026: a 25-hour day.
    public async Task Days_that_change_daylight_saving_time_start_and_end_at_local_midnight(int month, int day, int hours, int startOffset, int endOffset)
    {
        var clock = Clock(new DateTimeOffset(2026, month, day, 17, 0, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, "America/New_York", new CostBudget { Name = "daily", Limit = 1m });

        var status = (await manager.GetStatusAsync())[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.PeriodStart, Is.EqualTo(new DateTimeOffset(2026, month, day, 0, 0, 0, TimeSpan.FromHours(startOffset))));
            Assert.That(status.PeriodEnd, Is.EqualTo(new DateTimeOffset(2026, month, day + 1, 0, 0, 0, TimeSpan.FromHours(endOffset))));
            Assert.That(status.PeriodEnd - status.PeriodStart, Is.EqualTo(TimeSpan.FromHours(hours)));
        }
    }

    [Test]
    public async Task A_day_whose_midnight_is_skipped_starts_when_the_clocks_jump()
    {
        // Havana springs forward at midnight on 8 March 2026: 00:00 (UTC-5) becomes 01:00 (UTC-4).
        var clock = Clock(new DateTimeOffset(2026, 3, 8, 17, 0, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, "America/Havana", new CostBudget { Name = "daily", Limit = 1m });

        var status = (await manager.GetStatusAsync())[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 3, 8, 1, 0, 0, TimeSpan.FromHours(-4))));
            Assert.That(status.PeriodStart.Offset, Is.EqualTo(TimeSpan.FromHours(-4)));
            Assert.That(status.PeriodEnd - status.PeriodStart, Is.EqualTo(TimeSpan.FromHours(23)));
        }
    }

    [Test]
    public async Task A_day_whose_midnight_happens_twice_starts_at_the_first()
    {
        // Havana falls back at 01:00 on 1 November 2026 to 00:00: midnight happens at UTC-4, then again at UTC-5.
        var clock = Clock(new DateTimeOffset(2026, 11, 1, 17, 0, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, "America/Havana", new CostBudget { Name = "daily", Limit = 1m });

        var status = (await manager.GetStatusAsync())[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(-4))));
            Assert.That(status.PeriodEnd, Is.EqualTo(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(-5))));
            Assert.That(status.PeriodEnd - status.PeriodStart, Is.EqualTo(TimeSpan.FromHours(25)));
        }
    }

    [Test]
    public async Task A_monthly_budget_starts_again_on_the_first_of_the_month()
    {
        var clock = Clock(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, new CostBudget { Name = "monthly", Limit = 100m, Period = BudgetPeriod.Monthly });
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 100m), 100m);
        var lastDay = await manager.ReserveAsync(Call(), 1m);

        clock.Advance(TimeSpan.FromHours(2));
        var firstDay = await manager.ReserveAsync(Call(), 1m);
        var status = (await manager.GetStatusAsync())[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lastDay.IsGranted, Is.False);
            Assert.That(firstDay.IsGranted, Is.True);
            Assert.That(status.Period, Is.EqualTo(BudgetPeriod.Monthly));
            Assert.That(status.PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(status.PeriodEnd, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(status.Spent, Is.EqualTo(1m));
        }
    }

    [Test]
    public async Task A_monthly_budget_does_not_roll_over_at_midnight()
    {
        var clock = Clock(new DateTimeOffset(2026, 1, 15, 23, 0, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, new CostBudget { Name = "monthly", Limit = 100m, Period = BudgetPeriod.Monthly });
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 60m), 60m);

        clock.Advance(TimeSpan.FromHours(2));

        Assert.That((await manager.GetStatusAsync())[0].Spent, Is.EqualTo(60m));
    }

    [Test]
    public async Task A_weekly_budget_starts_on_monday()
    {
        // 1 January 2026 is a Thursday.
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "weekly", Limit = 1m, Period = BudgetPeriod.Weekly });

        var status = (await manager.GetStatusAsync())[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.PeriodStart, Is.EqualTo(new DateTimeOffset(2025, 12, 29, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(status.PeriodEnd, Is.EqualTo(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public async Task A_total_budget_never_starts_again()
    {
        var clock = Clock();
        var manager = Manager(new SpendTableLedgerStore(), clock, new CostBudget { Name = "lifetime", Limit = 5m, Period = BudgetPeriod.Total });
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 5m), 5m);

        clock.Advance(TimeSpan.FromDays(400));
        var later = await manager.ReserveAsync(Call(), 0.1m);
        var status = (await manager.GetStatusAsync())[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(later.IsGranted, Is.False);
            Assert.That(status.PeriodStart, Is.EqualTo(DateTimeOffset.MinValue));
            Assert.That(status.PeriodEnd, Is.EqualTo(DateTimeOffset.MaxValue));
        }
    }

    [Test]
    public async Task A_call_reserved_before_midnight_and_settled_after_is_charged_to_the_day_it_started()
    {
        var clock = Clock(new DateTimeOffset(2026, 1, 1, 23, 59, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, new CostBudget { Name = "daily", Limit = 1m });
        var reservation = await manager.ReserveAsync(Call(), 0.8m);

        clock.Advance(TimeSpan.FromMinutes(2));
        await manager.SettleAsync(reservation, 0.5m);

        Assert.That((await manager.GetStatusAsync())[0].Spent, Is.Zero, "the new day starts empty");
    }

    [Test]
    public async Task Tag_values_used_in_a_past_period_are_not_reported_in_the_new_one()
    {
        var clock = Clock();
        var manager = Manager(new SpendTableLedgerStore(), clock, new CostBudget { Name = "per-workspace", TagKey = "workspace", Limit = 1m });
        await manager.SettleAsync(await manager.ReserveAsync(Workspace("acme"), 0.5m), 0.5m);

        clock.Advance(TimeSpan.FromDays(1));
        await manager.SettleAsync(await manager.ReserveAsync(Workspace("globex"), 0.2m), 0.2m);
        var statuses = await manager.GetStatusAsync();

        Assert.That(statuses, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses[0].TagValue, Is.EqualTo("globex"));
            Assert.That(statuses[0].Spent, Is.EqualTo(0.2m));
        }
    }
}
