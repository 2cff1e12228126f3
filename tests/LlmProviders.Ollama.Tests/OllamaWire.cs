using System.Collections.Generic;
using System.Globalization;
using System.Text;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.Ollama.Tests;

/// <summary>Builds Ollama wire payloads for the tests (our own content, in the shape of the documented API).</summary>
internal static class OllamaWire
{
    /// <summary>A timestamp as Ollama writes it: nine fractional digits and a local offset.</summary>
    public const string CreatedAt = "2026-01-01T10:00:00.123456789-07:00";

    /// <summary>The metrics of the conformance scenarios (42 input, 17 output tokens).</summary>
    public static readonly string ConformanceMetrics = Metrics(ProviderConformanceTests.ExpectedInputTokens, ProviderConformanceTests.ExpectedOutputTokens);

    /// <summary>Encodes a JSON string literal, keeping non-ASCII characters as raw UTF-8, as Ollama does.</summary>
    public static string Str(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>The metric fields of a <c>done</c> object (durations in ns: 2 s total, 0.5 s load, 0.1 s prompt, 0.85 s eval).</summary>
    public static string Metrics(long? prompt, long? eval) =>
        "\"total_duration\":2000000000,\"load_duration\":500000000" +
        (prompt is { } p ? $",\"prompt_eval_count\":{p}" : string.Empty) + ",\"prompt_eval_duration\":100000000" +
        (eval is { } e ? $",\"eval_count\":{e}" : string.Empty) + ",\"eval_duration\":850000000";

    /// <summary>An assistant message object.</summary>
    public static string Message(string? content, string? thinking = null, string? toolCalls = null)
    {
        var sb = new StringBuilder("{\"role\":\"assistant\",\"content\":").Append(Str(content ?? string.Empty));
        if (thinking is not null)
        {
            sb.Append(",\"thinking\":").Append(Str(thinking));
        }

        if (toolCalls is not null)
        {
            sb.Append(",\"tool_calls\":").Append(toolCalls);
        }

        return sb.Append('}').ToString();
    }

    /// <summary>A whole (<c>"stream": false</c>) chat response.</summary>
    public static string Chat(string? content, string? doneReason = "stop", string? thinking = null, string? toolCalls = null, string? metrics = null, string model = ProviderConformanceTests.ExpectedModel) =>
        $$$"""{"model":{{{Str(model)}}},"created_at":"{{{CreatedAt}}}","message":{{{Message(content, thinking, toolCalls)}}},"done_reason":{{{Str(doneReason)}}},"done":true,{{{metrics ?? ConformanceMetrics}}}}""";

    /// <summary>One streamed line that is not the last (<c>"done": false</c>).</summary>
    public static string Line(string? content, string? thinking = null, string? toolCalls = null, string model = ProviderConformanceTests.ExpectedModel) =>
        $$$"""{"model":{{{Str(model)}}},"created_at":"{{{CreatedAt}}}","message":{{{Message(content, thinking, toolCalls)}}},"done":false}""";

    /// <summary>The last streamed line (<c>"done": true</c>, empty content, the metrics).</summary>
    public static string DoneLine(string? doneReason = "stop", string? metrics = null, string model = ProviderConformanceTests.ExpectedModel) =>
        $$$"""{"model":{{{Str(model)}}},"created_at":"{{{CreatedAt}}}","message":{"role":"assistant","content":""},"done_reason":{{{Str(doneReason)}}},"done":true,{{{metrics ?? ConformanceMetrics}}}}""";

    /// <summary>A whole tool call as Ollama sends it: no id, arguments as an object.</summary>
    public static string ToolCall(string name, string argumentsJson) =>
        $$$"""{"function":{"name":{{{Str(name)}}},"arguments":{{{argumentsJson}}}}}""";

    /// <summary>The two tool calls of the conformance scenarios.</summary>
    public static string ConformanceToolCalls =>
        "[" + ToolCall(ProviderConformanceTests.WeatherToolName, ProviderConformanceTests.WeatherArguments) + "," +
        ToolCall(ProviderConformanceTests.TimeToolName, ProviderConformanceTests.TimeArguments) + "]";

    /// <summary>Ollama's error body: <c>{"error":"text"}</c>.</summary>
    public static string Error(string message) => $$$"""{"error":{{{Str(message)}}}}""";

    /// <summary>A <c>/api/tags</c> body listing the models with the documented details.</summary>
    public static string Tags(IEnumerable<string> names)
    {
        var sb = new StringBuilder("{\"models\":[");
        bool first = true;
        foreach (var name in names)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            sb.Append(CultureInfo.InvariantCulture, $$$"""{"name":{{{Str(name)}}},"model":{{{Str(name)}}},"modified_at":"2025-05-04T17:37:44.706015396-07:00","size":2019393189,"digest":"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72","details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"3.2B","quantization_level":"Q4_K_M"}}""");
        }

        return sb.Append("]}").ToString();
    }
}
