using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace LlmProviders.Costs;

/// <summary>
/// A cost report over the records a filter selects (SPEC C3): the total, and the same summary by provider, by model, by tag, by day
/// and by month. Every dimension is sorted (ordinal for strings, chronological for dates), so output is stable.
/// </summary>
/// <remarks>
/// Days and months are calendar days and months in the tracker's time zone (<see cref="CostTrackerOptions.TimeZoneId"/>). A month
/// is keyed by its first day. Costs are lower bounds where <see cref="CostSummary.UnknownCostCalls"/> is above zero.
/// </remarks>
public sealed class CostReport
{
    private static readonly string[] CsvHeader =
    [
        "dimension", "key", "calls", "successes", "failures", "input_tokens", "output_tokens", "cached_input_tokens",
        "reasoning_tokens", "cost_usd", "unknown_cost_calls",
    ];

    internal CostReport(
        DateTimeOffset? from,
        DateTimeOffset? to,
        string timeZoneId,
        CostSummary total,
        IReadOnlyDictionary<string, CostSummary> byProvider,
        IReadOnlyDictionary<string, CostSummary> byModel,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, CostSummary>> byTag,
        IReadOnlyDictionary<DateOnly, CostSummary> byDay,
        IReadOnlyDictionary<DateOnly, CostSummary> byMonth)
    {
        From = from;
        To = to;
        TimeZoneId = timeZoneId;
        Total = total;
        ByProvider = byProvider;
        ByModel = byModel;
        ByTag = byTag;
        ByDay = byDay;
        ByMonth = byMonth;
    }

    /// <summary>Gets the start of the report: the filter's <see cref="CostRecordFilter.From"/>, else the first record's time;
    /// <see langword="null"/> when neither exists.</summary>
    public DateTimeOffset? From { get; }

    /// <summary>Gets the end of the report: the filter's <see cref="CostRecordFilter.To"/> (exclusive), else the last record's time;
    /// <see langword="null"/> when neither exists.</summary>
    public DateTimeOffset? To { get; }

    /// <summary>Gets the time zone days and months are counted in.</summary>
    public string TimeZoneId { get; }

    /// <summary>Gets the summary of every record in the report.</summary>
    public CostSummary Total { get; }

    /// <summary>Gets the summaries by provider registration name (ordinal).</summary>
    public IReadOnlyDictionary<string, CostSummary> ByProvider { get; }

    /// <summary>Gets the summaries by model (ordinal; records without a model under <c>(unknown)</c>), across providers.</summary>
    public IReadOnlyDictionary<string, CostSummary> ByModel { get; }

    /// <summary>Gets the summaries by tag key, then tag value (ordinal). A record counts once under each of its tags.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, CostSummary>> ByTag { get; }

    /// <summary>Gets the summaries by calendar day in <see cref="TimeZoneId"/> (days without records are absent).</summary>
    public IReadOnlyDictionary<DateOnly, CostSummary> ByDay { get; }

    /// <summary>Gets the summaries by calendar month in <see cref="TimeZoneId"/>, keyed by the month's first day.</summary>
    public IReadOnlyDictionary<DateOnly, CostSummary> ByMonth { get; }

