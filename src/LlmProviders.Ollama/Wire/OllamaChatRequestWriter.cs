using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Wire;

/// <summary>What one chat request body is written from.</summary>
internal readonly record struct OllamaChatWriteState(ChatRequest Request, string Model, bool Stream, TimeSpan? KeepAlive, int? ContextLength);

/// <summary>
/// Writes the body of <c>POST /api/chat</c> by hand with <see cref="Utf8JsonWriter"/>. <c>"stream"</c> is always written
/// (Ollama streams by default); sampling parameters go under <c>options</c>; images are base64 without a <c>data:</c> prefix;
/// tool-call arguments are objects; a tool result names its tool (<c>tool_name</c>). The request is only read. Content Ollama
/// cannot take throws <see cref="NotSupportedException"/>, which the provider reports as an invalid request.
/// </summary>
internal static class OllamaChatRequestWriter
{
    public static PooledJsonContent CreateContent(in OllamaChatWriteState state) =>
        PooledJsonContent.Create(state, static (writer, s) => Write(writer, s));

    public static void Write(Utf8JsonWriter writer, OllamaChatWriteState state)
    {
        var request = state.Request;
        var extra = request.AdditionalRequestFields;
        writer.WriteStartObject();

        if (Keep(extra, "model"))
        {
            writer.WriteString("model"u8, state.Model);
        }

        if (Keep(extra, "messages"))
        {
            writer.WritePropertyName("messages"u8);
            writer.WriteStartArray();
            var messages = request.Messages;
            for (int i = 0; i < messages.Count; i++)
            {
                WriteMessage(writer, messages, i);
            }

            writer.WriteEndArray();
        }

        if (request.Tools is { Count: > 0 } tools && request.ToolMode is not NoneChatToolMode && Keep(extra, "tools"))
        {
            WriteTools(writer, tools);
        }

        if (request.ResponseFormat is ChatResponseFormatJson json && Keep(extra, "format"))
        {
            if (json.Schema is { } schema)
            {
                writer.WritePropertyName("format"u8);
                schema.WriteTo(writer);
            }
            else
            {
                writer.WriteString("format"u8, "json"u8);
            }
        }

        if (Keep(extra, "options"))
        {
            WriteOptions(writer, request, state.ContextLength);
        }

        if (request.ReasoningEffort is { } effort && Keep(extra, "think"))
        {
            writer.WriteBoolean("think"u8, effort != ReasoningEffort.None);
        }

        if (state.KeepAlive is { } keepAlive && Keep(extra, "keep_alive"))
        {
            writer.WriteNumber("keep_alive"u8, keepAlive < TimeSpan.Zero ? -1 : (long)Math.Ceiling(keepAlive.TotalSeconds));
        }

        if (Keep(extra, "stream"))
        {
            writer.WriteBoolean("stream"u8, state.Stream);
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

    private static void WriteOptions(Utf8JsonWriter writer, ChatRequest request, int? contextLength)
    {
        if (request.Temperature is null && request.TopP is null && request.TopK is null && request.MaxOutputTokens is null &&
            request.StopSequences is not { Count: > 0 } && request.Seed is null && contextLength is null &&
            request.PresencePenalty is null && request.FrequencyPenalty is null)
        {
            return;
        }

        writer.WritePropertyName("options"u8);
        writer.WriteStartObject();
        if (request.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (request.TopP is { } topP)
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (request.TopK is { } topK)
        {
            writer.WriteNumber("top_k"u8, topK);
        }

        if (request.MaxOutputTokens is { } maxTokens)
        {
            writer.WriteNumber("num_predict"u8, maxTokens);
        }

        if (request.StopSequences is { Count: > 0 } stop)
        {
            writer.WritePropertyName("stop"u8);
            writer.WriteStartArray();
            for (int i = 0; i < stop.Count; i++)
            {
                writer.WriteStringValue(stop[i]);
            }

            writer.WriteEndArray();
        }

        if (request.Seed is { } seed)
        {
            writer.WriteNumber("seed"u8, seed);
        }

        if (request.PresencePenalty is { } presence)
        {
            writer.WriteNumber("presence_penalty"u8, presence);
        }

        if (request.FrequencyPenalty is { } frequency)
        {
            writer.WriteNumber("frequency_penalty"u8, frequency);
        }

        if (contextLength is { } numCtx)
        {
            writer.WriteNumber("num_ctx"u8, numCtx);
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, IList<ChatMessage> messages, int index)
    {
        var message = messages[index];
        var contents = message.Contents;
        int texts = 0, images = 0, calls = 0, results = 0;
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent:
                    texts++;
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    images++;
                    break;
                case DataContent data:
                    throw new NotSupportedException($"Ollama chat takes images only; this content is '{data.MediaType}'.");
                case UriContent uri:
                    throw new NotSupportedException($"Ollama cannot fetch URLs ('{uri.MediaType}' at a URI); send the image's bytes as DataContent.");
                case FunctionCallContent:
                    calls++;
                    break;
                case FunctionResultContent:
                    results++;
                    break;
                default:
                    break;
            }
        }

        // Every tool result is its own "tool" message, naming the tool it answers.
        if (results > 0)
        {
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is FunctionResultContent result)
                {
                    writer.WriteStartObject();
                    writer.WriteString("role"u8, "tool"u8);
                    writer.WriteString("content"u8, ResultText(result));
                    if (FindToolName(messages, index, result.CallId) is { } toolName)
                    {
                        writer.WriteString("tool_name"u8, toolName);
                    }

                    if (!string.IsNullOrEmpty(result.CallId))
                    {
                        writer.WriteString("tool_call_id"u8, result.CallId);
                    }

                    writer.WriteEndObject();
                }
            }

            if (texts == 0 && images == 0 && calls == 0)
            {
                return;
            }
        }

        var role = message.Role;
        string roleName = role == ChatRole.System ? "system"
            : role == ChatRole.User ? "user"
            : role == ChatRole.Assistant ? "assistant"
            : role == ChatRole.Tool ? "tool"
            : role.Value;

        writer.WriteStartObject();
        writer.WriteString("role"u8, roleName);
        writer.WriteString("content"u8, texts == 0 ? string.Empty : message.Text);

        if (images > 0)
        {
            writer.WritePropertyName("images"u8);
            writer.WriteStartArray();
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is DataContent data && data.HasTopLevelMediaType("image"))
                {
                    writer.WriteStringValue(data.Base64Data.Span);
                }
            }

