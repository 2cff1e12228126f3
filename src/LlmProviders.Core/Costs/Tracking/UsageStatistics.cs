using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace LlmProviders.Costs;

/// <summary>
/// Usage statistics of one provider and model, or of one provider across its models (SPEC C3): calls, outcomes, tokens, cost and
/// latency.
/// </summary>
/// <remarks>
/// <para><see cref="CostTracker.GetUsageStatisticsAsync"/> returns, for each provider, first its roll-up (<see cref="Model"/>
/// <see langword="null"/>, <see cref="IsProviderTotal"/> <see langword="true"/>) and then one entry per model (records without a model
/// under <c>(unknown)</c>), sorted ordinally.</para>
/// <para><see cref="P95Latency"/> is the exact nearest-rank 95th percentile: the ⌈0.95·n⌉-th smallest latency of the n calls.
/// <see cref="Cost"/> sums the known costs only: a lower bound when <see cref="UnknownCostCalls"/> is above zero.</para>
/// </remarks>
public sealed class UsageStatistics
{
    private static readonly string[] CsvHeader =
    [
        "provider", "model", "calls", "successes", "failures", "success_rate", "input_tokens", "output_tokens", "cached_input_tokens",
        "reasoning_tokens", "total_tokens", "cost_usd", "unknown_cost_calls", "mean_latency_ms", "p95_latency_ms",
        "mean_time_to_first_token_ms",
    ];

    internal UsageStatistics(string providerName, string? model, CostSummary summary, TimeSpan meanLatency, TimeSpan p95Latency, TimeSpan? meanTimeToFirstToken, long streamedCalls)
    {
        ProviderName = providerName;
        Model = model;
        Calls = summary.Calls;
        Successes = summary.Successes;
        InputTokens = summary.InputTokens;
        OutputTokens = summary.OutputTokens;
        CachedInputTokens = summary.CachedInputTokens;
        CacheWriteTokens = summary.CacheWriteTokens;
        ReasoningTokens = summary.ReasoningTokens;
        Cost = summary.Cost;
        UnknownCostCalls = summary.UnknownCostCalls;
        MeanLatency = meanLatency;
        P95Latency = p95Latency;
        MeanTimeToFirstToken = meanTimeToFirstToken;
        StreamedCalls = streamedCalls;
    }

    /// <summary>Gets the provider's registration name.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the model, or <see langword="null"/> for the provider's roll-up across its models.</summary>
    public string? Model { get; }

    /// <summary>Gets a value indicating whether this is the provider's roll-up across its models.</summary>
    public bool IsProviderTotal => Model is null;

    /// <summary>Gets the number of calls (attempts).</summary>
    public long Calls { get; }

    /// <summary>Gets the number of calls that succeeded.</summary>
    public long Successes { get; }

    /// <summary>Gets the number of calls that failed.</summary>
    public long Failures => Calls - Successes;

    /// <summary>Gets the share of calls that succeeded, from 0 to 1 (0 without calls).</summary>
    public double SuccessRate => Calls == 0 ? 0d : (double)Successes / Calls;

    /// <summary>Gets the input tokens, cached reads and cache writes included.</summary>
    public long InputTokens { get; }

    /// <summary>Gets the output tokens, reasoning included.</summary>
    public long OutputTokens { get; }

    /// <summary>Gets the input tokens read from the prompt cache.</summary>
    public long CachedInputTokens { get; }

    /// <summary>Gets the input tokens written to the prompt cache.</summary>
    public long CacheWriteTokens { get; }

    /// <summary>Gets the reasoning tokens.</summary>
    public long ReasoningTokens { get; }

    /// <summary>Gets the input and output tokens together.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Gets the sum of the known costs, in USD: a lower bound when <see cref="UnknownCostCalls"/> is above zero.</summary>
    public decimal Cost { get; }

    /// <summary>Gets the number of calls whose cost is unknown (not included in <see cref="Cost"/>).</summary>
    public long UnknownCostCalls { get; }

    /// <summary>Gets the mean wall time of the calls.</summary>
    public TimeSpan MeanLatency { get; }

    /// <summary>Gets the nearest-rank 95th percentile of the calls' wall time.</summary>
    public TimeSpan P95Latency { get; }

    /// <summary>Gets the number of streamed calls (calls with a time to first token).</summary>
    public long StreamedCalls { get; }

    /// <summary>Gets the mean time to the first token of the streamed calls, or <see langword="null"/> when none streamed.</summary>
    public TimeSpan? MeanTimeToFirstToken { get; }

