using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;

namespace LlmProviders.Benchmarks;

/// <summary>
/// The columns the SPEC's P targets are read from: Mean, Error, Ratio (time vs the floor), Allocated and
/// Alloc Ratio (bytes vs the floor). Defines no job, so the command line chooses it (<c>--job short</c>,
/// <c>--quick</c>) and the default job applies otherwise.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        HideColumns(StatisticColumn.StdDev, StatisticColumn.Median, BaselineRatioColumn.RatioStdDev);
        WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
    }
}
