using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Costs;
using Microsoft.Extensions.Logging;
using static LlmProviders.Tests.Costs.Budgets.BudgetTestKit;

namespace LlmProviders.Tests.Costs.Budgets;

public class BudgetManagerReservationTests
{
    [Test]
    public async Task Without_budgets_a_call_is_unbudgeted_and_the_store_is_not_touched()
    {
        var store = new SpendTableLedgerStore();
        var manager = Manager(store, Clock());

        var reservation = await manager.ReserveAsync(Call(), 1m);
        await manager.SettleAsync(reservation, 1m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(manager.HasBudgets, Is.False);
            Assert.That(reservation, Is.SameAs(BudgetReservation.Unbudgeted));
            Assert.That(store.ReserveCalls, Is.Zero);
            Assert.That(store.PeriodCount, Is.Zero);
        }
    }

    [Test]
    public async Task A_call_no_budget_covers_allocates_nothing()
    {
        var store = new SpendTableLedgerStore();
        var manager = Manager(
            store,
            Clock(),
            new CostBudget { Name = "anthropic", ProviderName = "anthropic", Limit = 1m },
            new CostBudget { Name = "gpt-4o", Model = "gpt-4o", Limit = 1m },
            new CostBudget { Name = "per-workspace", TagKey = "workspace", Limit = 1m });
        var call = Call("openai", "gpt-4o-mini", ("user", "alice"));
        await manager.SettleAsync(await manager.ReserveAsync(call, 1m), 1m);

        // Every await below completes synchronously, so the thread does not change.
        int unbudgeted = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            var reservation = await manager.ReserveAsync(call, 1m);
            await manager.SettleAsync(reservation, 1m);
            unbudgeted += ReferenceEquals(reservation, BudgetReservation.Unbudgeted) ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(unbudgeted, Is.EqualTo(1000));
            Assert.That(store.ReserveCalls, Is.Zero);
        }
    }

    [Test]
    public async Task A_granted_reservation_holds_the_worst_case_until_it_is_settled()
    {
        var store = new SpendTableLedgerStore();
        var manager = Manager(store, Clock(), new CostBudget { Name = "daily", Limit = 1m });

        var reservation = await manager.ReserveAsync(Call(), 0.6m);
        decimal spentWhileOpen = (await manager.GetStatusAsync())[0].Spent;
        var second = await manager.ReserveAsync(Call(), 0.6m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(manager.HasBudgets, Is.True);
            Assert.That(reservation.IsGranted, Is.True);
            Assert.That(reservation.Amount, Is.EqualTo(0.6m));
            Assert.That(spentWhileOpen, Is.EqualTo(0.6m));
            Assert.That(second.IsGranted, Is.False);
            Assert.That(second.Spent, Is.EqualTo(0.6m));
        }
    }

    [Test]
    public async Task Settling_lower_than_reserved_frees_the_difference()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 1m });

        var reservation = await manager.ReserveAsync(Call(), 0.6m);
        await manager.SettleAsync(reservation, 0.2m);
        var status = (await manager.GetStatusAsync())[0];
        var next = await manager.ReserveAsync(Call(), 0.8m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.Spent, Is.EqualTo(0.2m));
            Assert.That(status.Remaining, Is.EqualTo(0.8m));
            Assert.That(status.FractionUsed, Is.EqualTo(0.2).Within(1e-12));
            Assert.That(next.IsGranted, Is.True);
        }
    }

    [Test]
    public async Task Settling_a_cancelled_call_at_zero_frees_the_whole_reservation()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 1m });

        var reservation = await manager.ReserveAsync(Call(), 0.9m);
        await manager.SettleAsync(reservation, 0m);

        Assert.That((await manager.GetStatusAsync())[0].Spent, Is.Zero);
    }

    [Test]
    public async Task Settling_twice_charges_once()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 1m });

        var reservation = await manager.ReserveAsync(Call(), 0.5m);
        await manager.SettleAsync(reservation, 0.3m);
        await manager.SettleAsync(reservation, 0.3m);
        await manager.SettleAsync(reservation, 0m);

        Assert.That((await manager.GetStatusAsync())[0].Spent, Is.EqualTo(0.3m));
    }

    [Test]
    public async Task Settling_a_refusal_or_an_unbudgeted_call_changes_nothing()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 1m });
        var held = await manager.ReserveAsync(Call(), 0.7m);
        var refused = await manager.ReserveAsync(Call(), 0.7m);

        await manager.SettleAsync(refused, 0.7m);
        await manager.SettleAsync(BudgetReservation.Unbudgeted, 5m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(held.IsGranted, Is.True);
            Assert.That(refused.IsGranted, Is.False);
            Assert.That((await manager.GetStatusAsync())[0].Spent, Is.EqualTo(0.7m));
        }
    }

    [Test]
    public async Task A_budget_refusing_releases_what_the_other_budgets_reserved()
    {
        var manager = Manager(
            new SpendTableLedgerStore(),
            Clock(),
            new CostBudget { Name = "workspace", TagKey = "workspace", TagValue = "acme", Limit = 10m },
            new CostBudget { Name = "global", Limit = 1m });
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 0.95m), 0.95m);

        var refused = await manager.ReserveAsync(Workspace("acme"), 0.10m);
        var statuses = await manager.GetStatusAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.IsGranted, Is.False);
            Assert.That(refused.RefusedBy, Is.EqualTo("global"));
            Assert.That(refused.Spent, Is.EqualTo(0.95m));
            Assert.That(statuses.Single(s => s.BudgetName == "workspace").Spent, Is.Zero, "the workspace reservation is released");
            Assert.That(statuses.Single(s => s.BudgetName == "global").Spent, Is.EqualTo(0.95m));
        }
    }

    [Test]
    public async Task A_reservation_that_fails_midway_releases_what_it_had_reserved()
    {
        var store = new SpendTableLedgerStore { FailReservationsOf = "global" };
        var manager = Manager(
            store,
            Clock(),
            new CostBudget { Name = "openai", ProviderName = "openai", Limit = 10m },
            new CostBudget { Name = "global", Limit = 10m });

        Assert.That(async () => await manager.ReserveAsync(Call(), 1m), Throws.InstanceOf<OperationCanceledException>());

        store.FailReservationsOf = null;
        Assert.That((await manager.GetStatusAsync()).Select(s => s.Spent), Is.EqualTo(new[] { 0m, 0m }));
    }

    [Test]
    public async Task A_granted_call_is_charged_in_every_budget_that_covers_it()
    {
        var manager = Manager(
            new SpendTableLedgerStore(),
            Clock(),
            new CostBudget { Name = "workspace", TagKey = "workspace", TagValue = "acme", Limit = 10m },
            new CostBudget { Name = "openai", ProviderName = "openai", Limit = 10m },
            new CostBudget { Name = "global", Limit = 10m });

        await manager.SettleAsync(await manager.ReserveAsync(Workspace("acme"), 1m), 0.4m);

        Assert.That((await manager.GetStatusAsync()).Select(s => s.Spent), Is.EqualTo(new[] { 0.4m, 0.4m, 0.4m }));
    }

    [Test]
    public async Task Provider_and_model_scopes_match_ignoring_case_and_both_must_hold()
    {
        var manager = Manager(
            new SpendTableLedgerStore(),
            Clock(),
            new CostBudget { Name = "openai-gpt-4o", ProviderName = "openai", Model = "gpt-4o", Limit = 1m });

        var matching = await manager.ReserveAsync(Call("OpenAI", "GPT-4o"), 0.1m);
        var otherModel = await manager.ReserveAsync(Call("openai", "gpt-4o-mini"), 0.1m);
        var otherProvider = await manager.ReserveAsync(Call("azure", "gpt-4o"), 0.1m);
        var defaultModel = await manager.ReserveAsync(Call("openai", null), 0.1m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(matching, Is.Not.SameAs(BudgetReservation.Unbudgeted));
            Assert.That(matching.Amount, Is.EqualTo(0.1m));
            Assert.That(otherModel, Is.SameAs(BudgetReservation.Unbudgeted));
            Assert.That(otherProvider, Is.SameAs(BudgetReservation.Unbudgeted));
            Assert.That(defaultModel, Is.SameAs(BudgetReservation.Unbudgeted), "a call without a model does not match a model budget");
        }
    }

    [Test]
    public async Task A_provider_budget_refuses_only_that_provider()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "anthropic", ProviderName = "anthropic", Limit = 0.5m });

        var anthropic = await manager.ReserveAsync(Call("anthropic", "claude-sonnet-4"), 1m);
        var openai = await manager.ReserveAsync(Call("openai", "gpt-4o"), 1m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(anthropic.RefusedBy, Is.EqualTo("anthropic"));
            Assert.That(openai.IsGranted, Is.True);
        }
    }

    [Test]
    public async Task A_budget_per_tag_value_gives_each_value_its_own_limit()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "per-workspace", TagKey = "workspace", Limit = 1m });
        await manager.SettleAsync(await manager.ReserveAsync(Workspace("acme"), 1m), 1m);

        var acme = await manager.ReserveAsync(Workspace("acme"), 0.5m);
        var globex = await manager.ReserveAsync(Workspace("globex"), 0.5m);
        var untagged = await manager.ReserveAsync(Call(), 0.5m);
        var statuses = await manager.GetStatusAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(acme.IsGranted, Is.False);
            Assert.That(acme.RefusedBy, Is.EqualTo("per-workspace:acme"));
            Assert.That(acme.Spent, Is.EqualTo(1m));
            Assert.That(globex.IsGranted, Is.True);
            Assert.That(untagged, Is.SameAs(BudgetReservation.Unbudgeted), "a call without the tag is not covered");
            Assert.That(statuses.Select(s => (s.BudgetName, s.TagValue, s.Spent)), Is.EqualTo(new[] { ("per-workspace", "acme", 1m), ("per-workspace", "globex", 0.5m) }));
        }
    }

    [Test]
    public async Task A_budget_for_one_tag_value_ignores_the_other_values()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "acme", TagKey = "workspace", TagValue = "acme", Limit = 1m });

        var acme = await manager.ReserveAsync(Workspace("acme"), 2m);
        var globex = await manager.ReserveAsync(Workspace("globex"), 2m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(acme.RefusedBy, Is.EqualTo("acme"));
            Assert.That(globex, Is.SameAs(BudgetReservation.Unbudgeted));
        }
    }

    [Test]
    public async Task A_call_of_unknown_cost_runs_under_a_budget_that_allows_it_counted_as_zero_with_one_warning()
    {
        var logger = new CapturingLogger();
        var manager = new BudgetManager(new SpendTableLedgerStore(), new BudgetOptions { Budgets = [new CostBudget { Name = "daily", Limit = 1m }] }, Clock(), logger);

        var first = await manager.ReserveAsync(Call("ollama", "my-finetune"), null);
        await manager.SettleAsync(first, null);
        var second = await manager.ReserveAsync(Call("ollama", "my-finetune"), null);
        await manager.SettleAsync(second, null);

        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.IsGranted, Is.True);
            Assert.That(first.Amount, Is.Zero);
            Assert.That(second.IsGranted, Is.True);
            Assert.That((await manager.GetStatusAsync())[0].Spent, Is.Zero);
            Assert.That(warnings, Has.Length.EqualTo(1));
            Assert.That(warnings[0].Message, Does.Contain("'daily'").And.Contain("my-finetune").And.Contain("AllowUnknownCost"));
        }
    }

    [Test]
    public async Task A_call_of_unknown_cost_is_refused_by_a_budget_that_does_not_allow_it()
    {
        var manager = Manager(
            new SpendTableLedgerStore(),
            Clock(),
            new CostBudget { Name = "lenient", Limit = 1m },
            new CostBudget { Name = "strict", Limit = 1m, AllowUnknownCost = false, OnExceeded = BudgetLimitAction.Reroute });

        var reservation = await manager.ReserveAsync(Call("ollama", "my-finetune"), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reservation.IsGranted, Is.False);
            Assert.That(reservation.RefusedBy, Is.EqualTo("strict"));
            Assert.That(reservation.Limit, Is.EqualTo(1m));
            Assert.That(reservation.Spent, Is.Zero);
            Assert.That(reservation.Action, Is.EqualTo(BudgetLimitAction.Reroute));
        }
    }

    [TestCase(BudgetLimitAction.Block)]
    [TestCase(BudgetLimitAction.Reroute)]
    public async Task A_refusal_reports_what_the_refusing_budget_asks_for(BudgetLimitAction action)
    {
        var manager = Manager(
            new SpendTableLedgerStore(),
            Clock(),
            new CostBudget { Name = "roomy", Limit = 100m, OnExceeded = BudgetLimitAction.Block },
            new CostBudget { Name = "tight", Limit = 1m, OnExceeded = action });

        var reservation = await manager.ReserveAsync(Call(), 2m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reservation.RefusedBy, Is.EqualTo("tight"));
            Assert.That(reservation.Action, Is.EqualTo(action));
        }
    }

    [Test]
    public async Task The_refusal_exception_names_the_budget_its_limit_and_its_spend_and_nothing_secret()
    {
        const string secret = "sk-live-0123456789abcdef";
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 10m });
        await manager.SettleAsync(await manager.ReserveAsync(Call(), 9.5m), 9.5m);

        var refusal = await manager.ReserveAsync(Call("openai", "gpt-4o", ("api-key", secret)), 1m);
        var exception = refusal.CreateException("openai", "gpt-4o");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Message, Does.Contain("'daily'"));
            Assert.That(exception.Message, Does.Contain(9.5m.ToString("0.######", CultureInfo.CurrentCulture) + " of " + 10m.ToString("0.######", CultureInfo.CurrentCulture) + " USD"));
            Assert.That(exception.ToString(), Does.Not.Contain(secret));
            Assert.That(exception.BudgetName, Is.EqualTo("daily"));
            Assert.That(exception.Limit, Is.EqualTo(10m));
            Assert.That(exception.Spent, Is.EqualTo(9.5m));
            Assert.That(exception.ProviderName, Is.EqualTo("openai"));
            Assert.That(exception.Model, Is.EqualTo("gpt-4o"));
            Assert.That(exception.Kind, Is.EqualTo(LlmErrorKind.BudgetExceeded));
        }
    }

    [Test]
    public void A_negative_worst_case_or_actual_cost_is_rejected()
    {
        var manager = Manager(new SpendTableLedgerStore(), Clock(), new CostBudget { Name = "daily", Limit = 1m });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(async () => await manager.ReserveAsync(Call(), -1m), Throws.InstanceOf<System.ArgumentOutOfRangeException>());
            Assert.That(async () => await manager.SettleAsync(BudgetReservation.Unbudgeted, -1m), Throws.InstanceOf<System.ArgumentOutOfRangeException>());
        }
    }
}
