using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.Anthropic.Tests;

/// <summary>Builds Anthropic wire payloads for the tests (our own content, in the shape of the recorded API).</summary>
internal static class AnthropicWire
{
    /// <summary>The usage of the conformance scenarios: 30 uncached + 8 cache reads + 4 cache writes = 42 input; 17 output of which 5 thinking.</summary>
    public static readonly string ConformanceStartUsage = Usage(30, 8, 4, 1);

    /// <summary>The cumulative usage of the conformance stream's <c>message_delta</c>.</summary>
    public static readonly string ConformanceDeltaUsage = """{"output_tokens":17,"output_tokens_details":{"thinking_tokens":5}}""";

    /// <summary>The usage of a conformance message body.</summary>
    public static readonly string ConformanceUsage = Usage(30, 8, 4, 17, thinking: 5);

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

    public static string Usage(long input, long cacheRead, long cacheWrite, long output, long? thinking = null) =>
        $$$"""{"input_tokens":{{{input}}},"cache_creation_input_tokens":{{{cacheWrite}}},"cache_read_input_tokens":{{{cacheRead}}},"cache_creation":{"ephemeral_5m_input_tokens":{{{cacheWrite}}},"ephemeral_1h_input_tokens":0},"output_tokens":{{{output}}}{{{(thinking is { } t ? $",\"output_tokens_details\":{{\"thinking_tokens\":{t}}}" : string.Empty)}}},"service_tier":"standard","inference_geo":"not_available"}""";

    public static string TextBlock(string text) => $$$"""{"type":"text","text":{{{Str(text)}}}}""";

    public static string ToolUseBlock(string id, string name, string input) => $$$"""{"type":"tool_use","id":{{{Str(id)}}},"name":{{{Str(name)}}},"input":{{{input}}}}""";

    public static string ThinkingBlock(string thinking, string signature) => $$$"""{"type":"thinking","thinking":{{{Str(thinking)}}},"signature":{{{Str(signature)}}}}""";

    /// <summary>A Messages response body.</summary>
    public static string Message(
        string blocks,
        string? stopReason = "end_turn",
        string? usage = null,
        string id = ProviderConformanceTests.ExpectedResponseId,
        string model = ProviderConformanceTests.ExpectedModel,
        string extra = "") =>
        $$$"""{"model":{{{Str(model)}}},"id":{{{Str(id)}}},"type":"message","role":"assistant","content":[{{{blocks}}}],"stop_reason":{{{Str(stopReason)}}},"stop_sequence":null{{{extra}}},"usage":{{{usage ?? ConformanceUsage}}}}""";

    public static string TextMessage(string text, string? stopReason = "end_turn", string? usage = null) => Message(TextBlock(text), stopReason, usage);

    public static string ConformanceToolBlocks =>
        ToolUseBlock(ProviderConformanceTests.WeatherCallId, ProviderConformanceTests.WeatherToolName, ProviderConformanceTests.WeatherArguments) + "," +
        ToolUseBlock(ProviderConformanceTests.TimeCallId, ProviderConformanceTests.TimeToolName, ProviderConformanceTests.TimeArguments);

    // ---- SSE events -------------------------------------------------------------------------------------------

    public static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";

    public static string MessageStart(string? usage = null, string id = ProviderConformanceTests.ExpectedResponseId, string model = ProviderConformanceTests.ExpectedModel) =>
        Event("message_start", $$$"""{"type":"message_start","message":{"model":{{{Str(model)}}},"id":{{{Str(id)}}},"type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{{{usage ?? ConformanceStartUsage}}}}}""");

    public static string BlockStart(int index, string block) => Event("content_block_start", $$$"""{"type":"content_block_start","index":{{{index}}},"content_block":{{{block}}}}""");

    public static string TextStart(int index) => BlockStart(index, """{"type":"text","text":""}""");

    public static string ToolStart(int index, string id, string name) => BlockStart(index, $$$"""{"type":"tool_use","id":{{{Str(id)}}},"name":{{{Str(name)}}},"input":{}}""");

    public static string Delta(int index, string delta) => Event("content_block_delta", $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{{{delta}}}}""");

    public static string TextDelta(int index, string text) => Delta(index, $$$"""{"type":"text_delta","text":{{{Str(text)}}}}""");

    public static string ThinkingDelta(int index, string text) => Delta(index, $$$"""{"type":"thinking_delta","thinking":{{{Str(text)}}}}""");

    public static string SignatureDelta(int index, string signature) => Delta(index, $$$"""{"type":"signature_delta","signature":{{{Str(signature)}}}}""");

    public static string JsonDelta(int index, string partial) => Delta(index, $$$"""{"type":"input_json_delta","partial_json":{{{Str(partial)}}}}""");

    public static string BlockStop(int index) => Event("content_block_stop", $$$"""{"type":"content_block_stop","index":{{{index}}}}""");

    public static string MessageDelta(string? stopReason, string? usage = null, string deltaExtra = "") =>
        Event("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":{{{Str(stopReason)}}},"stop_sequence":null{{{deltaExtra}}}},"usage":{{{usage ?? ConformanceDeltaUsage}}}}""");

    public static string MessageStop() => Event("message_stop", """{"type":"message_stop"}""");

    public static string Ping() => Event("ping", """{"type": "ping"}""");

    public static string ErrorEvent(string type, string message) => Event("error", $$$"""{"type":"error","error":{"details":null,"type":{{{Str(type)}}},"message":{{{Str(message)}}}}}""");

    /// <summary>A whole text stream: start, one delta per item, stop, message_delta, message_stop.</summary>
    public static string TextStream(IEnumerable<string> deltas, string stopReason = "end_turn", string? startUsage = null, string? deltaUsage = null) =>
        MessageStart(startUsage) + TextStart(0) + Ping() + string.Concat(deltas.Select(d => TextDelta(0, d))) + BlockStop(0) +
        MessageDelta(stopReason, deltaUsage) + MessageStop();

    // ---- Errors and models --------------------------------------------------------------------------------------

    public static string Error(string type, string message, string requestId = "req_011CConformance") =>
        $$$"""{"type":"error","error":{"type":{{{Str(type)}}},"message":{{{Str(message)}}}},"request_id":{{{Str(requestId)}}}}""";

    public static string Models(bool hasMore, params string[] ids)
    {
        var data = string.Join(",", ids.Select(id => $$$"""{"type":"model","id":{{{Str(id)}}},"display_name":{{{Str("Display " + id)}}},"created_at":"2025-09-29T00:00:00Z"}"""));
        return $$$"""{"data":[{{{data}}}],"has_more":{{{(hasMore ? "true" : "false")}}},"first_id":{{{Str(ids.FirstOrDefault())}}},"last_id":{{{Str(ids.LastOrDefault())}}}}""";
    }
}
