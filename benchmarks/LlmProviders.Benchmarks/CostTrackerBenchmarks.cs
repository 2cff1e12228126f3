using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmProviders.Costs;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P5, the cost tracker: <see cref="Record"/> from 2 threads into the default in-memory ledger (a ring of 100,000 records,
/// lapped many times per invocation), reported per record (target ≥ 5 million records/s, i.e. ≤ 200 ns per record); and
/// <see cref="Report"/> and <see cref="UsageStatistics"/> over 1,000,000 pre-filled records (4 providers, 8 models, 30 days, a
/// workspace tag; target &lt; 100 ms for the report).
/// </summary>
/// <remarks>
/// Records/s = 1 / Mean of <see cref="Record"/> (e.g. 100 ns per record = 10 million records/s). Measured 2026-12-04 on the 2-core
/// CI machine (<c>--job short</c>, load average ≈ 23 from other builds): Record 51 ns per record (median) ≈ 19 million
/// records/s from 2 threads, 0 B allocated; Report 111–122 ms wall (≈ 41 ms CPU); UsageStatistics 88–106 ms.
/// </remarks>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class CostTrackerBenchmarks
{
    private const int Threads = 2;
    private const int RecordsPerThread = 1_000_000;
    private const int ReportRecords = 1_000_000;

    private static readonly string[] Providers = ["openai", "anthropic", "gemini", "mistral"];
    private static readonly string[] Models =
    [
        "gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "claude-haiku-4-5", "gemini-2.5-pro", "gemini-2.5-flash", "mistral-large-latest",
        "mistral-small-latest",
    ];

    private readonly CostRecord[] _samples = new CostRecord[1024];
    private InMemoryCostLedgerStore _recordStore = null!;
    private CostTracker _reportTracker = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow;
        var tags = new[]
        {
            new Dictionary<string, string> { ["workspace"] = "ws-1" },
            new Dictionary<string, string> { ["workspace"] = "ws-2" },
            new Dictionary<string, string> { ["workspace"] = "ws-3" },
        };

        for (int i = 0; i < _samples.Length; i++)
        {
            _samples[i] = Sample(i, now, tags);
        }

        _recordStore = new InMemoryCostLedgerStore();

        var reportStore = new InMemoryCostLedgerStore(new InMemoryCostLedgerOptions { Capacity = ReportRecords });
        var start = now.AddDays(-30);
        long step = TimeSpan.FromDays(30).Ticks / ReportRecords;
        for (int i = 0; i < ReportRecords; i++)
        {
            var record = Sample(i, start.AddTicks(step * i), tags);
            reportStore.Record(in record);
        }

        _reportTracker = new CostTracker(reportStore);
    }

    /// <summary>Two threads each record <see cref="RecordsPerThread"/> records; the result is per record.</summary>
    [Benchmark(OperationsPerInvoke = Threads * RecordsPerThread)]
    public long Record()
    {
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            threads[t] = new Thread(RecordMany);
            threads[t].Start();
        }

        for (int t = 0; t < Threads; t++)
        {
            threads[t].Join();
        }

        return _recordStore.TotalRecorded;
    }

    /// <summary>A full cost report (total, provider, model, tag, day, month) over 1,000,000 records.</summary>
    [Benchmark]
    public async Task<decimal> Report()
    {
        var report = await _reportTracker.GetReportAsync();
        return report.Total.Cost;
    }

    /// <summary>Usage statistics (with exact p95 latencies) per provider and model over 1,000,000 records.</summary>
    [Benchmark]
    public async Task<int> UsageStatistics()
    {
        var statistics = await _reportTracker.GetUsageStatisticsAsync();
        return statistics.Count;
    }

    private static CostRecord Sample(int i, DateTimeOffset at, Dictionary<string, string>[] tags) => new()
    {
        Timestamp = at,
        ProviderName = Providers[i & 3],
        ProviderKind = Providers[i & 3],
        Model = Models[((i & 3) * 2) + ((i >> 2) & 1)],
        InputTokens = 500 + (i % 1000),
        OutputTokens = 100 + (i % 300),
        CachedInputTokens = i % 200,
        Cost = (i % 97) == 0 ? null : 0.000125m * (1 + (i % 50)),
        Latency = TimeSpan.FromMilliseconds(200 + (i % 1500)),
        TimeToFirstToken = (i & 1) == 0 ? TimeSpan.FromMilliseconds(80 + (i % 200)) : null,
        ErrorKind = (i % 50) == 0 ? LlmErrorKind.RateLimited : null,
        Tags = tags[i % tags.Length],
    };

    private void RecordMany()
    {
        var store = _recordStore;
        var samples = _samples;
        for (int i = 0; i < RecordsPerThread; i++)
        {
            store.Record(in samples[i & 1023]);
        }
    }
}
