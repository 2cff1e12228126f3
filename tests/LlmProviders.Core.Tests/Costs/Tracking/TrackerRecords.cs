using System;
using System.Collections.Generic;
using LlmProviders.Costs;

namespace LlmProviders.Tests.Costs;

/// <summary>Builds cost records for the tracker and ledger-store tests.</summary>
internal static class TrackerRecords
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static CostRecord Call(
        string provider = "openai",
        string? model = "gpt-4o",
        decimal? cost = 0.01m,
        DateTimeOffset? at = null,
        long input = 100,
        long output = 50,
        long cachedInput = 0,
        long reasoning = 0,
        int latencyMs = 100,
        int? ttftMs = null,
        LlmErrorKind? error = null,
        bool fromCache = false,
        IReadOnlyDictionary<string, string>? tags = null) => new()
        {
            Timestamp = at ?? Start,
            ProviderName = provider,
            Model = model,
            InputTokens = input,
            OutputTokens = output,
            CachedInputTokens = cachedInput,
            ReasoningTokens = reasoning,
            Cost = cost,
            Latency = TimeSpan.FromMilliseconds(latencyMs),
            TimeToFirstToken = ttftMs is { } t ? TimeSpan.FromMilliseconds(t) : null,
            ErrorKind = error,
            FromCache = fromCache,
            Tags = tags,
        };

    private static readonly string[] Providers = ["p0", "p1", "p2", "p3"];
    private static readonly string[] Models = ["m0", "m1", "m2", "m3", "m4"];

    /// <summary>A record whose every field derives from <paramref name="n"/>, so a torn copy shows.</summary>
    public static CostRecord Derived(long n) => new()
    {
        Timestamp = Start.AddTicks(n),
        ProviderName = Providers[n % 4],
        Model = Models[n % 5],
        InputTokens = n,
        OutputTokens = n * 2,
        CachedInputTokens = n * 3,
        CacheWriteTokens = n * 4,
        ReasoningTokens = n * 5,
        Cost = n / 1000m,
        Latency = TimeSpan.FromTicks(n * 7),
        TimeToFirstToken = TimeSpan.FromTicks(n * 11),
    };

    /// <summary>Tells whether a record is exactly <see cref="Derived"/> of its <see cref="CostRecord.InputTokens"/>.</summary>
    public static bool IsConsistent(in CostRecord r)
    {
        long n = r.InputTokens;
        return r.Timestamp == Start.AddTicks(n)
            && ReferenceEquals(r.ProviderName, Providers[n % 4])
            && ReferenceEquals(r.Model, Models[n % 5])
            && r.OutputTokens == n * 2
            && r.CachedInputTokens == n * 3
            && r.CacheWriteTokens == n * 4
            && r.ReasoningTokens == n * 5
            && r.Cost == n / 1000m
            && r.Latency.Ticks == n * 7
            && r.TimeToFirstToken == TimeSpan.FromTicks(n * 11);
    }
}
