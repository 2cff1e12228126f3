using System;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// The canned Anthropic Messages API responses every contender reads, generated once per process around
/// <see cref="CannedText"/>. Shapes follow the captures in the wire reference (fixtures/anthropic/messages.json,
/// stream_text.sse, stream_message_delta_input_tokens.sse): a compact <c>message</c> body, and a
/// <c>text/event-stream</c> in which every event has an <c>event:</c> line and a <c>data:</c> line whose JSON
/// <c>type</c> equals the event name.
/// </summary>
internal static class AnthropicPayloads
{
    /// <summary>The model the contenders ask for.</summary>
    public const string RequestedModel = "claude-haiku-4-5";

    /// <summary>The API key the contenders send (in <c>x-api-key</c>, or as a bearer token as the official SDK does).</summary>
    public const string ApiKey = "sk-ant-bench-00000000000000000000000000000000000000000000";

    /// <summary>
    /// The <c>anthropic-version</c> the floor sends, as in the wire reference. The official SDK 13.12.0 sends its own
    /// (2026-10-21); the check accepts any dated version.
    /// </summary>
    public const string Version = "2023-06-01";

    /// <summary>The Messages endpoint every contender must POST to.</summary>
    public const string MessagesUrl = "https://api.anthropic.com/v1/messages";

    /// <summary>Output tokens: one <c>content_block_delta</c> per token in the stream.</summary>
    public const int OutputTokens = CannedText.OutputTokens;

    /// <summary>Input tokens reported in usage (Anthropic's <c>input_tokens</c>, cache tokens excluded; all 0 here).</summary>
    public const int InputTokens = 21;

    /// <summary>
    /// SSE events in the stream: message_start, content_block_start, ping, the text deltas, content_block_stop,
    /// message_delta and message_stop.
    /// </summary>
    public const int StreamEventCount = OutputTokens + 6;

    // The placeholder output count that message_start carries before the real, cumulative one in message_delta.
    private const int StartOutputTokens = 1;

    private const string ResponseModel = "claude-haiku-4-5-20251001";
    private const string MessageId = "msg_01XFDUDYJgAACzvnptvVoYEL";
    private const string StreamMessageId = "msg_01QC4g3HwBThD4BaNtBckFDJ";

    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Gets the usage every contender must report. The Messages API sends no total, so every Anthropic contender
    /// reports input + output as the total (<see cref="TokenCounts.FromInputOutput"/>): the check is on input and output.
    /// </summary>
    public static TokenCounts ExpectedUsage { get; } = TokenCounts.FromInputOutput(InputTokens, OutputTokens);

    /// <summary>Gets the non-streaming <c>application/json</c> response body.</summary>
    public static byte[] MessageJson { get; } = BuildMessage();

    /// <summary>Gets the streaming <c>text/event-stream</c> response body.</summary>
    public static byte[] MessageStream { get; } = BuildStream();

    private static byte[] BuildMessage()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, CompactOptions))
        {
            w.WriteStartObject();
            w.WriteString("model", ResponseModel);
            w.WriteString("id", MessageId);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteString("text", CannedText.ExpectedText);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("stop_reason", "end_turn");
            w.WriteNull("stop_sequence");
            WriteFullUsage(w, OutputTokens);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] BuildStream()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);

        WriteEvent(buffer, "message_start", static w =>
        {
            w.WriteStartObject("message");
            w.WriteString("model", ResponseModel);
            w.WriteString("id", StreamMessageId);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            WriteFullUsage(w, StartOutputTokens);
            w.WriteEndObject();
        });

        WriteEvent(buffer, "content_block_start", static w =>
        {
            w.WriteNumber("index", 0);
            w.WriteStartObject("content_block");
            w.WriteString("type", "text");
            w.WriteString("text", string.Empty);
            w.WriteEndObject();
        });

        WriteEvent(buffer, "ping", static _ => { });

        foreach (string token in CannedText.Tokens)
        {
            WriteEvent(buffer, "content_block_delta", w =>
            {
                w.WriteNumber("index", 0);
                w.WriteStartObject("delta");
                w.WriteString("type", "text_delta");
                w.WriteString("text", token);
                w.WriteEndObject();
            });
        }

        WriteEvent(buffer, "content_block_stop", static w => w.WriteNumber("index", 0));

        // Newer responses repeat the input and cache counts here; output_tokens is the cumulative, final count.
        WriteEvent(buffer, "message_delta", static w =>
        {
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", "end_turn");
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", InputTokens);
            w.WriteNumber("cache_creation_input_tokens", 0);
            w.WriteNumber("cache_read_input_tokens", 0);
            w.WriteNumber("output_tokens", OutputTokens);
            w.WriteEndObject();
        });

        WriteEvent(buffer, "message_stop", static _ => { });
        return buffer.WrittenSpan.ToArray();
    }

    // event: <name>\ndata: {"type":"<name>", …}\n\n
    private static void WriteEvent(ArrayBufferWriter<byte> buffer, string name, Action<Utf8JsonWriter> writeFields)
    {
        buffer.Write("event: "u8);
        buffer.Write(System.Text.Encoding.UTF8.GetBytes(name));
        buffer.Write("\ndata: "u8);
        using (var w = new Utf8JsonWriter(buffer, CompactOptions))
        {
            w.WriteStartObject();
            w.WriteString("type", name);
            writeFields(w);
            w.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
    }

    private static void WriteFullUsage(Utf8JsonWriter w, int outputTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", InputTokens);
        w.WriteNumber("cache_creation_input_tokens", 0);
        w.WriteNumber("cache_read_input_tokens", 0);
        w.WriteStartObject("cache_creation");
        w.WriteNumber("ephemeral_5m_input_tokens", 0);
        w.WriteNumber("ephemeral_1h_input_tokens", 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", outputTokens);
        w.WriteString("service_tier", "standard");
        w.WriteString("inference_geo", "not_available");
        w.WriteEndObject();
    }
}
