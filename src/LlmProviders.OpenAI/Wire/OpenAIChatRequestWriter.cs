using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Wire;

/// <summary>What one chat request body is written from.</summary>
internal readonly record struct ChatRequestWriteState(ChatRequest Request, string Model, bool Stream, bool IncludeStreamUsage, bool DeveloperRole, OpenAIDialect Dialect);

/// <summary>
/// Writes the body of <c>POST /chat/completions</c> by hand with <see cref="Utf8JsonWriter"/> (no reflection). The request is
/// only read, never changed. Content the API cannot take throws <see cref="NotSupportedException"/>, which the provider
/// reports as an invalid request.
/// </summary>
internal static class OpenAIChatRequestWriter
{
    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText FunctionValue = JsonEncodedText.Encode("function");

    public static PooledJsonContent CreateContent(in ChatRequestWriteState state) =>
        PooledJsonContent.Create(state, static (writer, s) => Write(writer, s));

    public static void Write(Utf8JsonWriter writer, ChatRequestWriteState state)
    {
        var request = state.Request;
        var dialect = state.Dialect;
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
                WriteMessage(writer, messages[i], state.DeveloperRole, dialect);
            }

            writer.WriteEndArray();
        }

        bool wroteTools = false;
        if (request.Tools is { Count: > 0 } tools && Keep(extra, "tools"))
        {
            wroteTools = WriteTools(writer, tools);
        }

        if (wroteTools)
        {
            if (request.ToolMode is { } mode && Keep(extra, "tool_choice"))
            {
                WriteToolChoice(writer, mode);
            }

            if (request.AllowParallelToolCalls is { } parallel && Keep(extra, "parallel_tool_calls"))
            {
                writer.WriteBoolean("parallel_tool_calls"u8, parallel);
            }
        }

        if (request.ResponseFormat is { } format && Keep(extra, "response_format"))
        {
            WriteResponseFormat(writer, format);
        }

        if (request.Temperature is { } temperature && Keep(extra, "temperature"))
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (request.TopP is { } topP && Keep(extra, "top_p"))
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (request.StopSequences is { Count: > 0 } stop && Keep(extra, "stop"))
        {
            writer.WritePropertyName("stop"u8);
            writer.WriteStartArray();
            for (int i = 0; i < stop.Count; i++)
            {
                writer.WriteStringValue(stop[i]);
            }

            writer.WriteEndArray();
        }

        if (request.TopK is { } topK && dialect.AcceptsTopK && Keep(extra, "top_k"))
        {
            writer.WriteNumber("top_k"u8, topK);
        }

        if (request.Seed is { } seed && Keep(extra, dialect.SeedField))
        {
            writer.WriteNumber(dialect.SeedField, seed);
        }

        if (request.PresencePenalty is { } presence && Keep(extra, "presence_penalty"))
        {
            writer.WriteNumber("presence_penalty"u8, presence);
        }

        if (request.FrequencyPenalty is { } frequency && Keep(extra, "frequency_penalty"))
        {
            writer.WriteNumber("frequency_penalty"u8, frequency);
        }

        // OpenAI: max_completion_tokens for every model (reasoning models reject the legacy max_tokens: 400 unsupported_parameter).
        // Strict compatible servers reject max_completion_tokens (Mistral: 422): the dialect names the field.
        if (request.MaxOutputTokens is { } maxTokens && Keep(extra, dialect.MaxTokensField))
        {
            writer.WriteNumber(dialect.MaxTokensField, maxTokens);
        }

        if (request.ReasoningEffort is { } effort && dialect.AcceptsReasoningEffort && Keep(extra, "reasoning_effort"))
        {
            writer.WriteString("reasoning_effort"u8, ReasoningEffortValue(effort));
        }

        if (state.Stream)
        {
            if (Keep(extra, "stream"))
            {
                writer.WriteBoolean("stream"u8, true);
            }

            if (state.IncludeStreamUsage && Keep(extra, "stream_options"))
            {
                writer.WritePropertyName("stream_options"u8);
                writer.WriteStartObject();
                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }
        }

        dialect.WriteExtraChatFields(writer, request, extra);

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

    /// <summary>Maps the reasoning effort to OpenAI's values (<c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c>).</summary>
    /// <param name="effort">The effort.</param>
    /// <returns>The wire value.</returns>
    public static string ReasoningEffortValue(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => "minimal",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        _ => "high", // High, ExtraHigh, and any later, larger value.
    };

    private static bool Keep(IDictionary<string, JsonElement>? extra, string name) => extra is null || !extra.ContainsKey(name);

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, bool developerRole, OpenAIDialect dialect)
    {
        var contents = message.Contents;
        int texts = 0, media = 0, calls = 0, results = 0;
        TextContent? singleText = null;
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent t:
                    texts++;
                    singleText = t;
                    break;
                case DataContent or UriContent or HostedFileContent:
                    media++;
                    break;
                case FunctionCallContent:
                    calls++;
                    break;
                case FunctionResultContent:
                    results++;
                    break;
                default:
                    // Reasoning and other content the Chat Completions API has no place for are not sent back.
                    break;
            }
        }

        // Every tool result is its own "tool" message, whatever role carried it.
        if (results > 0)
        {
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is FunctionResultContent result)
                {
                    writer.WriteStartObject();
                    writer.WriteString("role"u8, "tool"u8);
                    writer.WriteString("tool_call_id"u8, dialect.ToolCallId(result.CallId));
                    writer.WriteString("content"u8, ResultText(result));
                    writer.WriteEndObject();
                }
            }

            if (texts == 0 && media == 0 && calls == 0)
            {
                return;
            }
        }

        var role = message.Role;
        string roleName = role == ChatRole.System ? (developerRole ? "developer" : "system")
            : role == ChatRole.User ? "user"
            : role == ChatRole.Assistant ? "assistant"
            : role == ChatRole.Tool ? "tool"
            : role.Value;

        writer.WriteStartObject();
        writer.WriteString("role"u8, roleName);
        if (dialect.AcceptsMessageName && !string.IsNullOrEmpty(message.AuthorName) && role != ChatRole.Tool)
        {
            writer.WriteString("name"u8, message.AuthorName);
        }

        if (media > 0 && role == ChatRole.User)
        {
            writer.WritePropertyName("content"u8);
            writer.WriteStartArray();
            for (int i = 0; i < contents.Count; i++)
            {
                WritePart(writer, contents[i]);
            }

            writer.WriteEndArray();
        }
        else if (media > 0 && role != ChatRole.Assistant)
        {
            throw new NotSupportedException($"Images and files can only be sent in user messages; a '{role.Value}' message carries one.");
        }
        else if (texts == 1)
        {
            writer.WriteString("content"u8, singleText!.Text ?? string.Empty);
        }
        else if (texts > 1)
        {
            writer.WriteString("content"u8, message.Text);
        }
        else if (calls > 0)
        {
            writer.WriteNull("content"u8);
        }
        else
        {
            writer.WriteString("content"u8, string.Empty);
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
                    writer.WriteString("id"u8, dialect.ToolCallId(call.CallId));
                    writer.WriteString(TypeProperty, FunctionValue);
                    writer.WritePropertyName("function"u8);
                    writer.WriteStartObject();
                    writer.WriteString("name"u8, call.Name);
                    writer.WriteString("arguments"u8, ToolCallJson.SerializeArguments(call.Arguments));
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static string ResultText(FunctionResultContent result)
    {
        if (result.Result is null && result.Exception is { } exception)
        {
            return "Error: " + exception.Message;
        }

        return ToolCallJson.SerializeResult(result.Result);
    }

    private static void WritePart(Utf8JsonWriter writer, AIContent content)
    {
        switch (content)
        {
            case TextContent text:
                writer.WriteStartObject();
                writer.WriteString(TypeProperty, "text"u8);
                writer.WriteString("text"u8, text.Text ?? string.Empty);
                writer.WriteEndObject();
                break;

            case DataContent data when data.HasTopLevelMediaType("image"):
                WriteImage(writer, data.Uri, data);
                break;

            case UriContent uri when uri.HasTopLevelMediaType("image"):
                WriteImage(writer, uri.Uri.IsAbsoluteUri ? uri.Uri.AbsoluteUri : uri.Uri.OriginalString, uri);
                break;

            case DataContent data when data.HasTopLevelMediaType("audio"):
                writer.WriteStartObject();
                writer.WriteString(TypeProperty, "input_audio"u8);
                writer.WritePropertyName("input_audio"u8);
                writer.WriteStartObject();
                writer.WriteString("data"u8, data.Base64Data.Span);
                writer.WriteString("format"u8, AudioFormat(data.MediaType));
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;

            case DataContent data when string.Equals(data.MediaType, "application/pdf", StringComparison.OrdinalIgnoreCase):
                writer.WriteStartObject();
                writer.WriteString(TypeProperty, "file"u8);
                writer.WritePropertyName("file"u8);
                writer.WriteStartObject();
                writer.WriteString("filename"u8, data.Name ?? "document.pdf");
                writer.WriteString("file_data"u8, data.Uri);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;

            case HostedFileContent file:
                writer.WriteStartObject();
                writer.WriteString(TypeProperty, "file"u8);
                writer.WritePropertyName("file"u8);
                writer.WriteStartObject();
                writer.WriteString("file_id"u8, file.FileId);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;

            case DataContent data:
                throw new NotSupportedException($"OpenAI chat completions cannot take content of media type '{data.MediaType}'; send images (image/*), audio (wav, mp3) or PDF files.");

            case UriContent uri:
                throw new NotSupportedException($"OpenAI chat completions can take URLs of images only; this one is '{uri.MediaType}'.");

            default:
                break;
        }
    }

    private static void WriteImage(Utf8JsonWriter writer, string url, AIContent content)
    {
        writer.WriteStartObject();
        writer.WriteString(TypeProperty, "image_url"u8);
        writer.WritePropertyName("image_url"u8);
        writer.WriteStartObject();
        writer.WriteString("url"u8, url);
        if (content.AdditionalProperties is { } properties && properties.TryGetValue("detail", out var detail) && detail is not null)
        {
            var value = detail.ToString();
            if (!string.IsNullOrEmpty(value))
            {
                writer.WriteString("detail"u8, value.ToLowerInvariant());
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string AudioFormat(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "audio/wav" or "audio/x-wav" or "audio/wave" => "wav",
        "audio/mpeg" or "audio/mp3" => "mp3",
        _ => throw new NotSupportedException($"OpenAI chat completions take wav or mp3 audio; this is '{mediaType}'."),
    };

    private static bool WriteTools(Utf8JsonWriter writer, IList<AITool> tools)
    {
        int functions = 0;
        for (int i = 0; i < tools.Count; i++)
        {
            if (tools[i] is AIFunctionDeclaration)
            {
                functions++;
            }
        }

        if (functions == 0)
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
            writer.WriteString(TypeProperty, FunctionValue);
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
                writer.WriteString(TypeProperty, "object"u8);
                writer.WritePropertyName("properties"u8);
                writer.WriteStartObject();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (StrictFlag(function) is { } strict)
            {
                writer.WriteBoolean("strict"u8, strict);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return true;
    }

    private static bool? StrictFlag(AITool tool)
    {
        if (tool.AdditionalProperties is { Count: > 0 } properties)
        {
            if (properties.TryGetValue("strict", out var value) && value is bool strict)
            {
                return strict;
            }

            if (properties.TryGetValue("strictJsonSchema", out value) && value is bool strictSchema)
            {
                return strictSchema;
            }
        }

        return null;
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolMode mode)
    {
        switch (mode)
        {
            case NoneChatToolMode:
                writer.WriteString("tool_choice"u8, "none"u8);
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                writer.WritePropertyName("tool_choice"u8);
                writer.WriteStartObject();
                writer.WriteString(TypeProperty, FunctionValue);
                writer.WritePropertyName("function"u8);
                writer.WriteStartObject();
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case RequiredChatToolMode:
                writer.WriteString("tool_choice"u8, "required"u8);
                break;
            default:
                writer.WriteString("tool_choice"u8, "auto"u8);
                break;
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat format)
    {
        writer.WritePropertyName("response_format"u8);
        writer.WriteStartObject();
        switch (format)
        {
            case ChatResponseFormatJson { Schema: { } schema } json:
                writer.WriteString(TypeProperty, "json_schema"u8);
                writer.WritePropertyName("json_schema"u8);
                writer.WriteStartObject();
                writer.WriteString("name"u8, SchemaName(json.SchemaName));
                if (!string.IsNullOrEmpty(json.SchemaDescription))
                {
                    writer.WriteString("description"u8, json.SchemaDescription);
                }

                writer.WritePropertyName("schema"u8);
                schema.WriteTo(writer);
                writer.WriteBoolean("strict"u8, true);
                writer.WriteEndObject();
                break;
            case ChatResponseFormatJson:
                writer.WriteString(TypeProperty, "json_object"u8);
                break;
            default:
                writer.WriteString(TypeProperty, "text"u8);
                break;
        }

        writer.WriteEndObject();
    }

    // OpenAI requires ^[a-zA-Z0-9_-]{1,64}$.
    private static string SchemaName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "response";
        }

        bool valid = name.Length <= 64;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                valid = false;
                break;
            }
        }

        if (valid)
        {
            return name;
        }

        Span<char> buffer = stackalloc char[Math.Min(name.Length, 64)];
        for (int i = 0; i < buffer.Length; i++)
        {
            char c = name[i];
            buffer[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_';
        }

        return new string(buffer);
    }
}
