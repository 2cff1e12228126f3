using System;
using System.Buffers;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Caching;

/// <summary>
/// The exact-match key of a request: SHA-256 over a canonical JSON rendering of everything that changes the answer — messages
/// (role, author, text, reasoning, tool calls and results, data and URI contents), model, route, pinned provider, sampling
/// parameters, stop sequences, seed, penalties, tools, tool mode, parallel tool calls, response format, reasoning effort and the
/// additional request fields — and nothing that does not (tags, priority, cache mode, max cost, max latency, allow-fallback,
/// stream-interruption policy, routing strategy).
/// </summary>
/// <remarks>The rendering goes to a per-thread buffer; the only allocation that stays is the 64-character key.</remarks>
internal static class ResponseCacheKey
{
    // Bumped whenever the rendering changes, so that entries of an older layout are never read as hits.
    private const int Version = 1;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Computes the key of a request on a route.</summary>
    /// <param name="request">The request.</param>
    /// <param name="route">The route (chain) that serves it.</param>
    /// <param name="stream"><see langword="true"/> for a streamed call (streams and results are cached apart).</param>
    /// <returns>The key (64 hexadecimal characters), or <see langword="null"/> when the request holds content that cannot be rendered (then it is not cached).</returns>
    public static string? Compute(ChatRequest request, string route, bool stream)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            writer.Reset(buffer);
        }

        try
        {
            Write(writer, request, route, stream);
            writer.Flush();
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
        {
            writer.Reset();
            return null;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        if (buffer.Capacity > 64 * 1024)
        {
            // One large request must not pin a large buffer to the thread for good.
            t_buffer = null;
            t_writer = null;
        }

        return Convert.ToHexStringLower(hash);
    }

    private static void Write(Utf8JsonWriter w, ChatRequest r, string route, bool stream)
    {
        w.WriteStartObject();
        w.WriteNumber("v"u8, Version);
        w.WriteBoolean("stream"u8, stream);
        w.WriteString("route"u8, route);
        WriteIf(w, "pinned"u8, r.PinnedProvider);
        WriteIf(w, "model"u8, r.Model);
        if (r.Temperature is { } temperature)
        {
            w.WriteNumber("temperature"u8, temperature);
        }

        if (r.TopP is { } topP)
        {
            w.WriteNumber("topP"u8, topP);
        }

        if (r.TopK is { } topK)
        {
            w.WriteNumber("topK"u8, topK);
        }

        if (r.MaxOutputTokens is { } max)
        {
            w.WriteNumber("maxOutput"u8, max);
        }

        if (r.Seed is { } seed)
        {
            w.WriteNumber("seed"u8, seed);
        }

        if (r.PresencePenalty is { } presence)
        {
            w.WriteNumber("presence"u8, presence);
        }

        if (r.FrequencyPenalty is { } frequency)
        {
            w.WriteNumber("frequency"u8, frequency);
        }

        if (r.StopSequences is { Count: > 0 } stops)
        {
            w.WriteStartArray("stop"u8);
            for (int i = 0; i < stops.Count; i++)
            {
                w.WriteStringValue(stops[i]);
            }

            w.WriteEndArray();
        }

        if (r.AllowParallelToolCalls is { } parallel)
        {
            w.WriteBoolean("parallel"u8, parallel);
        }

        if (r.ReasoningEffort is { } effort)
        {
            w.WriteNumber("effort"u8, (int)effort);
        }

        WriteToolMode(w, r.ToolMode);
        WriteResponseFormat(w, r.ResponseFormat);
        if (r.Tools is { Count: > 0 } tools)
        {
            w.WriteStartArray("tools"u8);
            for (int i = 0; i < tools.Count; i++)
            {
                WriteTool(w, tools[i]);
            }

            w.WriteEndArray();
        }

        if (r.AdditionalRequestFields is { Count: > 0 } fields)
        {
            // Canonical: ordinal key order, whatever the dictionary's.
            var keys = new string[fields.Count];
            fields.Keys.CopyTo(keys, 0);
            Array.Sort(keys, StringComparer.Ordinal);
            w.WriteStartObject("extra"u8);
            foreach (var key in keys)
            {
                w.WritePropertyName(key);
                fields[key].WriteTo(w);
            }

            w.WriteEndObject();
        }

        w.WriteStartArray("messages"u8);
        var messages = r.Messages;
        for (int i = 0; i < messages.Count; i++)
        {
            WriteMessage(w, messages[i]);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteStartObject();
        w.WriteString("role"u8, message.Role.Value);
        WriteIf(w, "author"u8, message.AuthorName);
        w.WriteStartArray("contents"u8);
        var contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            WriteContent(w, contents[i]);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter w, AIContent content)
    {
        w.WriteStartObject();
        switch (content)
        {
            case TextContent text:
                w.WriteString("text"u8, text.Text);
                break;
            case TextReasoningContent reasoning:
                w.WriteString("reasoning"u8, reasoning.Text);
                WriteIf(w, "protected"u8, reasoning.ProtectedData);
                break;
            case FunctionCallContent call:
                w.WriteString("call"u8, call.Name);
                w.WriteString("id"u8, call.CallId);
                w.WritePropertyName("args"u8);
                ToolCallJson.WriteArguments(w, call.Arguments);
                break;
            case FunctionResultContent result:
                w.WriteString("result"u8, result.CallId);
                w.WriteString("value"u8, ToolCallJson.SerializeResult(result.Result));
                break;
            case DataContent data:
                w.WriteString("media"u8, data.MediaType);
                w.WriteBase64String("data"u8, data.Data.Span);
                break;
            case UriContent uri:
                w.WriteString("media"u8, uri.MediaType);
                w.WriteString("uri"u8, uri.Uri.OriginalString);
                break;
            default:
                // Any other content: its type and its JSON form (Microsoft.Extensions.AI's polymorphic contract). Content that has
                // none throws NotSupportedException, and the request is not cached.
                w.WriteString("type"u8, content.GetType().FullName);
                w.WritePropertyName("json"u8);
                JsonSerializer.Serialize(w, content, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent)));
                break;
        }

        w.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter w, AITool tool)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, tool.GetType().FullName);
        w.WriteString("name"u8, tool.Name);
        WriteIf(w, "description"u8, tool.Description);
        if (tool is AIFunctionDeclaration function)
        {
            w.WritePropertyName("schema"u8);
            function.JsonSchema.WriteTo(w);
            if (function.ReturnJsonSchema is { } returns)
            {
                w.WritePropertyName("returns"u8);
                returns.WriteTo(w);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteToolMode(Utf8JsonWriter w, ChatToolMode? mode)
    {
        switch (mode)
        {
            case null:
                return;
            case RequiredChatToolMode required:
                w.WriteString("toolMode"u8, "required:" + required.RequiredFunctionName);
                return;
            case NoneChatToolMode:
                w.WriteString("toolMode"u8, "none"u8);
                return;
            case AutoChatToolMode:
                w.WriteString("toolMode"u8, "auto"u8);
                return;
            default:
                w.WriteString("toolMode"u8, mode.GetType().FullName);
                return;
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter w, ChatResponseFormat? format)
    {
        switch (format)
        {
            case null:
                return;
            case ChatResponseFormatText:
                w.WriteString("format"u8, "text"u8);
                return;
            case ChatResponseFormatJson json:
                w.WriteStartObject("format"u8);
                WriteIf(w, "name"u8, json.SchemaName);
                WriteIf(w, "description"u8, json.SchemaDescription);
                if (json.Schema is { } schema)
                {
                    w.WritePropertyName("schema"u8);
                    schema.WriteTo(w);
                }

                w.WriteEndObject();
                return;
            default:
                w.WriteString("format"u8, format.GetType().FullName);
                return;
        }
    }

    private static void WriteIf(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
