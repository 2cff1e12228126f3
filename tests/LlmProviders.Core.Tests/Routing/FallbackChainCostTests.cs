using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Routing;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.ChainTestKit;

namespace LlmProviders.Tests.Routing;

/// <summary>The chain's budgets (reserve before, settle after, Block and Reroute) and cost records, with the real cost components.</summary>
public class FallbackChainCostTests
{
    // Worst case of a request with MaxOutputTokens = 10 at $100 per million output tokens: exactly $0.001, what ScriptedProvider charges.
    private static readonly ModelCatalog Catalog = new(
    [
        new ModelCatalogEntry { Provider = "scripted", Id = "m", Price = new ModelPrice { Input = 0m, Output = 100m }, ContextWindow = 100_000 },
        new ModelCatalogEntry { Provider = "scripted", Id = "small", Price = new ModelPrice { Input = 0m, Output = 100m }, ContextWindow = 50 },
        new ModelCatalogEntry { Provider = "scripted", Id = "slow", Price = new ModelPrice { Input = 0m, Output = 100m }, TypicalLatency = TimeSpan.FromSeconds(5) },
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
    public async Task Every_attempt_is_recorded_with_route_outcome_cost_and_a_copy_of_the_tags()
    {
        var primary = new ScriptedProvider("primary").ThenFail(Unavailable("primary"));
        var backup = new ScriptedProvider("backup");
        var tags = new Dictionary<string, string> { ["workspace"] = "ws-1" };

        await ChainOf(null, primary, backup).ChatAsync(new ChatRequest("hi") { Model = "m", Tags = tags });
        tags["workspace"] = "changed later";
        var records = await Records();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Select(r => (r.ProviderName, r.ErrorKind, r.Cost, r.Route)),
                Is.EqualTo(new[] { ("primary", (LlmErrorKind?)LlmErrorKind.ProviderUnavailable, (decimal?)0m, "chain"), ("backup", null, 0.001m, "chain") }));
            Assert.That(records[1].Tags!["workspace"], Is.EqualTo("ws-1"));
            Assert.That(records[1].InputTokens, Is.EqualTo(1));
            Assert.That(records[1].ProviderKind, Is.EqualTo("scripted"));
        }
    }

    [Test]
    public async Task A_stream_is_recorded_once_at_its_final_update()
    {
        var primary = new ScriptedProvider("primary");

        await Collect(ChainOf(null, primary).StreamAsync(new ChatRequest("hi") { Model = "m" }));
        var records = await Records();

        Assert.That(records, Has.Count.EqualTo(1));
        Assert.That(records[0].TimeToFirstToken, Is.Not.Null);
        Assert.That(records[0].Cost, Is.EqualTo(0.001m));
    }

    [Test]
    public async Task A_stream_the_caller_stops_reading_early_is_recorded_as_cancelled_and_its_reservation_released()
    {
        var budget = new CostBudget { Name = "daily", Limit = 1m };
        var primary = new ScriptedProvider("primary");
        var chain = ChainOf(budget, primary);

        await foreach (var update in chain.StreamAsync(new ChatRequest("hi") { Model = "m", MaxOutputTokens = 10 }))
        {
            break;
        }

        var records = await Records();
        Assert.That(records.Single().ErrorKind, Is.EqualTo(LlmErrorKind.Cancelled));
        Assert.That(await Spent("daily"), Is.Zero);
    }

    [Test]
    public void A_blocking_budget_refuses_the_call_before_any_provider_is_called()
    {
        var budget = new CostBudget { Name = "tiny", Limit = 0.0001m };
        var primary = new ScriptedProvider("primary");

        var thrown = Assert.ThrowsAsync<BudgetExceededException>(() => ChainOf(budget, primary).ChatAsync(Request()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown!.BudgetName, Is.EqualTo("tiny"));
            Assert.That(thrown.Limit, Is.EqualTo(0.0001m));
            Assert.That(thrown.Spent, Is.Zero);
            Assert.That(primary.Calls, Is.Zero);
        }
    }

