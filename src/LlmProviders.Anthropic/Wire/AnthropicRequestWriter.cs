using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Anthropic.Wire;

/// <summary>What one Messages request body is written from.</summary>
internal readonly record struct AnthropicWriteState(ChatRequest Request, string Model, bool Stream, int MaxTokens, int? ThinkingBudget, bool CacheSystemPrompt, bool CacheTools);

/// <summary>
/// Writes the body of <c>POST /v1/messages</c> by hand with <see cref="Utf8JsonWriter"/> (no reflection). System messages
/// become the top-level <c>system</c> field; tool results become <c>tool_result</c> blocks of a user message; reasoning
/// with a signature goes back as <c>thinking</c> (or <c>redacted_thinking</c>) blocks; <c>cache_control</c> is written
/// where <see cref="AnthropicCacheControl"/> marked it. The request is only read. Content the API cannot take throws
/// <see cref="NotSupportedException"/>, which the provider reports as an invalid request.
/// </summary>
internal static class AnthropicRequestWriter
{
    /// <summary>The key of <see cref="AIContent.AdditionalProperties"/> marking a <c>redacted_thinking</c> block (its data in <see cref="TextReasoningContent.ProtectedData"/>).</summary>
    public const string RedactedThinkingProperty = "anthropic.redacted_thinking";

    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type");

    public static PooledJsonContent CreateContent(in AnthropicWriteState state) =>
        PooledJsonContent.Create(state, static (writer, s) => Write(writer, s));

