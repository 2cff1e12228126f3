using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace LlmProviders.Costs;

/// <summary>Builds <see cref="UsageStatistics"/> in one pass: per (provider, model) group a summary, the latencies (for the exact
/// nearest-rank p95, found by selection, not sorting) and the time-to-first-token sum of streamed calls.</summary>
internal sealed class UsageStatisticsBuilder
{
    private readonly KeyTable _providers = new();
    private readonly KeyTable _models = new();
    private readonly PairTable<Group> _groups = new();

    public void Add(ReadOnlySpan<CostRecord> records)
    {
        for (int i = 0; i < records.Length; i++)
        {
            ref readonly CostRecord record = ref records[i];
            var group = _groups.Get(
                _providers.GetId(record.ProviderName ?? string.Empty), _models.GetId(record.Model ?? CostReportBuilder.UnknownModel));
            group.Summary.Add(in record);
            group.Latencies.Add(record.Latency.Ticks);
            group.LatencySum += record.Latency.Ticks;
            if (record.TimeToFirstToken is { } ttft)
            {
                group.StreamedCalls++;
                group.TimeToFirstTokenSum += ttft.Ticks;
            }
        }
    }

    public List<UsageStatistics> Build()
    {
        // Group the groups by provider, both sorted ordinally.
        var byProvider = new SortedDictionary<string, SortedDictionary<string, Group>>(StringComparer.Ordinal);
        int groups = 0;
        foreach (var (providerId, modelId, group) in _groups.Entries())
        {
            string provider = _providers[providerId];
            if (!byProvider.TryGetValue(provider, out var models))
            {
                models = new SortedDictionary<string, Group>(StringComparer.Ordinal);
                byProvider.Add(provider, models);
            }

            models.Add(_models[modelId], group);
            groups++;
        }

        var result = new List<UsageStatistics>(groups + byProvider.Count);
        foreach (var provider in byProvider)
        {
            var rollUp = new Group();
            int rollUpCalls = 0;
            foreach (var group in provider.Value.Values)
            {
                rollUpCalls += group.Latencies.Count;
            }

            rollUp.Latencies.Capacity = rollUpCalls;
            foreach (var group in provider.Value.Values)
            {
                rollUp.Summary.Add(group.Summary);
                rollUp.Latencies.AddRange(group.Latencies);
                rollUp.LatencySum += group.LatencySum;
                rollUp.StreamedCalls += group.StreamedCalls;
                rollUp.TimeToFirstTokenSum += group.TimeToFirstTokenSum;
            }

            result.Add(rollUp.ToStatistics(provider.Key, null));
            foreach (var model in provider.Value)
            {
                result.Add(model.Value.ToStatistics(provider.Key, model.Key));
            }
        }

        return result;
    }

    /// <summary>The nearest-rank percentile: the ⌈p·n⌉-th smallest value (reorders <paramref name="values"/>).</summary>
    internal static long NearestRank(Span<long> values, double percentile)
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        int rank = (int)Math.Ceiling(percentile * values.Length);
        return Select(values, Math.Clamp(rank, 1, values.Length) - 1);
    }

    // Quickselect (Hoare partition, median of three): the k-th smallest value (0-based) in expected linear time.
    private static long Select(Span<long> values, int k)
    {
        int left = 0;
        int right = values.Length - 1;
        while (left < right)
        {
            int mid = left + ((right - left) >> 1);
            if (values[mid] < values[left])
            {
                (values[mid], values[left]) = (values[left], values[mid]);
            }

            if (values[right] < values[left])
            {
                (values[right], values[left]) = (values[left], values[right]);
            }

            if (values[right] < values[mid])
            {
                (values[right], values[mid]) = (values[mid], values[right]);
            }

            long pivot = values[mid];
            int i = left;
            int j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    private sealed class Group
    {
        public readonly CostSummary Summary = new();
        public readonly List<long> Latencies = [];
        public long LatencySum;
        public long StreamedCalls;
        public long TimeToFirstTokenSum;

        public UsageStatistics ToStatistics(string providerName, string? modelName)
        {
            long calls = Summary.Calls;
            var mean = calls == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(LatencySum / calls);
            var p95 = TimeSpan.FromTicks(NearestRank(CollectionsMarshal.AsSpan(Latencies), 0.95));
            TimeSpan? ttft = StreamedCalls == 0 ? null : TimeSpan.FromTicks(TimeToFirstTokenSum / StreamedCalls);
            return new UsageStatistics(providerName, modelName, Summary, mean, p95, ttft, StreamedCalls);
        }
    }
}
