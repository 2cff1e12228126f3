using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing;
using static LlmProviders.Tests.Costs.TrackerRecords;

namespace LlmProviders.Tests.Costs.Tracking;

public class UsageStatisticsTests
{
    private ManualTimeProvider _clock = null!;
    private CostTracker _tracker = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualTimeProvider(Start.AddDays(1));
        _tracker = new CostTracker(new InMemoryCostLedgerStore(timeProvider: _clock), _clock);
    }

    [Test]
    public async Task Statistics_are_per_provider_and_model_with_a_roll_up_first_for_each_provider()
    {
        _tracker.Record(Call(provider: "openai", model: "gpt-4o-mini", cost: 0.1m));
        _tracker.Record(Call(provider: "openai", model: "gpt-4o", cost: 1m));
        _tracker.Record(Call(provider: "anthropic", model: "claude-haiku-4-5", cost: 0.2m));
        _tracker.Record(Call(provider: "openai", model: "gpt-4o", cost: 2m, error: LlmErrorKind.Timeout));

        var stats = await _tracker.GetUsageStatisticsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stats.Select(s => (s.ProviderName, s.Model)), Is.EqualTo(new (string, string?)[]
            {
                ("anthropic", null), ("anthropic", "claude-haiku-4-5"), ("openai", null), ("openai", "gpt-4o"), ("openai", "gpt-4o-mini"),
            }));
            Assert.That(stats.Select(s => s.IsProviderTotal), Is.EqualTo(new[] { true, false, true, false, false }));
            var openai = stats[2];
            Assert.That((openai.Calls, openai.Successes, openai.Failures, openai.Cost), Is.EqualTo((3L, 2L, 1L, 3.1m)));
            var gpt4o = stats[3];
            Assert.That((gpt4o.Calls, gpt4o.Successes, gpt4o.Failures, gpt4o.Cost), Is.EqualTo((2L, 1L, 1L, 3m)));
            Assert.That(gpt4o.SuccessRate, Is.EqualTo(0.5));
            Assert.That(stats[1].SuccessRate, Is.EqualTo(1.0));
        }
    }

    [Test]
    public async Task Tokens_and_cost_are_summed_and_unknown_costs_counted()
    {
        _tracker.Record(Call(cost: 0.5m, input: 1000, output: 300, cachedInput: 400, reasoning: 100));
        _tracker.Record(Call(cost: null, input: 10, output: 20));

        var model = (await _tracker.GetUsageStatisticsAsync())[1];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.InputTokens, Is.EqualTo(1010));
            Assert.That(model.OutputTokens, Is.EqualTo(320));
            Assert.That(model.CachedInputTokens, Is.EqualTo(400));
            Assert.That(model.ReasoningTokens, Is.EqualTo(100));
            Assert.That(model.TotalTokens, Is.EqualTo(1330));
            Assert.That(model.Cost, Is.EqualTo(0.5m));
            Assert.That(model.UnknownCostCalls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task P95_latency_is_the_nearest_rank_of_the_latencies()
    {
        // Latencies 1..100 ms, recorded shuffled: the 95th smallest is 95 ms, the mean 50.5 ms.
        var random = new Random(7);
        foreach (int ms in Enumerable.Range(1, 100).OrderBy(_ => random.Next()))
        {
            _tracker.Record(Call(latencyMs: ms));
        }

        // 20 calls of another model: ⌈0.95·20⌉ = 19th smallest.
        foreach (int ms in Enumerable.Range(1, 20).Reverse())
        {
            _tracker.Record(Call(model: "small", latencyMs: ms * 10));
        }

        var stats = await _tracker.GetUsageStatisticsAsync();
        var gpt4o = stats.Single(s => s.Model == "gpt-4o");
        var small = stats.Single(s => s.Model == "small");
        var provider = stats.Single(s => s.IsProviderTotal);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(gpt4o.P95Latency, Is.EqualTo(TimeSpan.FromMilliseconds(95)));
            Assert.That(gpt4o.MeanLatency, Is.EqualTo(TimeSpan.FromMilliseconds(50.5)));
            Assert.That(small.P95Latency, Is.EqualTo(TimeSpan.FromMilliseconds(190)));
            // The roll-up's p95 is over all 120 calls: the 114th smallest of 1..100 ∪ {10, 20, …, 200} is 140 ms.
            Assert.That(provider.P95Latency, Is.EqualTo(TimeSpan.FromMilliseconds(140)));
        }
    }

    [Test]
    public async Task A_single_call_and_ties_give_a_p95_that_is_one_of_the_latencies()
    {
        _tracker.Record(Call(model: "one", latencyMs: 42));
        for (int i = 0; i < 50; i++)
        {
            _tracker.Record(Call(model: "ties", latencyMs: i < 48 ? 7 : 9));
        }

        var stats = await _tracker.GetUsageStatisticsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stats.Single(s => s.Model == "one").P95Latency, Is.EqualTo(TimeSpan.FromMilliseconds(42)));
            Assert.That(stats.Single(s => s.Model == "ties").P95Latency, Is.EqualTo(TimeSpan.FromMilliseconds(7)));
        }
    }

    [Test]
    public void Nearest_rank_selection_matches_sorting_on_random_data()
    {
        var random = new Random(11);
        for (int round = 0; round < 200; round++)
        {
            long[] values = Enumerable.Range(0, random.Next(1, 300)).Select(_ => (long)random.Next(0, 50)).ToArray();
            long[] sorted = values.Order().ToArray();
            long expected = sorted[(int)Math.Ceiling(0.95 * values.Length) - 1];

            Assert.That(UsageStatisticsBuilder.NearestRank(values, 0.95), Is.EqualTo(expected), $"round {round}");
        }
    }

    [Test]
    public async Task Mean_time_to_first_token_counts_streamed_calls_only()
    {
        _tracker.Record(Call(model: "m", ttftMs: 100));
        _tracker.Record(Call(model: "m", ttftMs: 300));
        _tracker.Record(Call(model: "m"));
        _tracker.Record(Call(model: "plain"));

        var stats = await _tracker.GetUsageStatisticsAsync();
        var streamed = stats.Single(s => s.Model == "m");
        var plain = stats.Single(s => s.Model == "plain");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(streamed.MeanTimeToFirstToken, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(streamed.StreamedCalls, Is.EqualTo(2));
            Assert.That(plain.MeanTimeToFirstToken, Is.Null);
        }
    }

    [Test]
    public async Task Statistics_apply_the_filter()
    {
        _tracker.Record(Call(provider: "openai"));
        _tracker.Record(Call(provider: "mistral", model: "mistral-large-latest"));

        var stats = await _tracker.GetUsageStatisticsAsync(new CostRecordFilter { ProviderName = "mistral" });

        Assert.That(stats.Select(s => (s.ProviderName, s.Model)),
            Is.EqualTo(new (string, string?)[] { ("mistral", null), ("mistral", "mistral-large-latest") }));
    }

    [Test]
    public async Task No_records_give_no_statistics()
    {
        Assert.That(await _tracker.GetUsageStatisticsAsync(), Is.Empty);
    }
}