    public static void Write(Utf8JsonWriter writer, AnthropicWriteState state)
    {
        var request = state.Request;
        var extra = request.AdditionalRequestFields;
        writer.WriteStartObject();

        if (Keep(extra, "model"))
        {
            writer.WriteString("model"u8, state.Model);
        }

        if (Keep(extra, "max_tokens"))
        {
            writer.WriteNumber("max_tokens"u8, state.MaxTokens);
        }

        if (Keep(extra, "system"))
        {
            WriteSystem(writer, request.Messages, state.CacheSystemPrompt);
        }

        if (Keep(extra, "messages"))
        {
            writer.WritePropertyName("messages"u8);
            writer.WriteStartArray();
            var messages = request.Messages;
            for (int i = 0; i < messages.Count; i++)
            {
                if (messages[i].Role != ChatRole.System)
                {
                    WriteMessage(writer, messages[i]);
                }
            }

            writer.WriteEndArray();
        }

        bool wroteTools = false;
        if (request.Tools is { Count: > 0 } tools && Keep(extra, "tools"))
        {
            wroteTools = WriteTools(writer, tools, state.CacheTools);
        }

        if (wroteTools && Keep(extra, "tool_choice") && (request.ToolMode is not null || request.AllowParallelToolCalls == false))
        {
            WriteToolChoice(writer, request.ToolMode, request.AllowParallelToolCalls == false);
        }

        if (request.Temperature is { } temperature && Keep(extra, "temperature"))
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (request.TopP is { } topP && Keep(extra, "top_p"))
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (request.TopK is { } topK && Keep(extra, "top_k"))
        {
            writer.WriteNumber("top_k"u8, topK);
        }

        if (request.StopSequences is { Count: > 0 } stop && Keep(extra, "stop_sequences"))
        {
            writer.WritePropertyName("stop_sequences"u8);
            writer.WriteStartArray();
            for (int i = 0; i < stop.Count; i++)
            {
                writer.WriteStringValue(stop[i]);
            }

            writer.WriteEndArray();
        }

        if (state.ThinkingBudget is { } budget && Keep(extra, "thinking"))
        {
            writer.WritePropertyName("thinking"u8);
            writer.WriteStartObject();
            writer.WriteString(TypeProperty, "enabled"u8);
            writer.WriteNumber("budget_tokens"u8, budget);
            writer.WriteEndObject();
        }

        if (state.Stream && Keep(extra, "stream"))
        {
            writer.WriteBoolean("stream"u8, true);
        }

        if (extra is not null)
        {
            foreach (var field in extra)
            {
                if (field.Value.ValueKind == JsonValueKind.Undefined)
                {
                    continue;
                }

                writer.WritePropertyName(field.Key);
                field.Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static bool Keep(IDictionary<string, JsonElement>? extra, string name) => extra is null || !extra.ContainsKey(name);

    private static void WriteSystem(Utf8JsonWriter writer, IList<ChatMessage> messages, bool cacheSystem)
    {
        int blocks = 0;
        bool marked = cacheSystem;
        string? single = null;
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role != ChatRole.System)
            {
                continue;
            }

            marked |= AnthropicCacheControl.Read(message.AdditionalProperties) is not null;
            foreach (var content in message.Contents)
            {
                if (content is TextContent { Text.Length: > 0 } text)
                {
                    blocks++;
                    single = text.Text;
                    marked |= AnthropicCacheControl.Read(text.AdditionalProperties) is not null;
                }
            }
        }

        if (blocks == 0)
        {
            return;
        }

        if (blocks == 1 && !marked)
        {
            writer.WriteString("system"u8, single);
            return;
        }

        writer.WritePropertyName("system"u8);
        writer.WriteStartArray();
        int written = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role != ChatRole.System)
            {
                continue;
            }

            var contents = message.Contents;
            int last = -1;
            for (int j = 0; j < contents.Count; j++)
            {
                if (contents[j] is TextContent { Text.Length: > 0 })
                {
                    last = j;
                }
            }

            for (int j = 0; j < contents.Count; j++)
            {
                if (contents[j] is not TextContent { Text.Length: > 0 } text)
                {
                    continue;
                }

                written++;
                string? cache = AnthropicCacheControl.Read(text.AdditionalProperties);
                if (j == last)
                {
                    cache ??= AnthropicCacheControl.Read(message.AdditionalProperties);
                }

                if (written == blocks && cacheSystem)
                {
                    cache ??= string.Empty;
                }

                writer.WriteStartObject();
                writer.WriteString(TypeProperty, "text"u8);
                writer.WriteString("text"u8, text.Text);
                WriteCacheControl(writer, cache);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        var contents = message.Contents;
        bool assistant = message.Role == ChatRole.Assistant;
        string? messageCache = AnthropicCacheControl.Read(message.AdditionalProperties);

        // The blocks this message will carry, and whether plain "content":"text" is enough.
        int last = -1, count = 0;
        bool simple = messageCache is null;
        for (int i = 0; i < contents.Count; i++)
        {
            if (IsBlock(contents[i], assistant))
            {
                last = i;
                count++;
                simple &= contents[i] is TextContent && AnthropicCacheControl.Read(contents[i].AdditionalProperties) is null;
            }
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, assistant ? "assistant"u8 : "user"u8);
        if (count == 0)
        {
            writer.WriteString("content"u8, message.Text);
        }
        else if (simple && count == 1)
        {
            writer.WriteString("content"u8, ((TextContent)contents[last]).Text);
        }
        else
        {
            writer.WritePropertyName("content"u8);
            writer.WriteStartArray();
            for (int i = 0; i < contents.Count; i++)
            {
                if (IsBlock(contents[i], assistant))
                {
                    string? cache = AnthropicCacheControl.Read(contents[i].AdditionalProperties);
                    if (i == last)
                    {
                        cache ??= messageCache;
                    }

                    WriteBlock(writer, contents[i], cache);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static bool IsBlock(AIContent content, bool assistant) => content switch
    {
        TextContent t => !string.IsNullOrEmpty(t.Text),
        DataContent or UriContent => true,
        FunctionCallContent => assistant,
        FunctionResultContent => true,
        TextReasoningContent r => assistant && !string.IsNullOrEmpty(r.ProtectedData),
        _ => false,
    };

    private static void WriteBlock(Utf8JsonWriter writer, AIContent content, string? cache)
    {
        writer.WriteStartObject();
        switch (content)
        {
            case TextContent text:
                writer.WriteString(TypeProperty, "text"u8);
                writer.WriteString("text"u8, text.Text);
                break;

            case DataContent data when data.HasTopLevelMediaType("image"):
                writer.WriteString(TypeProperty, "image"u8);
                WriteBase64Source(writer, data);
                break;

            case DataContent data when string.Equals(data.MediaType, "application/pdf", StringComparison.OrdinalIgnoreCase):
                writer.WriteString(TypeProperty, "document"u8);
                WriteBase64Source(writer, data);
                break;

            case UriContent uri when uri.HasTopLevelMediaType("image"):
                writer.WriteString(TypeProperty, "image"u8);
                WriteUrlSource(writer, uri);
                break;

            case UriContent uri when string.Equals(uri.MediaType, "application/pdf", StringComparison.OrdinalIgnoreCase):
                writer.WriteString(TypeProperty, "document"u8);
                WriteUrlSource(writer, uri);
                break;

            case DataContent data:
                throw new NotSupportedException($"Anthropic messages take images (image/*) and PDF documents; this content is '{data.MediaType}'.");

            case UriContent uri:
                throw new NotSupportedException($"Anthropic messages take URLs of images and PDF documents; this one is '{uri.MediaType}'.");

            case FunctionCallContent call:
                writer.WriteString(TypeProperty, "tool_use"u8);
                writer.WriteString("id"u8, call.CallId);
                writer.WriteString("name"u8, call.Name);
                writer.WritePropertyName("input"u8);
                ToolCallJson.WriteArguments(writer, call.Arguments);
                break;

            case FunctionResultContent result:
                writer.WriteString(TypeProperty, "tool_result"u8);
                writer.WriteString("tool_use_id"u8, result.CallId);
                if (result.Result is null && result.Exception is { } exception)
                {
                    writer.WriteString("content"u8, "Error: " + exception.Message);
                    writer.WriteBoolean("is_error"u8, true);
                }
                else
                {
                    writer.WriteString("content"u8, ToolCallJson.SerializeResult(result.Result));
                }

                break;

            case TextReasoningContent reasoning when reasoning.AdditionalProperties?.ContainsKey(RedactedThinkingProperty) == true:
                writer.WriteString(TypeProperty, "redacted_thinking"u8);
                writer.WriteString("data"u8, reasoning.ProtectedData);
                break;

            case TextReasoningContent reasoning:
                writer.WriteString(TypeProperty, "thinking"u8);
                writer.WriteString("thinking"u8, reasoning.Text ?? string.Empty);
                writer.WriteString("signature"u8, reasoning.ProtectedData);
                break;

            default:
                break;
        }

        WriteCacheControl(writer, cache);
        writer.WriteEndObject();
    }

    private static void WriteBase64Source(Utf8JsonWriter writer, DataContent data)
    {
        writer.WritePropertyName("source"u8);
        writer.WriteStartObject();
        writer.WriteString(TypeProperty, "base64"u8);
        writer.WriteString("media_type"u8, data.MediaType);
        writer.WriteString("data"u8, data.Base64Data.Span);
        writer.WriteEndObject();
    }

    private static void WriteUrlSource(Utf8JsonWriter writer, UriContent uri)
    {
        writer.WritePropertyName("source"u8);
        writer.WriteStartObject();
        writer.WriteString(TypeProperty, "url"u8);
        writer.WriteString("url"u8, uri.Uri.IsAbsoluteUri ? uri.Uri.AbsoluteUri : uri.Uri.OriginalString);
        writer.WriteEndObject();
    }

    private static void WriteCacheControl(Utf8JsonWriter writer, string? cache)
    {
        if (cache is null)
        {
            return;
        }

        writer.WritePropertyName("cache_control"u8);
        writer.WriteStartObject();
        writer.WriteString(TypeProperty, "ephemeral"u8);
        if (cache.Length > 0)
        {
            writer.WriteString("ttl"u8, cache);
        }

        writer.WriteEndObject();
    }

    private static bool WriteTools(Utf8JsonWriter writer, IList<AITool> tools, bool cacheTools)
    {
        int last = -1;
        for (int i = 0; i < tools.Count; i++)
        {
            if (tools[i] is AIFunctionDeclaration)
            {
                last = i;
            }
        }

        if (last < 0)
        {
            return false;
        }

        writer.WritePropertyName("tools"u8);
        writer.WriteStartArray();
        for (int i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not AIFunctionDeclaration function)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("name"u8, function.Name);
            if (!string.IsNullOrEmpty(function.Description))
            {
                writer.WriteString("description"u8, function.Description);
            }

            writer.WritePropertyName("input_schema"u8);
            var schema = function.JsonSchema;
            if (schema.ValueKind == JsonValueKind.Object)
            {
                schema.WriteTo(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString(TypeProperty, "object"u8);
                writer.WritePropertyName("properties"u8);
                writer.WriteStartObject();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            string? cache = ToolCache(function);
            if (i == last && cacheTools)
            {
                cache ??= string.Empty;
            }

            WriteCacheControl(writer, cache);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return true;
    }

    private static string? ToolCache(AITool tool)
    {
        if (tool.AdditionalProperties is { Count: > 0 } properties && properties.TryGetValue(AnthropicCacheControl.PropertyName, out var value) && value is not null and not false)
        {
            return value is string s ? s.Trim() : string.Empty;
        }

        return null;
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolMode? mode, bool disableParallel)
    {
        writer.WritePropertyName("tool_choice"u8);
        writer.WriteStartObject();
        switch (mode)
        {
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                writer.WriteString(TypeProperty, "tool"u8);
                writer.WriteString("name"u8, name);
                break;
            case RequiredChatToolMode:
                writer.WriteString(TypeProperty, "any"u8);
                break;
            case NoneChatToolMode:
                writer.WriteString(TypeProperty, "none"u8);
                break;
            default:
                writer.WriteString(TypeProperty, "auto"u8);
                break;
        }

        if (disableParallel && mode is not NoneChatToolMode)
        {
            writer.WriteBoolean("disable_parallel_tool_use"u8, true);
        }

        writer.WriteEndObject();
    }
}