    [Test]
    public async Task A_rerouting_budget_skips_the_targets_that_do_not_fit_and_says_so_in_the_trace()
    {
        var budget = new CostBudget { Name = "primary-cap", Limit = 0.0001m, ProviderName = "primary", OnExceeded = BudgetLimitAction.Reroute };
        var primary = new ScriptedProvider("primary");
        var backup = new ScriptedProvider("backup");

        var result = await ChainOf(budget, primary, backup).ChatAsync(Request());
        var skipped = result.Trace!.Candidates.Single(c => c.ProviderName == "primary");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(primary.Calls, Is.Zero);
            Assert.That(skipped.SkipReason, Is.EqualTo(CandidateSkipReason.OverBudget));
            Assert.That(skipped.Detail, Does.Contain("primary-cap"));
        }
    }

    [Test]
    public void When_no_target_fits_a_rerouting_budget_the_call_is_refused_with_BudgetExceeded()
    {
        var budget = new CostBudget { Name = "all", Limit = 0.0001m, OnExceeded = BudgetLimitAction.Reroute };

        var thrown = Assert.ThrowsAsync<BudgetExceededException>(() => ChainOf(budget, new ScriptedProvider("a"), new ScriptedProvider("b")).ChatAsync(Request()));

        Assert.That(thrown!.BudgetName, Is.EqualTo("all"));
    }

    [Test]
    public async Task The_reservation_is_released_when_the_caller_cancels()
    {
        var budget = new CostBudget { Name = "daily", Limit = 1m };
        var slow = new ScriptedProvider("slow") { WaitForCancellation = true };
        using var cts = new CancellationTokenSource();

        var call = ChainOf(budget, slow).ChatAsync(Request(), cts.Token);
        await slow.Waiting.Task;
        Assert.That(await Spent("daily"), Is.EqualTo(0.001m), "the worst case is reserved while the call runs");
        await cts.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await Spent("daily"), Is.Zero);
        Assert.That((await Records()).Single().ErrorKind, Is.EqualTo(LlmErrorKind.Cancelled));
    }

    [Test]
    public async Task A_thousand_concurrent_calls_against_a_budget_that_fits_a_hundred_never_overspend()
    {
        var budget = new CostBudget { Name = "daily", Limit = 0.1m };
        var chain = ChainOf(budget, new ScriptedProvider("primary"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            try
            {
                await chain.ChatAsync(Request());
                return true;
            }
            catch (BudgetExceededException)
            {
                return false;
            }
        })));
        var report = await _tracker.GetReportAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes.Count(ok => ok), Is.EqualTo(100));
            Assert.That(await Spent("daily"), Is.EqualTo(0.1m));
            Assert.That(report.Total.Calls, Is.EqualTo(100));
            Assert.That(report.Total.Cost, Is.EqualTo(0.1m));
        }
    }

    [Test]
    public async Task A_nested_chain_records_its_attempts_once()
    {
        var leaf = new ScriptedProvider("leaf");
        var costs = new CostAccounting(new CostCalculator(Catalog), null, _tracker);
        var inner = With("inner", new FallbackChainOptions().AddTarget("leaf"), _time, costs, leaf);
        var outer = With("outer", new FallbackChainOptions().AddTarget("inner"), _time, costs, inner);

        await outer.ChatAsync(Request());

        Assert.That((await Records()).Select(r => (r.ProviderName, r.Route)), Is.EqualTo(new[] { ("leaf", "inner") }));
    }

    [Test]
    public async Task Context_window_max_latency_and_pinning_filter_before_every_attempt()
    {
        var small = new ScriptedProvider("small");
        var slow = new ScriptedProvider("slow");
        var ok = new ScriptedProvider("ok");
        var options = new FallbackChainOptions { MaxLatency = TimeSpan.FromSeconds(1) };
        options.AddTarget("small", "small").AddTarget("slow", "slow").AddTarget("ok", "m");
        var chain = With("chain", options, _time, new CostAccounting(new CostCalculator(Catalog), null, _tracker), small, slow, ok);

        var result = await chain.ChatAsync(new ChatRequest(new string('x', 400)) { MaxOutputTokens = 10 });
        var reasons = result.Trace!.Candidates.Where(c => c.WasSkipped).ToDictionary(c => c.ProviderName, c => c.SkipReason);
        var pinned = await chain.ChatAsync(new ChatRequest("hi") { PinnedProvider = "ok", MaxOutputTokens = 10 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("ok"));
            Assert.That(reasons["small"], Is.EqualTo(CandidateSkipReason.ContextTooSmall));
            Assert.That(reasons["slow"], Is.EqualTo(CandidateSkipReason.TooSlow));
            Assert.That(pinned.ProviderName, Is.EqualTo("ok"));
            Assert.That(pinned.Trace!.Candidates.Count(c => c.SkipReason == CandidateSkipReason.NotPinned), Is.EqualTo(2));
        }
    }

    [Test]
    public void A_request_MaxCost_skips_targets_whose_worst_case_is_above_it_or_unknown()
    {
        var known = new ScriptedProvider("known");
        var options = new FallbackChainOptions().AddTarget("known", "m").AddTarget("unknown", "mystery");
        var unknown = new ScriptedProvider("unknown");
        var chain = With("chain", options, _time, new CostAccounting(new CostCalculator(Catalog), null, _tracker), known, unknown);

        var thrown = Assert.ThrowsAsync<NoProviderAvailableException>(() => chain.ChatAsync(new ChatRequest("hi") { MaxCost = 0.0005m, MaxOutputTokens = 10 }));
        var details = thrown!.Trace!.Candidates.Select(c => (c.SkipReason, c.Detail)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(details.All(d => d.SkipReason == CandidateSkipReason.OverBudget), Is.True);
            Assert.That(details[0].Detail, Does.Contain("0.001").And.Contain("MaxCost"));
            Assert.That(details[1].Detail, Does.Contain("unknown"));
            Assert.That(known.Calls + unknown.Calls, Is.Zero);
        }
    }

    [Test]
    public async Task Context_length_exceeded_fails_over_only_to_a_larger_window()
    {
        var small = new ScriptedProvider("small").ThenFail(new ContextLengthExceededException("too long") { ProviderName = "small" });
        var sameSize = new ScriptedProvider("same");
        var large = new ScriptedProvider("large");
        var options = new FallbackChainOptions().AddTarget("small", "small").AddTarget("same", "small").AddTarget("large", "m");
        var chain = With("chain", options, _time, new CostAccounting(new CostCalculator(Catalog), null, _tracker), small, sameSize, large);

        var result = await chain.ChatAsync(new ChatRequest("hi"));

        Assert.That(result.ProviderName, Is.EqualTo("large"));
        Assert.That(sameSize.Calls, Is.Zero);
        Assert.That(result.Trace!.Candidates.Single(c => c.ProviderName == "same").SkipReason, Is.EqualTo(CandidateSkipReason.ContextTooSmall));
    }

    [Test]
    public async Task Embeddings_through_the_chain_are_recorded_with_their_cost()
    {
        var simulated = new LlmProviders.Simulation.SimulatedProvider(new LlmProviders.Simulation.SimulatedProviderOptions { Seed = 1, Latency = TimeSpan.Zero }, "sim", _time);
        var costs = new CostAccounting(new CostCalculator(Catalog), null, _tracker);
        var chain = With("chain", new FallbackChainOptions().AddTarget("sim"), _time, costs, simulated);

        var result = await chain.EmbedAsync(new EmbeddingRequest(["hello", "world"]));
        var record = (await Records()).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.ProviderName, Is.EqualTo("sim"));
            Assert.That(record.Route, Is.EqualTo("chain"));
            Assert.That(record.Cost, Is.EqualTo(result.Cost));
            Assert.That(record.InputTokens, Is.EqualTo(result.Usage!.InputTokenCount));
        }
    }

    private static ChatRequest Request() => new("hi") { Model = "m", MaxOutputTokens = 10 };

    private FallbackChainProvider ChainOf(CostBudget? budget, params ScriptedProvider[] providers)
    {
        var options = new FallbackChainOptions();
        foreach (var p in providers)
        {
            options.AddTarget(p.Name);
        }

        var budgets = new BudgetOptions();
        if (budget is not null)
        {
            budgets.Budgets.Add(budget);
        }

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