    /// <summary>Writes statistics as CSV (RFC 4180, invariant culture): a header, then one row each with the columns
    /// <c>provider,model,calls,successes,failures,success_rate,input_tokens,output_tokens,cached_input_tokens,reasoning_tokens,total_tokens,cost_usd,unknown_cost_calls,mean_latency_ms,p95_latency_ms,mean_time_to_first_token_ms</c>;
    /// a provider's roll-up has an empty model.</summary>
    /// <param name="statistics">The statistics.</param>
    /// <returns>The CSV text.</returns>
    public static string ToCsv(IEnumerable<UsageStatistics> statistics)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(statistics, writer);
        return writer.ToString();
    }

    /// <summary>Writes statistics as CSV (see <see cref="ToCsv"/>).</summary>
    /// <param name="statistics">The statistics.</param>
    /// <param name="writer">The writer written to.</param>
    public static void WriteCsv(IEnumerable<UsageStatistics> statistics, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(writer);
        CsvFormat.WriteRow(writer, CsvHeader);
        foreach (var s in statistics)
        {
            CsvFormat.WriteField(writer, s.ProviderName);
            writer.Write(',');
            CsvFormat.WriteField(writer, s.Model);
            CsvFormat.WriteNumber(writer, s.Calls);
            CsvFormat.WriteNumber(writer, s.Successes);
            CsvFormat.WriteNumber(writer, s.Failures);
            writer.Write(',');
            writer.Write(s.SuccessRate.ToString("R", CultureInfo.InvariantCulture));
            CsvFormat.WriteNumber(writer, s.InputTokens);
            CsvFormat.WriteNumber(writer, s.OutputTokens);
            CsvFormat.WriteNumber(writer, s.CachedInputTokens);
            CsvFormat.WriteNumber(writer, s.ReasoningTokens);
            CsvFormat.WriteNumber(writer, s.TotalTokens);
            writer.Write(',');
            writer.Write(s.Cost.ToString(CultureInfo.InvariantCulture));
            CsvFormat.WriteNumber(writer, s.UnknownCostCalls);
            writer.Write(',');
            writer.Write(Milliseconds(s.MeanLatency));
            writer.Write(',');
            writer.Write(Milliseconds(s.P95Latency));
            writer.Write(',');
            if (s.MeanTimeToFirstToken is { } ttft)
            {
                writer.Write(Milliseconds(ttft));
            }

            writer.Write(CsvFormat.LineEnd);
        }
    }

    /// <summary>Writes statistics as a JSON array of objects (<c>provider</c>, <c>model</c> — <see langword="null"/> for a roll-up —,
    /// <c>calls</c>, <c>successes</c>, <c>failures</c>, <c>successRate</c>, token counts, <c>costUsd</c> as an exact decimal,
    /// <c>unknownCostCalls</c>, <c>meanLatencyMs</c>, <c>p95LatencyMs</c>, <c>streamedCalls</c>, <c>meanTimeToFirstTokenMs</c>).</summary>
    /// <param name="statistics">The statistics.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(IEnumerable<UsageStatistics> statistics)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteJson(statistics, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes statistics as UTF-8 JSON (see <see cref="ToJson"/>).</summary>
    /// <param name="statistics">The statistics.</param>
    /// <param name="stream">The stream written to.</param>
    public static void WriteJson(IEnumerable<UsageStatistics> statistics, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream);
        WriteJson(statistics, writer);
    }

    /// <summary>Writes statistics as UTF-8 JSON (see <see cref="ToJson"/>).</summary>
    /// <param name="statistics">The statistics.</param>
    /// <param name="output">The buffer written to.</param>
    public static void WriteJson(IEnumerable<UsageStatistics> statistics, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output);
        WriteJson(statistics, writer);
    }

    private static void WriteJson(IEnumerable<UsageStatistics> statistics, Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var s in statistics)
        {
            writer.WriteStartObject();
            writer.WriteString("provider", s.ProviderName);
            if (s.Model is null)
            {
                writer.WriteNull("model");
            }
            else
            {
                writer.WriteString("model", s.Model);
            }

            writer.WriteNumber("calls", s.Calls);
            writer.WriteNumber("successes", s.Successes);
            writer.WriteNumber("failures", s.Failures);
            writer.WriteNumber("successRate", s.SuccessRate);
            writer.WriteNumber("inputTokens", s.InputTokens);
            writer.WriteNumber("outputTokens", s.OutputTokens);
            writer.WriteNumber("cachedInputTokens", s.CachedInputTokens);
            writer.WriteNumber("cacheWriteTokens", s.CacheWriteTokens);
            writer.WriteNumber("reasoningTokens", s.ReasoningTokens);
            writer.WriteNumber("totalTokens", s.TotalTokens);
            writer.WriteNumber("costUsd", s.Cost);
            writer.WriteNumber("unknownCostCalls", s.UnknownCostCalls);
            writer.WriteNumber("meanLatencyMs", s.MeanLatency.TotalMilliseconds);
            writer.WriteNumber("p95LatencyMs", s.P95Latency.TotalMilliseconds);
            writer.WriteNumber("streamedCalls", s.StreamedCalls);
            if (s.MeanTimeToFirstToken is { } ttft)
            {
                writer.WriteNumber("meanTimeToFirstTokenMs", ttft.TotalMilliseconds);
            }
            else
            {
                writer.WriteNull("meanTimeToFirstTokenMs");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
    }

    private static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture);
}
