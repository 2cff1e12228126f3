using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using static LlmProviders.Tests.Costs.Budgets.BudgetTestKit;

namespace LlmProviders.Tests.Costs.Budgets;

public class BudgetManagerConcurrencyTests
{
    [Test]
    public async Task A_thousand_concurrent_calls_against_a_budget_that_fits_a_hundred_grant_exactly_a_hundred()
    {
        var store = new SpendTableLedgerStore();
        var manager = Manager(store, Clock(), new CostBudget { Name = "daily", Limit = 1.00m });
        const decimal cost = 0.01m;

        var reservations = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            var reservation = await manager.ReserveAsync(Call(), cost);
            if (reservation.IsGranted)
            {
                await manager.SettleAsync(reservation, cost);
            }

            return reservation;
        })));

        var refusals = reservations.Where(r => !r.IsGranted).ToArray();
        var status = (await manager.GetStatusAsync()).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reservations.Count(r => r.IsGranted), Is.EqualTo(100));
            Assert.That(status.Spent, Is.EqualTo(1.00m));
            Assert.That(store.MaxSpent, Is.LessThanOrEqualTo(1.00m));
            Assert.That(refusals, Has.Length.EqualTo(900));
            Assert.That(refusals.Select(r => r.RefusedBy).Distinct(), Is.EqualTo(new[] { "daily" }));
            Assert.That(refusals.Select(r => r.Limit).Distinct(), Is.EqualTo(new decimal?[] { 1.00m }));
            Assert.That(refusals.Select(r => r.Spent).Distinct(), Is.EqualTo(new decimal?[] { 1.00m }));
        }
    }

    [Test]
    public async Task Concurrent_calls_that_cost_less_than_reserved_never_spend_past_the_limit()
    {
        var store = new SpendTableLedgerStore();
        var manager = Manager(store, Clock(), new CostBudget { Name = "daily", Limit = 1.00m });
        const decimal worstCase = 0.01m, actual = 0.004m;

        var reservations = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            var reservation = await manager.ReserveAsync(Call(), worstCase);
            if (reservation.IsGranted)
            {
                await manager.SettleAsync(reservation, actual);
            }

            return reservation;
        })));

        int granted = reservations.Count(r => r.IsGranted);
        var status = (await manager.GetStatusAsync()).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(store.MaxSpent, Is.LessThanOrEqualTo(1.00m), "spend, open reservations included, at any moment");
            Assert.That(status.Spent, Is.EqualTo(granted * actual));
            Assert.That(status.Spent, Is.LessThanOrEqualTo(1.00m));
            Assert.That(granted, Is.GreaterThanOrEqualTo(100), "settling below the reservation frees budget for more calls");
        }
    }

    [Test]
    public async Task The_threshold_event_fires_once_when_many_concurrent_calls_cross_it()
    {
        var store = new SpendTableLedgerStore();
        var manager = Manager(store, Clock(), new CostBudget { Name = "daily", Limit = 1.00m, AlertThresholds = [0.8] });
        int alerts = 0;
        BudgetThresholdCrossedEventArgs? alert = null;
        manager.ThresholdCrossed += (_, e) =>
        {
            Interlocked.Increment(ref alerts);
            alert = e;
        };

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            var reservation = await manager.ReserveAsync(Call(), 0.01m);
            await manager.SettleAsync(reservation, 0.01m);
        })));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(alerts, Is.EqualTo(1));
            Assert.That(alert!.BudgetName, Is.EqualTo("daily"));
            Assert.That(alert.Threshold, Is.EqualTo(0.8));
            Assert.That(alert.Limit, Is.EqualTo(1.00m));
            Assert.That(alert.Spent, Is.InRange(0.80m, 1.00m));
        }
    }
}
