using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.ChainTestKit;

namespace LlmProviders.Tests.Routing;

/// <summary>Embedding attempts under budgets: reserve the estimate (inputs at the model's input price), settle to the real cost, Block and Reroute.</summary>
public class FallbackChainEmbeddingBudgetTests
{
    // $1,000 per million input tokens: "hello" and "world" are estimated at 3 tokens each ($0.006) and cost what the simulator counts.
    private static readonly ModelCatalog Catalog = new(
    [
        new ModelCatalogEntry { Provider = LlmProviderKinds.Simulated, Id = "embed", Price = new ModelPrice { Input = 1000m, Output = 0m } },
    ]);

    private ManualTimeProvider _time = null!;
    private InMemoryCostLedgerStore _store = null!;
    private CostTracker _tracker = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        _store = new InMemoryCostLedgerStore(null, _time);
        _tracker = new CostTracker(_store, _time);
    }

    [Test]
    public async Task An_embedding_over_a_blocking_budget_is_refused_before_the_provider_is_called()
    {
        var budget = new CostBudget { Name = "tiny", Limit = 0.001m };

        var thrown = Assert.ThrowsAsync<BudgetExceededException>(() => ChainOf(budget, Sim("primary")).EmbedAsync(Request()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown!.BudgetName, Is.EqualTo("tiny"));
            Assert.That(thrown.Limit, Is.EqualTo(0.001m));
            Assert.That(await Records(), Is.Empty, "no attempt was made");
            Assert.That(await Spent("tiny"), Is.Zero);
        }
    }

    [Test]
    public async Task An_embedding_that_fits_reserves_its_estimate_then_settles_to_the_real_cost()
    {
        var budget = new CostBudget { Name = "daily", Limit = 1m };
        var chain = ChainOf(budget, Sim("primary", TimeSpan.FromSeconds(1)));

        var call = chain.EmbedAsync(Request());
        decimal whileRunning = await Spent("daily");
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await call;
        var record = (await Records()).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileRunning, Is.EqualTo(0.006m), "the estimate is reserved while the call runs");
            Assert.That(result.Cost, Is.GreaterThan(0m).And.Not.EqualTo(0.006m));
            Assert.That(await Spent("daily"), Is.EqualTo(result.Cost));
            Assert.That(record.Cost, Is.EqualTo(result.Cost));
        }
    }

    [Test]
    public async Task A_rerouting_budget_skips_the_embedding_target_that_does_not_fit()
    {
        var budget = new CostBudget { Name = "primary-cap", Limit = 0.001m, ProviderName = "primary", OnExceeded = BudgetLimitAction.Reroute };

        var result = await ChainOf(budget, Sim("primary"), Sim("backup")).EmbedAsync(Request());
        var skipped = result.Trace!.Candidates.Single(c => c.ProviderName == "primary");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(skipped.SkipReason, Is.EqualTo(CandidateSkipReason.OverBudget));
            Assert.That(skipped.Detail, Does.Contain("primary-cap"));
            Assert.That((await Records()).Select(r => r.ProviderName), Is.EqualTo(new[] { "backup" }));
        }
    }

    [Test]
    public void When_no_embedding_target_fits_a_rerouting_budget_the_call_is_refused_with_BudgetExceeded()
    {
        var budget = new CostBudget { Name = "all", Limit = 0.001m, OnExceeded = BudgetLimitAction.Reroute };

        var thrown = Assert.ThrowsAsync<BudgetExceededException>(() => ChainOf(budget, Sim("a"), Sim("b")).EmbedAsync(Request()));

        Assert.That(thrown!.BudgetName, Is.EqualTo("all"));
    }

    [Test]
    public async Task A_failed_embedding_attempt_releases_its_reservation()
    {
        var budget = new CostBudget { Name = "daily", Limit = 1m };
        var failing = new SimulatedProvider(new SimulatedProviderOptions { Seed = 1, FailureRate = 1, FailureKinds = { LlmErrorKind.ProviderUnavailable } }, "failing", _time);

        var result = await ChainOf(budget, failing, Sim("backup")).EmbedAsync(Request());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(await Spent("daily"), Is.EqualTo(result.Cost), "only the attempt that answered is charged");
        }
    }

    [Test]
    public async Task The_embedding_reservation_is_released_when_the_caller_cancels()
    {
        var budget = new CostBudget { Name = "daily", Limit = 1m };
        using var cts = new CancellationTokenSource();

        var call = ChainOf(budget, Sim("slow", TimeSpan.FromSeconds(5))).EmbedAsync(Request(), cts.Token);
        Assert.That(await Spent("daily"), Is.EqualTo(0.006m));
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await Spent("daily"), Is.Zero);
    }

    private static EmbeddingRequest Request() => new(["hello", "world"]) { Model = "embed" };

    private SimulatedProvider Sim(string name, TimeSpan latency = default) =>
        new(new SimulatedProviderOptions { Seed = 1, Latency = latency, InputPricePerMillionTokens = 1000m }, name, _time);

    private FallbackChainProvider ChainOf(CostBudget budget, params ILlmProvider[] providers)
    {
        var options = new FallbackChainOptions();
        foreach (var p in providers)
        {
            options.AddTarget(p.Name);
        }

        var budgets = new BudgetOptions();
        budgets.Budgets.Add(budget);
        var costs = new CostAccounting(new CostCalculator(Catalog), new BudgetManager(_store, budgets, _time), _tracker);
        return With("chain", options, _time, costs, providers);
    }

    private async Task<List<CostRecord>> Records()
    {
        var list = new List<CostRecord>();
        await foreach (var batch in _store.QueryAsync(CostRecordFilter.All))
        {
            list.AddRange(batch.ToArray());
        }

        return list;
    }

    private ValueTask<decimal> Spent(string budget) =>
        _store.GetSpentAsync(new BudgetPeriodKey(budget, new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero)));
}