    /// <summary>Writes the report as JSON: <c>from</c>, <c>to</c>, <c>timeZone</c>, <c>total</c>, then <c>byProvider</c>,
    /// <c>byModel</c>, <c>byTag</c> (key → value → summary), <c>byDay</c> (<c>yyyy-MM-dd</c>) and <c>byMonth</c> (<c>yyyy-MM</c>) objects.
    /// Costs are exact decimal numbers (<c>costUsd</c>).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteJson(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the report as UTF-8 JSON (see <see cref="ToJson"/>).</summary>
    /// <param name="stream">The stream written to.</param>
    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream);
        WriteJson(writer);
    }

    /// <summary>Writes the report as UTF-8 JSON (see <see cref="ToJson"/>).</summary>
    /// <param name="output">The buffer written to.</param>
    public void WriteJson(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output);
        WriteJson(writer);
    }

    /// <summary>Writes the report as CSV (RFC 4180, invariant culture): a header, then one row per summary with the columns
    /// <c>dimension,key,calls,successes,failures,input_tokens,output_tokens,cached_input_tokens,reasoning_tokens,cost_usd,unknown_cost_calls</c>.
    /// Dimensions: <c>total</c> (key <c>all</c>), <c>provider</c>, <c>model</c>, <c>tag:</c><em>key</em> (key = the tag value),
    /// <c>day</c> (<c>yyyy-MM-dd</c>), <c>month</c> (<c>yyyy-MM</c>).</summary>
    /// <returns>The CSV text.</returns>
    public string ToCsv()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer);
        return writer.ToString();
    }

    /// <summary>Writes the report as CSV (see <see cref="ToCsv"/>).</summary>
    /// <param name="writer">The writer written to.</param>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CsvFormat.WriteRow(writer, CsvHeader);
        WriteCsvRow(writer, "total", "all", Total);
        foreach (var pair in ByProvider)
        {
            WriteCsvRow(writer, "provider", pair.Key, pair.Value);
        }

        foreach (var pair in ByModel)
        {
            WriteCsvRow(writer, "model", pair.Key, pair.Value);
        }

        foreach (var tag in ByTag)
        {
            string dimension = "tag:" + tag.Key;
            foreach (var pair in tag.Value)
            {
                WriteCsvRow(writer, dimension, pair.Key, pair.Value);
            }
        }

        foreach (var pair in ByDay)
        {
            WriteCsvRow(writer, "day", FormatDay(pair.Key), pair.Value);
        }

        foreach (var pair in ByMonth)
        {
            WriteCsvRow(writer, "month", FormatMonth(pair.Key), pair.Value);
        }
    }

    internal static string FormatDay(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string FormatMonth(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static void WriteCsvRow(TextWriter writer, string dimension, string key, CostSummary summary)
    {
        CsvFormat.WriteField(writer, dimension);
        writer.Write(',');
        CsvFormat.WriteField(writer, key);
        CsvFormat.WriteNumber(writer, summary.Calls);
        CsvFormat.WriteNumber(writer, summary.Successes);
        CsvFormat.WriteNumber(writer, summary.Failures);
        CsvFormat.WriteNumber(writer, summary.InputTokens);
        CsvFormat.WriteNumber(writer, summary.OutputTokens);
        CsvFormat.WriteNumber(writer, summary.CachedInputTokens);
        CsvFormat.WriteNumber(writer, summary.ReasoningTokens);
        writer.Write(',');
        writer.Write(summary.Cost.ToString(CultureInfo.InvariantCulture));
        CsvFormat.WriteNumber(writer, summary.UnknownCostCalls);
        writer.Write(CsvFormat.LineEnd);
    }

    private void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (From is { } from)
        {
            writer.WriteString("from", from);
        }
        else
        {
            writer.WriteNull("from");
        }

        if (To is { } to)
        {
            writer.WriteString("to", to);
        }
        else
        {
            writer.WriteNull("to");
        }

        writer.WriteString("timeZone", TimeZoneId);
        writer.WritePropertyName("total");
        WriteJson(writer, Total);
        WriteJson(writer, "byProvider", ByProvider);
        WriteJson(writer, "byModel", ByModel);
        writer.WriteStartObject("byTag");
        foreach (var tag in ByTag)
        {
            WriteJson(writer, tag.Key, tag.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("byDay");
        foreach (var pair in ByDay)
        {
            writer.WritePropertyName(FormatDay(pair.Key));
            WriteJson(writer, pair.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("byMonth");
        foreach (var pair in ByMonth)
        {
            writer.WritePropertyName(FormatMonth(pair.Key));
            WriteJson(writer, pair.Value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteJson(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, CostSummary> summaries)
    {
        writer.WriteStartObject(name);
        foreach (var pair in summaries)
        {
            writer.WritePropertyName(pair.Key);
            WriteJson(writer, pair.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteJson(Utf8JsonWriter writer, CostSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteNumber("calls", summary.Calls);
        writer.WriteNumber("successes", summary.Successes);
        writer.WriteNumber("failures", summary.Failures);
        writer.WriteNumber("cachedCalls", summary.CachedCalls);
        writer.WriteNumber("inputTokens", summary.InputTokens);
        writer.WriteNumber("outputTokens", summary.OutputTokens);
        writer.WriteNumber("cachedInputTokens", summary.CachedInputTokens);
        writer.WriteNumber("cacheWriteTokens", summary.CacheWriteTokens);
        writer.WriteNumber("reasoningTokens", summary.ReasoningTokens);
        writer.WriteNumber("totalTokens", summary.TotalTokens);
        writer.WriteNumber("costUsd", summary.Cost);
        writer.WriteNumber("unknownCostCalls", summary.UnknownCostCalls);
        writer.WriteEndObject();
    }
}

/// <summary>RFC 4180 CSV writing: invariant culture, CRLF line ends, fields with commas, quotes or line breaks quoted.</summary>
internal static class CsvFormat
{
    public const string LineEnd = "\r\n";

    public static void WriteRow(TextWriter writer, string[] fields)
    {
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            WriteField(writer, fields[i]);
        }

        writer.Write(LineEnd);
    }

    public static void WriteField(TextWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>Writes a comma, then the number.</summary>
    public static void WriteNumber(TextWriter writer, long value)
    {
        writer.Write(',');
        writer.Write(value.ToString(CultureInfo.InvariantCulture));
    }
}
