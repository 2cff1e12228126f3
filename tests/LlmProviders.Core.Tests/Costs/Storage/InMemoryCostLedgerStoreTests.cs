using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing;
using static LlmProviders.Tests.Costs.TrackerRecords;

namespace LlmProviders.Tests.Costs.Storage;

public class InMemoryCostLedgerStoreTests
{
    [TestCase(5, 12)]
    [TestCase(5000, 12_000)]
    [TestCase(4096, 4096 * 3 + 1)]
    public async Task A_full_ring_keeps_the_newest_Capacity_records_oldest_first(int capacity, int recorded)
    {
        var store = new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Capacity = capacity }, new ManualTimeProvider(Start));
        for (int i = 0; i < recorded; i++)
        {
            store.Record(Call(input: i));
        }

        var inputs = (await ReadAll(store)).Select(r => r.InputTokens).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inputs, Is.EqualTo(Enumerable.Range(recorded - capacity, capacity).Select(i => (long)i)));
            Assert.That(store.Count, Is.EqualTo(capacity));
            Assert.That(store.TotalRecorded, Is.EqualTo(recorded));
        }
    }

    [Test]
    public async Task A_store_not_yet_full_returns_every_record_and_counts_them()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: new ManualTimeProvider(Start));
        store.Record(Call(provider: "a"));
        store.Record(Call(provider: "b"));

        var records = await ReadAll(store);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Select(r => r.ProviderName), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(store.Count, Is.EqualTo(2));
            Assert.That(store.TotalRecorded, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Records_older_than_the_retention_are_not_returned()
    {
        var clock = new ManualTimeProvider(Start);
        var store = new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Retention = TimeSpan.FromDays(1) }, clock);
        store.Record(Call(provider: "old", at: Start));
        clock.Advance(TimeSpan.FromHours(20));
        store.Record(Call(provider: "recent", at: clock.GetUtcNow()));

        var beforeExpiry = await ReadAll(store);
        clock.Advance(TimeSpan.FromHours(5));
        var afterExpiry = await ReadAll(store);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeExpiry.Select(r => r.ProviderName), Is.EqualTo(new[] { "old", "recent" }));
            Assert.That(afterExpiry.Select(r => r.ProviderName), Is.EqualTo(new[] { "recent" }));
        }
    }

    [Test]
    public async Task Query_returns_only_the_records_the_filter_selects()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: new ManualTimeProvider(Start.AddDays(3)));
        store.Record(Call(provider: "openai", at: Start));
        store.Record(Call(provider: "anthropic", at: Start.AddHours(1)));
        store.Record(Call(provider: "OpenAI", at: Start.AddDays(1)));
        store.Record(Call(provider: "openai", at: Start.AddDays(2), tags: new Dictionary<string, string> { ["team"] = "x" }));

        var records = await ReadAll(store, new CostRecordFilter { ProviderName = "openai", From = Start.AddMinutes(1) });

        Assert.That(records.Select(r => r.Timestamp), Is.EqualTo(new[] { Start.AddDays(1), Start.AddDays(2) }));
    }

    [Test]
    public async Task Records_come_in_batches_of_at_most_4096()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: new ManualTimeProvider(Start));
        for (int i = 0; i < 10_000; i++)
        {
            store.Record(Call(input: i));
        }

        var sizes = new List<int>();
        long expected = 0;
        bool inOrder = true;
        await foreach (var batch in store.QueryAsync(CostRecordFilter.All))
        {
            sizes.Add(batch.Length);
            foreach (var record in batch.ToArray())
            {
                inOrder &= record.InputTokens == expected++;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sizes, Is.EqualTo(new[] { 4096, 4096, 1808 }));
            Assert.That(inOrder, Is.True);
        }
    }

    [Test]
    public async Task A_query_stopped_early_can_be_followed_by_another()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: new ManualTimeProvider(Start));
        for (int i = 0; i < 9000; i++)
        {
            store.Record(Call(input: i));
        }

        await foreach (var batch in store.QueryAsync(CostRecordFilter.All))
        {
            Assert.That(batch.Length, Is.EqualTo(4096));
            break;
        }

        Assert.That(await ReadAll(store), Has.Count.EqualTo(9000));
    }

    [Test]
    public void A_cancelled_query_throws()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: new ManualTimeProvider(Start));
        store.Record(Call());
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.That(async () => await ReadAll(store, CostRecordFilter.All, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Concurrent_records_from_several_threads_are_all_kept_and_counted_exactly()
    {
        const int Threads = 4;
        const int PerThread = 25_000;
        var store = new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Capacity = Threads * PerThread }, new ManualTimeProvider(Start));

        RunInParallel(Threads, t =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                store.Record(Derived((t * PerThread) + i));
            }
        });

        var records = await ReadAll(store);
        var tracker = new CostTracker(store, new ManualTimeProvider(Start));
        var report = await tracker.GetReportAsync();
        const long N = Threads * PerThread;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(store.TotalRecorded, Is.EqualTo(N));
            Assert.That(records.Select(r => r.InputTokens).Order(), Is.EqualTo(Enumerable.Range(0, (int)N).Select(i => (long)i)));
            Assert.That(records.All(r => IsConsistent(r)), Is.True);
            Assert.That(report.Total.Calls, Is.EqualTo(N));
            Assert.That(report.Total.InputTokens, Is.EqualTo(N * (N - 1) / 2));
            Assert.That(report.Total.Cost, Is.EqualTo(N * (N - 1) / 2 / 1000m));
        }
    }

    [Test]
    public void A_reader_concurrent_with_writers_never_returns_a_torn_record()
    {
        // A small ring that writers lap constantly: every slot is overwritten while readers copy it.
        var store = new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Capacity = 64 }, new ManualTimeProvider(Start));
        const int Writers = 2;
        const int PerWriter = 1_000_000;
        int writersDone = 0;
        long torn = 0;
        long read = 0;

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                store.Record(Derived((w * PerWriter) + i));
            }

            Interlocked.Increment(ref writersDone);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        var reader = Task.Factory.StartNew(async () =>
        {
            do
            {
                await foreach (var batch in store.QueryAsync(CostRecordFilter.All))
                {
                    for (int i = 0; i < batch.Length; i++)
                    {
                        read++;
                        if (!IsConsistent(batch.Span[i]))
                        {
                            torn++;
                        }
                    }
                }
            }
            while (Volatile.Read(ref writersDone) < Writers);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        Task.WaitAll([.. writers, reader]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(torn, Is.Zero);
            Assert.That(read, Is.GreaterThan(0));
            Assert.That(store.TotalRecorded, Is.EqualTo(Writers * PerWriter));
        }
    }

    [Test]
    public async Task Reserve_settle_and_spent_go_to_the_budget_period()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: new ManualTimeProvider(Start));
        var day = new BudgetPeriodKey("daily", Start);
        var otherDay = new BudgetPeriodKey("daily", Start.AddDays(1));

        var first = await store.TryReserveAsync(day, 3m, 5m);
        var second = await store.TryReserveAsync(day, 3m, 5m);
        var afterSettle = await store.SettleAsync(day, 3m, 1.25m);
        var third = await store.TryReserveAsync(day, 3m, 5m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo(new BudgetReserveOutcome(true, 3m)));
            Assert.That(second, Is.EqualTo(new BudgetReserveOutcome(false, 3m)));
            Assert.That(afterSettle, Is.EqualTo(1.25m));
            Assert.That(third, Is.EqualTo(new BudgetReserveOutcome(true, 4.25m)));
            Assert.That(await store.GetSpentAsync(day), Is.EqualTo(4.25m));
            Assert.That(await store.GetSpentAsync(otherDay), Is.Zero);
        }
    }

    [Test]
    public async Task Concurrent_reserves_never_take_the_spend_past_the_limit()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: new ManualTimeProvider(Start));
        var key = new BudgetPeriodKey("global", DateTimeOffset.MinValue);
        int reserved = 0;

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            if ((await store.TryReserveAsync(key, 0.01m, 1.00m)).Reserved)
            {
                Interlocked.Increment(ref reserved);
            }
        })));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reserved, Is.EqualTo(100));
            Assert.That(await store.GetSpentAsync(key), Is.EqualTo(1.00m));
        }
    }

    [Test]
    public async Task Budget_periods_older_than_the_retention_are_forgotten()
    {
        var clock = new ManualTimeProvider(Start);
        var store = new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Retention = TimeSpan.FromDays(31) }, clock);
        var january = new BudgetPeriodKey("monthly", Start);
        var global = new BudgetPeriodKey("global", DateTimeOffset.MinValue);
        await store.TryReserveAsync(january, 2m, 10m);
        await store.TryReserveAsync(global, 2m, 10m);

        clock.Advance(TimeSpan.FromDays(40));
        var march = new BudgetPeriodKey("monthly", Start.AddMonths(2));
        await store.TryReserveAsync(march, 1m, 10m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await store.GetSpentAsync(january), Is.Zero);
            Assert.That(await store.GetSpentAsync(global), Is.EqualTo(2m));
            Assert.That(await store.GetSpentAsync(march), Is.EqualTo(1m));
            Assert.That(store.BudgetPeriodCount, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_short_retention_never_resets_a_running_monthly_period()
    {
        var clock = new ManualTimeProvider(Start);
        var store = new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Retention = TimeSpan.FromDays(1) }, clock);
        var january = new BudgetPeriodKey("monthly", Start);
        await store.TryReserveAsync(january, 2m, 10m);

        clock.Advance(TimeSpan.FromDays(30));
        var outcome = await store.TryReserveAsync(january, 1m, 10m);

        Assert.That(outcome, Is.EqualTo(new BudgetReserveOutcome(true, 3m)));
    }

    [Test]
    public void Budget_operations_complete_synchronously()
    {
        var store = new InMemoryCostLedgerStore(timeProvider: new ManualTimeProvider(Start));
        var key = new BudgetPeriodKey("b", Start);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CompletedSynchronously(store.TryReserveAsync(key, 1m, 2m)), Is.True);
            Assert.That(CompletedSynchronously(store.SettleAsync(key, 1m, 0.5m)), Is.True);
            Assert.That(CompletedSynchronously(store.GetSpentAsync(key)), Is.True);
        }
    }

    [Test]
    public void Invalid_options_are_refused()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Capacity = 0 }),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Capacity"));
            Assert.That(() => new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Retention = TimeSpan.Zero }),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Retention"));
        }
    }

    internal static void RunInParallel(int threads, Action<int> body)
    {
        var tasks = Enumerable.Range(0, threads)
            .Select(t => Task.Factory.StartNew(() => body(t), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        Task.WaitAll(tasks);
    }

    private static bool CompletedSynchronously<T>(ValueTask<T> task)
    {
        bool completed = task.IsCompletedSuccessfully;
        _ = task.AsTask().GetAwaiter().GetResult();
        return completed;
    }

    private static async Task<List<CostRecord>> ReadAll(InMemoryCostLedgerStore store, CostRecordFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var records = new List<CostRecord>();
        await foreach (var batch in store.QueryAsync(filter ?? CostRecordFilter.All, cancellationToken))
        {
            records.AddRange(batch.ToArray());
        }

        return records;
    }
}
