using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing;
using static LlmProviders.Tests.Costs.TrackerRecords;

namespace LlmProviders.Tests.Costs.Tracking;

public class CostExportTests
{
    private const string TrickyTag = "acme, \"west\"\r\nteam";

    private ManualTimeProvider _clock = null!;
    private CostTracker _tracker = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualTimeProvider(Start.AddDays(10));
        _tracker = new CostTracker(new InMemoryCostLedgerStore(timeProvider: _clock), _clock);
        _tracker.Record(Call(provider: "openai", model: "gpt-4o", cost: 0.000000123456789m, input: 1200, output: 300, cachedInput: 200,
            reasoning: 40, at: Start.AddHours(3), latencyMs: 250, ttftMs: 80, tags: new Dictionary<string, string> { ["workspace"] = TrickyTag }));
        _tracker.Record(Call(provider: "anthropic", model: "claude-haiku-4-5", cost: 1.5m, at: Start.AddDays(2), error: LlmErrorKind.Overloaded,
            tags: new Dictionary<string, string> { ["workspace"] = "plain" }));
        _tracker.Record(Call(provider: "openai", model: null, cost: null, at: Start.AddDays(2).AddHours(1), fromCache: true));
    }

    [Test]
    public async Task Report_json_parses_back_with_every_dimension_and_exact_costs()
    {
        var report = await _tracker.GetReportAsync();

        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("from").GetDateTimeOffset(), Is.EqualTo(Start.AddHours(3)));
            Assert.That(root.GetProperty("to").GetDateTimeOffset(), Is.EqualTo(Start.AddDays(2).AddHours(1)));
            Assert.That(root.GetProperty("timeZone").GetString(), Is.EqualTo("UTC"));
            var total = root.GetProperty("total");
            Assert.That(total.GetProperty("calls").GetInt64(), Is.EqualTo(3));
            Assert.That(total.GetProperty("failures").GetInt64(), Is.EqualTo(1));
            Assert.That(total.GetProperty("cachedCalls").GetInt64(), Is.EqualTo(1));
            Assert.That(total.GetProperty("costUsd").GetDecimal(), Is.EqualTo(1.500000123456789m));
            Assert.That(total.GetProperty("unknownCostCalls").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("byProvider").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "anthropic", "openai" }));
            Assert.That(root.GetProperty("byModel").EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "(unknown)", "claude-haiku-4-5", "gpt-4o" }));
            Assert.That(root.GetProperty("byModel").GetProperty("gpt-4o").GetProperty("costUsd").GetDecimal(), Is.EqualTo(0.000000123456789m));
            Assert.That(root.GetProperty("byTag").GetProperty("workspace").EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { TrickyTag, "plain" }));
            Assert.That(root.GetProperty("byDay").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "2026-01-01", "2026-01-03" }));
            Assert.That(root.GetProperty("byMonth").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "2026-01" }));
            Assert.That(root.GetProperty("byMonth").GetProperty("2026-01").GetProperty("totalTokens").GetInt64(), Is.EqualTo(1800));
        }
    }

    [Test]
    public async Task Report_json_written_to_a_stream_or_a_buffer_is_the_same_text()
    {
        var report = await _tracker.GetReportAsync();
        using var stream = new MemoryStream();
        var buffer = new ArrayBufferWriter<byte>();

        report.WriteJson(stream);
        report.WriteJson(buffer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo(report.ToJson()));
            Assert.That(Encoding.UTF8.GetString(buffer.WrittenSpan), Is.EqualTo(report.ToJson()));
        }
    }

    [Test]
    public async Task Report_csv_has_one_row_per_summary_and_quotes_keys_with_commas_quotes_or_line_breaks()
    {
        var report = await _tracker.GetReportAsync();

        string csv = report.ToCsv();
        var rows = ParseCsv(csv);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(csv, Does.Contain("\"acme, \"\"west\"\"\r\nteam\""));
            Assert.That(rows[0], Is.EqualTo(new[]
            {
                "dimension", "key", "calls", "successes", "failures", "input_tokens", "output_tokens", "cached_input_tokens",
                "reasoning_tokens", "cost_usd", "unknown_cost_calls",
            }));
            Assert.That(rows.Skip(1).Select(r => (r[0], r[1])), Is.EqualTo(new[]
            {
                ("total", "all"),
                ("provider", "anthropic"), ("provider", "openai"),
                ("model", "(unknown)"), ("model", "claude-haiku-4-5"), ("model", "gpt-4o"),
                ("tag:workspace", TrickyTag), ("tag:workspace", "plain"),
                ("day", "2026-01-01"), ("day", "2026-01-03"),
                ("month", "2026-01"),
            }));
            Assert.That(rows.Skip(1).All(r => r.Length == 11), Is.True);
            Assert.That(rows[1], Is.EqualTo(new[] { "total", "all", "3", "2", "1", "1400", "400", "200", "40", "1.500000123456789", "1" }));
            var tricky = rows.Single(r => r[1] == TrickyTag);
            Assert.That(decimal.Parse(tricky[9], CultureInfo.InvariantCulture), Is.EqualTo(0.000000123456789m));
        }
    }

    [Test]
    public async Task Report_csv_uses_the_invariant_culture_whatever_the_current_one()
    {
        var report = await _tracker.GetReportAsync();
        var previous = CultureInfo.CurrentCulture;
        string csv;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            csv = report.ToCsv();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.That(ParseCsv(csv)[1][9], Is.EqualTo("1.500000123456789"));
    }

    [Test]
    public async Task Report_csv_written_to_a_text_writer_is_the_same_text()
    {
        var report = await _tracker.GetReportAsync();
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        report.WriteCsv(writer);

        Assert.That(writer.ToString(), Is.EqualTo(report.ToCsv()));
    }

    [Test]
    public async Task Usage_statistics_csv_parses_back()
    {
        var stats = await _tracker.GetUsageStatisticsAsync();

        var rows = ParseCsv(UsageStatistics.ToCsv(stats));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows[0], Is.EqualTo(new[]
            {
                "provider", "model", "calls", "successes", "failures", "success_rate", "input_tokens", "output_tokens",
                "cached_input_tokens", "reasoning_tokens", "total_tokens", "cost_usd", "unknown_cost_calls", "mean_latency_ms",
                "p95_latency_ms", "mean_time_to_first_token_ms",
            }));
            Assert.That(rows.Skip(1).Select(r => (r[0], r[1])), Is.EqualTo(new[]
            {
                ("anthropic", ""), ("anthropic", "claude-haiku-4-5"), ("openai", ""), ("openai", "(unknown)"), ("openai", "gpt-4o"),
            }));
            var gpt4o = rows[5];
            Assert.That(gpt4o, Is.EqualTo(new[]
            {
                "openai", "gpt-4o", "1", "1", "0", "1", "1200", "300", "200", "40", "1500", "0.000000123456789", "0", "250", "250", "80",
            }));
            Assert.That(rows[1][5], Is.EqualTo("0"));
            Assert.That(rows[1][15], Is.Empty);
        }
    }

    [Test]
    public async Task Usage_statistics_json_parses_back()
    {
        var stats = await _tracker.GetUsageStatisticsAsync();

        using var json = JsonDocument.Parse(UsageStatistics.ToJson(stats));
        var items = json.RootElement.EnumerateArray().ToList();
        using var stream = new MemoryStream();
        UsageStatistics.WriteJson(stats, stream);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(items, Has.Count.EqualTo(5));
            Assert.That(items[2].GetProperty("provider").GetString(), Is.EqualTo("openai"));
            Assert.That(items[2].GetProperty("model").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(items[2].GetProperty("calls").GetInt64(), Is.EqualTo(2));
            Assert.That(items[2].GetProperty("unknownCostCalls").GetInt64(), Is.EqualTo(1));
            Assert.That(items[4].GetProperty("costUsd").GetDecimal(), Is.EqualTo(0.000000123456789m));
            Assert.That(items[4].GetProperty("p95LatencyMs").GetDouble(), Is.EqualTo(250));
            Assert.That(items[4].GetProperty("meanTimeToFirstTokenMs").GetDouble(), Is.EqualTo(80));
            Assert.That(items[1].GetProperty("successRate").GetDouble(), Is.Zero);
            Assert.That(Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo(UsageStatistics.ToJson(stats)));
        }
    }

    /// <summary>A strict RFC 4180 reader: CRLF row ends, quoted fields with doubled quotes and embedded line breaks.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }

                continue;
            }

            if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i += 2;
            }
            else
            {
                field.Append(c);
                i++;
            }
        }

        Assert.That(row, Is.Empty, "the CSV ends with CRLF");
        return rows;
    }
}
