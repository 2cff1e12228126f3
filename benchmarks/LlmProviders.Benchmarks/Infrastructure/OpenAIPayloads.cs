using System;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// The canned OpenAI Chat Completions responses every contender reads, generated once per process around
/// <see cref="CannedText"/>. Shapes follow the genuine captures in the wire reference (chat.json, stream_include_usage.sse):
/// an indented <c>chat.completion</c> body, and a <c>text/event-stream</c> of compact
/// <c>chat.completion.chunk</c> events (role chunk, content chunks, finish chunk, <c>choices: []</c> usage chunk, <c>[DONE]</c>).
/// </summary>
internal static class OpenAIPayloads
{
    /// <summary>The model the contenders ask for.</summary>
    public const string RequestedModel = "gpt-4o-mini";

    /// <summary>The API key the contenders send.</summary>
    public const string ApiKey = "sk-bench-0000000000000000000000000000000000000000";

    /// <summary>Number of output tokens: one content chunk per token in the stream.</summary>
    public const int CompletionTokens = CannedText.OutputTokens;

    /// <summary>Prompt tokens reported in usage.</summary>
    public const int PromptTokens = 22;

    /// <summary>Total tokens reported in usage.</summary>
    public const int TotalTokens = PromptTokens + CompletionTokens;

    /// <summary>SSE events in the stream, <c>[DONE]</c> excluded: role chunk + content chunks + finish chunk + usage chunk.</summary>
    public const int StreamEventCount = CompletionTokens + 3;

    private const string ResponseModel = "gpt-4o-mini-2024-07-18";
    private const string SystemFingerprint = "fp_373a14eb6f";
    private const long Created = 1770950778;

    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions IndentedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>Gets the usage every contender must report (input, output, total).</summary>
    public static TokenCounts ExpectedUsage { get; } = new(PromptTokens, CompletionTokens, TotalTokens);

    /// <summary>Gets the non-streaming <c>application/json</c> response body.</summary>
    public static byte[] ChatCompletionJson { get; } = BuildChatCompletion();

    /// <summary>Gets the streaming <c>text/event-stream</c> response body.</summary>
    public static byte[] ChatCompletionStream { get; } = BuildStream();

    private static byte[] BuildChatCompletion()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, IndentedOptions))
        {
            w.WriteStartObject();
            w.WriteString("id", "chatcmpl-D8dUjRkJNE7oAraZr6I7Jy8l3f2eU");
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", Created);
            w.WriteString("model", ResponseModel);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", CannedText.ExpectedText);
            w.WriteNull("refusal");
            w.WriteStartArray("annotations");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", "stop");
            w.WriteEndObject();
            w.WriteEndArray();
            WriteUsage(w);
            w.WriteString("service_tier", "default");
            w.WriteString("system_fingerprint", SystemFingerprint);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] BuildStream()
    {
        var random = new Random(20261122);
        var buffer = new ArrayBufferWriter<byte>(128 * 1024);

        WriteChunk(buffer, random, ChunkKind.Role, null);
        foreach (string token in CannedText.Tokens)
        {
            WriteChunk(buffer, random, ChunkKind.Content, token);
        }

        WriteChunk(buffer, random, ChunkKind.Finish, null);
        WriteChunk(buffer, random, ChunkKind.Usage, null);
        buffer.Write("data: [DONE]\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private enum ChunkKind
    {
        Role,
        Content,
        Finish,
        Usage,
    }

    private static void WriteChunk(ArrayBufferWriter<byte> buffer, Random random, ChunkKind kind, string? content)
    {
        buffer.Write("data: "u8);
        using (var w = new Utf8JsonWriter(buffer, CompactOptions))
        {
            w.WriteStartObject();
            w.WriteString("id", "chatcmpl-D8dUAJuyyWxWUFRdcu8FB6Vi6yfLu");
            w.WriteString("object", "chat.completion.chunk");
            w.WriteNumber("created", Created);
            w.WriteString("model", ResponseModel);
            w.WriteString("service_tier", "default");
            w.WriteString("system_fingerprint", SystemFingerprint);
            w.WriteStartArray("choices");
            if (kind != ChunkKind.Usage)
            {
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteStartObject("delta");
                switch (kind)
                {
                    case ChunkKind.Role:
                        w.WriteString("role", "assistant");
                        w.WriteString("content", string.Empty);
                        w.WriteNull("refusal");
                        break;
                    case ChunkKind.Content:
                        w.WriteString("content", content);
                        break;
                }

                w.WriteEndObject();
                w.WriteNull("logprobs");
                if (kind == ChunkKind.Finish)
                {
                    w.WriteString("finish_reason", "stop");
                }
                else
                {
                    w.WriteNull("finish_reason");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (kind == ChunkKind.Usage)
            {
                WriteUsage(w);
            }
            else
            {
                w.WriteNull("usage");
            }

            w.WriteString("obfuscation", Obfuscation(random, content));
            w.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
    }

    // The server pads every chunk with a random string so that chunk sizes don't reveal token lengths.
    private static string Obfuscation(Random random, string? content)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        int length = Math.Max(0, 12 - (content?.Length ?? 0) + random.Next(0, 4));
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return sb.ToString();
    }

    private static void WriteUsage(Utf8JsonWriter w)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", PromptTokens);
        w.WriteNumber("completion_tokens", CompletionTokens);
        w.WriteNumber("total_tokens", TotalTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("accepted_prediction_tokens", 0);
        w.WriteNumber("rejected_prediction_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
