using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing;
using static LlmProviders.Tests.Costs.TrackerRecords;

namespace LlmProviders.Tests.Costs.Tracking;

public class CostTrackerReportTests
{
    private ManualTimeProvider _clock = null!;
    private CostTracker _tracker = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualTimeProvider(Start.AddDays(40));
        _tracker = new CostTracker(new InMemoryCostLedgerStore(timeProvider: _clock), _clock);
    }

    [Test]
    public async Task Total_sums_calls_outcomes_tokens_and_cost()
    {
        _tracker.Record(Call(cost: 0.10m, input: 1000, output: 200, cachedInput: 300, reasoning: 50));
        _tracker.Record(Call(cost: 0.05m, input: 500, output: 100, error: LlmErrorKind.RateLimited));
        _tracker.Record(Call(cost: 0m, input: 10, output: 10, fromCache: true));

        var total = (await _tracker.GetReportAsync()).Total;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(total.Calls, Is.EqualTo(3));
            Assert.That(total.Successes, Is.EqualTo(2));
            Assert.That(total.Failures, Is.EqualTo(1));
            Assert.That(total.CachedCalls, Is.EqualTo(1));
            Assert.That(total.InputTokens, Is.EqualTo(1510));
            Assert.That(total.OutputTokens, Is.EqualTo(310));
            Assert.That(total.CachedInputTokens, Is.EqualTo(300));
            Assert.That(total.ReasoningTokens, Is.EqualTo(50));
            Assert.That(total.TotalTokens, Is.EqualTo(1820));
            Assert.That(total.Cost, Is.EqualTo(0.15m));
            Assert.That(total.UnknownCostCalls, Is.Zero);
            Assert.That(total.IsCostComplete, Is.True);
        }
    }

    [Test]
    public async Task Report_groups_by_provider_and_by_model_in_ordinal_order()
    {
        _tracker.Record(Call(provider: "openai", model: "gpt-4o", cost: 1m));
        _tracker.Record(Call(provider: "azure", model: "gpt-4o", cost: 2m));
        _tracker.Record(Call(provider: "openai", model: "gpt-4o-mini", cost: 0.5m));
        _tracker.Record(Call(provider: "anthropic", model: "claude-sonnet-4-5", cost: 3m));

        var report = await _tracker.GetReportAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.ByProvider.Keys, Is.EqualTo(new[] { "anthropic", "azure", "openai" }));
            Assert.That(report.ByProvider.Values.Select(s => s.Cost), Is.EqualTo(new[] { 3m, 2m, 1.5m }));
            Assert.That(report.ByProvider["openai"].Calls, Is.EqualTo(2));
            Assert.That(report.ByModel.Keys, Is.EqualTo(new[] { "claude-sonnet-4-5", "gpt-4o", "gpt-4o-mini" }));
            Assert.That(report.ByModel["gpt-4o"].Cost, Is.EqualTo(3m));
            Assert.That(report.ByModel["gpt-4o"].Calls, Is.EqualTo(2));
            Assert.That(report.Total.Cost, Is.EqualTo(6.5m));
        }
    }

    [Test]
    public async Task Records_without_a_model_are_reported_under_unknown()
    {
        _tracker.Record(Call(model: null));

        var report = await _tracker.GetReportAsync();

        Assert.That(report.ByModel.Keys, Is.EqualTo(new[] { "(unknown)" }));
    }

    [Test]
    public async Task Equal_names_in_different_string_instances_are_one_group()
    {
        _tracker.Record(Call(provider: "openai", model: "gpt-4o"));
        _tracker.Record(Call(provider: new string("openai".AsSpan()), model: new string("gpt-4o".AsSpan())));

        var report = await _tracker.GetReportAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.ByProvider["openai"].Calls, Is.EqualTo(2));
            Assert.That(report.ByModel["gpt-4o"].Calls, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Calls_of_unknown_cost_are_counted_and_never_summed_as_zero()
    {
        _tracker.Record(Call(model: "mystery", cost: null));
        _tracker.Record(Call(model: "gpt-4o", cost: 0.25m));

        var report = await _tracker.GetReportAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Total.Cost, Is.EqualTo(0.25m));
            Assert.That(report.Total.UnknownCostCalls, Is.EqualTo(1));
            Assert.That(report.Total.IsCostComplete, Is.False);
            Assert.That(report.ByModel["mystery"].UnknownCostCalls, Is.EqualTo(1));
            Assert.That(report.ByModel["mystery"].Cost, Is.Zero);
            Assert.That(report.ByModel["mystery"].Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Report_groups_by_each_tag_key_and_value()
    {
        _tracker.Record(Call(cost: 1m, tags: new Dictionary<string, string> { ["workspace"] = "ws-1", ["user"] = "ann" }));
        _tracker.Record(Call(cost: 2m, tags: new Dictionary<string, string> { ["workspace"] = "ws-2", ["user"] = "ann" }));
        _tracker.Record(Call(cost: 4m, tags: new SortedList<string, string> { ["workspace"] = "ws-1" }));
        _tracker.Record(Call(cost: 8m));

        var byTag = (await _tracker.GetReportAsync()).ByTag;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byTag.Keys, Is.EqualTo(new[] { "user", "workspace" }));
            Assert.That(byTag["workspace"].Keys, Is.EqualTo(new[] { "ws-1", "ws-2" }));
            Assert.That(byTag["workspace"]["ws-1"].Cost, Is.EqualTo(5m));
            Assert.That(byTag["workspace"]["ws-1"].Calls, Is.EqualTo(2));
            Assert.That(byTag["workspace"]["ws-2"].Cost, Is.EqualTo(2m));
            Assert.That(byTag["user"]["ann"].Cost, Is.EqualTo(3m));
        }
    }

    [Test]
    public async Task Report_groups_by_utc_day_and_month_by_default()
    {
        _tracker.Record(Call(cost: 1m, at: new DateTimeOffset(2026, 1, 30, 23, 59, 0, TimeSpan.Zero)));
        _tracker.Record(Call(cost: 2m, at: new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero)));
        _tracker.Record(Call(cost: 4m, at: new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.FromHours(2)))); // 2026-01-31T23:00Z
        _tracker.Record(Call(cost: 8m, at: new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)));

        var report = await _tracker.GetReportAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.TimeZoneId, Is.EqualTo("UTC"));
            Assert.That(report.ByDay.Keys, Is.EqualTo(new[] { new DateOnly(2026, 1, 30), new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 1) }));
            Assert.That(report.ByDay.Values.Select(s => s.Cost), Is.EqualTo(new[] { 1m, 6m, 8m }));
            Assert.That(report.ByMonth.Keys, Is.EqualTo(new[] { new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1) }));
            Assert.That(report.ByMonth.Values.Select(s => s.Cost), Is.EqualTo(new[] { 7m, 8m }));
        }
    }

    [Test]
    public async Task Days_and_months_are_counted_in_the_configured_time_zone()
    {
        var tracker = new CostTracker(
            new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Retention = TimeSpan.FromDays(365) }, _clock),
            _clock,
            new CostTrackerOptions { TimeZoneId = "America/New_York" });

        // New York is UTC−5 in winter: 04:59Z is 23:59 the day before, 05:00Z is midnight.
        tracker.Record(Call(cost: 1m, at: new DateTimeOffset(2026, 2, 1, 4, 59, 0, TimeSpan.Zero)));
        tracker.Record(Call(cost: 2m, at: new DateTimeOffset(2026, 2, 1, 5, 0, 0, TimeSpan.Zero)));
        // Summer (UTC−4): 03:30Z on 1 July is 23:30 on 30 June.
        tracker.Record(Call(cost: 4m, at: new DateTimeOffset(2026, 7, 1, 3, 30, 0, TimeSpan.Zero)));
        tracker.Record(Call(cost: 8m, at: new DateTimeOffset(2026, 7, 1, 4, 0, 0, TimeSpan.Zero)));
        _clock.SetUtcNow(new DateTimeOffset(2026, 7, 2, 0, 0, 0, TimeSpan.Zero));

        var report = await tracker.GetReportAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.TimeZoneId, Is.EqualTo("America/New_York"));
            Assert.That(report.ByDay.Keys, Is.EqualTo(new[]
            {
                new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 1), new DateOnly(2026, 6, 30), new DateOnly(2026, 7, 1),
            }));
            Assert.That(report.ByDay.Values.Select(s => s.Cost), Is.EqualTo(new[] { 1m, 2m, 4m, 8m }));
            Assert.That(report.ByMonth.Keys, Is.EqualTo(new[]
            {
                new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1), new DateOnly(2026, 6, 1), new DateOnly(2026, 7, 1),
            }));
        }
    }

    [Test]
    public async Task Report_period_is_the_filters_or_else_the_first_and_last_records()
    {
        _tracker.Record(Call(at: Start.AddHours(5)));
        _tracker.Record(Call(at: Start.AddHours(1)));
        _tracker.Record(Call(at: Start.AddHours(3)));

        var whole = await _tracker.GetReportAsync();
        var period = await _tracker.GetReportAsync(Start.AddHours(2), Start.AddHours(4));
        var empty = await _tracker.GetReportAsync(new CostRecordFilter { ProviderName = "nobody" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That((whole.From, whole.To), Is.EqualTo((Start.AddHours(1), Start.AddHours(5))));
            Assert.That((period.From, period.To), Is.EqualTo((Start.AddHours(2), Start.AddHours(4))));
            Assert.That(period.Total.Calls, Is.EqualTo(1));
            Assert.That((empty.From, empty.To), Is.EqualTo(((DateTimeOffset?)null, (DateTimeOffset?)null)));
            Assert.That(empty.Total.Calls, Is.Zero);
            Assert.That(empty.ByDay, Is.Empty);
        }
    }

    [Test]
    public async Task Report_applies_the_filter()
    {
        _tracker.Record(Call(provider: "openai", cost: 1m, tags: new Dictionary<string, string> { ["workspace"] = "a" }));
        _tracker.Record(Call(provider: "openai", cost: 2m, tags: new Dictionary<string, string> { ["workspace"] = "b" }));
        _tracker.Record(Call(provider: "mistral", cost: 4m, tags: new Dictionary<string, string> { ["workspace"] = "a" }));

        var report = await _tracker.GetReportAsync(new CostRecordFilter { TagKey = "workspace", TagValue = "a" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Total.Cost, Is.EqualTo(5m));
            Assert.That(report.ByProvider.Keys, Is.EqualTo(new[] { "mistral", "openai" }));
        }
    }

    [Test]
    public async Task Total_cost_of_a_period_sums_the_known_costs_in_it()
    {
        _tracker.Record(Call(cost: 1m, at: Start));
        _tracker.Record(Call(cost: 2m, at: Start.AddDays(1)));
        _tracker.Record(Call(cost: null, at: Start.AddDays(1)));
        _tracker.Record(Call(cost: 4m, at: Start.AddDays(2)));

        Assert.That(await _tracker.GetTotalCostAsync(Start.AddHours(1), Start.AddDays(2)), Is.EqualTo(2m));
    }

    [Test]
    public async Task Daily_costs_cover_the_last_days_including_days_without_calls()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 1, 10, 15, 0, 0, TimeSpan.Zero));
        _tracker.Record(Call(cost: 9m, at: new DateTimeOffset(2026, 1, 7, 23, 0, 0, TimeSpan.Zero)));   // before the window
        _tracker.Record(Call(cost: 1m, at: new DateTimeOffset(2026, 1, 8, 0, 0, 0, TimeSpan.Zero)));
        _tracker.Record(Call(cost: 2m, at: new DateTimeOffset(2026, 1, 10, 14, 0, 0, TimeSpan.Zero)));
        _tracker.Record(Call(provider: "other", cost: 4m, at: new DateTimeOffset(2026, 1, 10, 14, 0, 0, TimeSpan.Zero)));

        var daily = await _tracker.GetDailyCostsAsync(3, new CostRecordFilter { ProviderName = "openai" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(daily.Keys, Is.EqualTo(new[] { new DateOnly(2026, 1, 8), new DateOnly(2026, 1, 9), new DateOnly(2026, 1, 10) }));
            Assert.That(daily.Values.Select(s => s.Cost), Is.EqualTo(new[] { 1m, 0m, 2m }));
            Assert.That(daily.Values.Select(s => s.Calls), Is.EqualTo(new[] { 1L, 0L, 1L }));
        }
    }

    [Test]
    public async Task Daily_costs_follow_the_time_zones_today()
    {
        // 02:00Z on 10 January is 21:00 on 9 January in New York: "today" there is the 9th.
        _clock.SetUtcNow(new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.Zero));
        var tracker = new CostTracker(
            new InMemoryCostLedgerStore(timeProvider: _clock), _clock, new CostTrackerOptions { TimeZoneId = "America/New_York" });
        tracker.Record(Call(cost: 1m, at: new DateTimeOffset(2026, 1, 9, 4, 0, 0, TimeSpan.Zero)));  // 23:00 on the 8th
        tracker.Record(Call(cost: 2m, at: new DateTimeOffset(2026, 1, 10, 1, 0, 0, TimeSpan.Zero))); // 20:00 on the 9th

        var daily = await tracker.GetDailyCostsAsync(2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(daily.Keys, Is.EqualTo(new[] { new DateOnly(2026, 1, 8), new DateOnly(2026, 1, 9) }));
            Assert.That(daily.Values.Select(s => s.Cost), Is.EqualTo(new[] { 1m, 2m }));
        }
    }

    [Test]
    public async Task A_windows_time_zone_id_counts_days_like_its_iana_twin()
    {
        var tracker = new CostTracker(
            new InMemoryCostLedgerStore(timeProvider: _clock), _clock, new CostTrackerOptions { TimeZoneId = "Eastern Standard Time" });
        tracker.Record(Call(at: new DateTimeOffset(2026, 2, 1, 4, 59, 0, TimeSpan.Zero)));

        var report = await tracker.GetReportAsync();

        Assert.That(report.ByDay.Keys, Is.EqualTo(new[] { new DateOnly(2026, 1, 31) }));
    }

    [Test]
    public void An_unknown_time_zone_is_refused_naming_the_option()
    {
        var store = new InMemoryCostLedgerStore();

        Assert.That(() => new CostTracker(store, options: new CostTrackerOptions { TimeZoneId = "Mars/Olympus_Mons" }),
            Throws.ArgumentException.With.Message.Contains("CostTrackerOptions.TimeZoneId").And.Message.Contains("Mars/Olympus_Mons"));
    }

    [Test]
    public async Task Record_goes_to_the_store()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: _clock);
        var tracker = new CostTracker(store, _clock);

        tracker.Record(Call());
        tracker.Record(Call());

        var report = await tracker.GetReportAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(store.TotalRecorded, Is.EqualTo(2));
            Assert.That(report.Total.Calls, Is.EqualTo(2));
        }
    }
}
