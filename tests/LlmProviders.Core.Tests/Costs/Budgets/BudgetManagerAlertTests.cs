using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Costs;
using Microsoft.Extensions.Logging;
using static LlmProviders.Tests.Costs.Budgets.BudgetTestKit;

namespace LlmProviders.Tests.Costs.Budgets;

public class BudgetManagerAlertTests
{
    [Test]
    public async Task Reaching_80_percent_raises_one_alert_with_the_budget_and_its_spend()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 10m });
        var alerts = Capture(manager);

        await manager.SettleAsync(await manager.ReserveAsync(Call(), 5m), 5m);
        int before = alerts.Count;
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 3m), 3m);
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 1m), 1m);

        Assert.That(alerts, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.Zero);
            Assert.That(alerts[0].BudgetName, Is.EqualTo("daily"));
            Assert.That(alerts[0].TagValue, Is.Null);
            Assert.That(alerts[0].Threshold, Is.EqualTo(0.8));
            Assert.That(alerts[0].Limit, Is.EqualTo(10m));
            Assert.That(alerts[0].Spent, Is.EqualTo(8m));
            Assert.That(alerts[0].PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public async Task A_reservation_alone_does_not_alert_the_settled_cost_does()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 1m });
        var alerts = Capture(manager);

        var reservation = await manager.ReserveAsync(Call(), 0.9m);
        int whileOpen = alerts.Count;
        await manager.SettleAsync(reservation, 0.85m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileOpen, Is.Zero, "the worst case is not spent yet");
            Assert.That(alerts, Has.Count.EqualTo(1));
            Assert.That(alerts[0].Spent, Is.EqualTo(0.85m));
        }
    }

    [Test]
    public async Task A_call_settling_far_below_its_reservation_does_not_alert()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 1m });
        var alerts = Capture(manager);

        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.9m), 0.1m);

        Assert.That(alerts, Is.Empty);
    }

    [Test]
    public async Task The_alert_fires_again_in_the_next_period_and_once_there()
    {
        var clock = Clock();
        var manager = Manager(new SpendTableLedgerStore(), clock, new CostBudget { Name = "daily", Limit = 1m });
        var alerts = Capture(manager);
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.9m), 0.9m);

        clock.Advance(TimeSpan.FromHours(15)); // past midnight UTC
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.85m), 0.85m);
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.1m), 0.1m);

        Assert.That(alerts.Select(a => a.PeriodStart), Is.EqualTo(new[]
        {
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero),
        }));
    }

    [Test]
    public async Task The_alert_follows_local_midnight_in_the_configured_time_zone()
    {
        // 04:30 UTC on 2 January is 23:30 on 1 January in New York (UTC-5).
        var clock = Clock(new DateTimeOffset(2026, 1, 2, 4, 30, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, "America/New_York", new CostBudget { Name = "daily", Limit = 1m });
        var alerts = Capture(manager);
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.9m), 0.9m);

        clock.Advance(TimeSpan.FromMinutes(45)); // 00:15 on 2 January in New York.
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.9m), 0.9m);

        Assert.That(alerts.Select(a => a.PeriodStart), Is.EqualTo(new[]
        {
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5)),
            new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.FromHours(-5)),
        }));
    }

    [Test]
    public async Task Each_threshold_alerts_once_in_ascending_order_even_when_one_call_crosses_several()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 1m, AlertThresholds = [1.0, 0.5, 0.8] });
        var alerts = Capture(manager);

        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.9m), 0.9m);
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.1m), 0.1m);

        Assert.That(alerts.Select(a => a.Threshold), Is.EqualTo(new[] { 0.5, 0.8, 1.0 }));
    }

    [Test]
    public async Task Each_tag_value_of_a_per_value_budget_alerts_on_its_own()
    {
        var logger = new CapturingLogger();
        var manager = new BudgetManager(
            new SpendTableLedgerStore(),
            new BudgetOptions { Budgets = [new CostBudget { Name = "per-workspace", TagKey = "workspace", Limit = 1m }] },
            Clock(),
            logger);
        var alerts = Capture(manager);

        await manager.SettleAsync(await manager.ReserveAsync(Workspace("acme"), 0.9m), 0.9m);
        await manager.SettleAsync(await manager.ReserveAsync(Workspace("globex"), 0.9m), 0.9m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(alerts.Select(a => (a.BudgetName, a.TagValue)), Is.EqualTo(new[] { ("per-workspace", "acme"), ("per-workspace", "globex") }));
            Assert.That(logger.Entries.Select(e => e.Message), Has.One.Contains("Budget 'per-workspace:acme' has reached 80 % of its limit"));
        }
    }

    [Test]
    public async Task A_late_settlement_of_an_ended_period_does_not_alert()
    {
        var clock = Clock(new DateTimeOffset(2026, 1, 1, 23, 59, 0, TimeSpan.Zero));
        var manager = Manager(new SpendTableLedgerStore(), clock, new CostBudget { Name = "daily", Limit = 1m });
        var alerts = Capture(manager);
        var reservation = await manager.ReserveAsync(Call(), 0.9m);

        clock.Advance(TimeSpan.FromMinutes(2));
        await manager.SettleAsync(reservation, 0.9m);

        Assert.That(alerts, Is.Empty);
    }

    [Test]
    public async Task A_throwing_handler_is_logged_and_neither_breaks_the_call_nor_the_other_handlers()
    {
        var logger = new CapturingLogger();
        var manager = new BudgetManager(new SpendTableLedgerStore(), new BudgetOptions { Budgets = [new CostBudget { Name = "daily", Limit = 1m }] }, Clock(), logger);
        manager.ThresholdCrossed += (_, _) => throw new InvalidOperationException("handler bug");
        var alerts = Capture(manager);

        var reservation = await manager.ReserveAsync(Call(), 0.9m);
        Assert.That(async () => await manager.SettleAsync(reservation, 0.9m), Throws.Nothing);

        var errors = logger.Entries.Where(e => e.Level == LogLevel.Error).ToArray();
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(alerts, Has.Count.EqualTo(1));
            Assert.That((await manager.GetStatusAsync())[0].Spent, Is.EqualTo(0.9m));
            Assert.That(errors, Has.Length.EqualTo(1));
            Assert.That(errors[0].Exception, Is.InstanceOf<InvalidOperationException>());
            Assert.That(errors[0].Message, Does.Contain("'daily'"));
            Assert.That(warnings.Select(w => w.Message), Has.One.Contains("Budget 'daily'").And.Contains("80 %"));
        }
    }

    private static List<BudgetThresholdCrossedEventArgs> Capture(BudgetManager manager)
    {
        var alerts = new List<BudgetThresholdCrossedEventArgs>();
        manager.ThresholdCrossed += (sender, e) =>
        {
            Assert.That(sender, Is.SameAs(manager));
            lock (alerts)
            {
                alerts.Add(e);
            }
        };
        return alerts;
    }
}