            writer.WriteEndArray();
        }

        if (calls > 0 && role == ChatRole.Assistant)
        {
            writer.WritePropertyName("tool_calls"u8);
            writer.WriteStartArray();
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is FunctionCallContent call)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("function"u8);
                    writer.WriteStartObject();
                    writer.WriteString("name"u8, call.Name);
                    writer.WritePropertyName("arguments"u8);
                    ToolCallJson.WriteArguments(writer, call.Arguments);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    // The latest call with this id before the result (generated ids such as call_0 repeat across turns).
    private static string? FindToolName(IList<ChatMessage> messages, int index, string? callId)
    {
        if (string.IsNullOrEmpty(callId))
        {
            return null;
        }

        for (int m = index; m >= 0; m--)
        {
            var contents = messages[m].Contents;
            for (int i = contents.Count - 1; i >= 0; i--)
            {
                if (contents[i] is FunctionCallContent call && string.Equals(call.CallId, callId, StringComparison.Ordinal))
                {
                    return call.Name;
                }
            }
        }

        return null;
    }

    private static string ResultText(FunctionResultContent result)
    {
        if (result.Result is null && result.Exception is { } exception)
        {
            return "Error: " + exception.Message;
        }

        return ToolCallJson.SerializeResult(result.Result);
    }

    private static void WriteTools(Utf8JsonWriter writer, IList<AITool> tools)
    {
        bool any = false;
        for (int i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not AIFunctionDeclaration function)
            {
                continue;
            }

            if (!any)
            {
                writer.WritePropertyName("tools"u8);
                writer.WriteStartArray();
                any = true;
            }

            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WritePropertyName("function"u8);
            writer.WriteStartObject();
            writer.WriteString("name"u8, function.Name);
            if (!string.IsNullOrEmpty(function.Description))
            {
                writer.WriteString("description"u8, function.Description);
            }

            writer.WritePropertyName("parameters"u8);
            var schema = function.JsonSchema;
            if (schema.ValueKind == JsonValueKind.Object)
            {
                schema.WriteTo(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "object"u8);
                writer.WritePropertyName("properties"u8);
                writer.WriteStartObject();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (any)
        {
            writer.WriteEndArray();
        }
    }
}
