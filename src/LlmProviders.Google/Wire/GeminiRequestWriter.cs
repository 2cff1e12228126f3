using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Wire;

/// <summary>What one <c>generateContent</c> request body is written from.</summary>
internal readonly record struct GeminiRequestWriteState(ChatRequest Request, bool IncludeThoughts);

/// <summary>
/// Writes the body of <c>generateContent</c> / <c>streamGenerateContent</c> by hand with <see cref="Utf8JsonWriter"/> (no
/// reflection): system messages become <c>systemInstruction</c>, the conversation <c>contents</c> with roles <c>user</c> and
/// <c>model</c>, images <c>inlineData</c> or <c>fileData</c>, tool calls <c>functionCall</c> parts (their <c>thoughtSignature</c>
/// written back) and tool results <c>functionResponse</c> parts in a <c>user</c> turn; the sampling parameters, JSON output and
/// thinking go in <c>generationConfig</c>. The request is only read. Content the API cannot take throws
/// <see cref="NotSupportedException"/>, which the provider reports as an invalid request.
/// </summary>
internal static class GeminiRequestWriter
{
    // Keys of JSON Schema that Gemini's OpenAPI-subset Schema accepts; others (additionalProperties, $schema, …) are dropped.
    private static readonly HashSet<string> SchemaKeys = new(StringComparer.Ordinal)
    {
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    };

    public static PooledJsonContent CreateContent(in GeminiRequestWriteState state) =>
        PooledJsonContent.Create(state, static (writer, s) => Write(writer, s));

    public static void Write(Utf8JsonWriter writer, GeminiRequestWriteState state)
    {
        var request = state.Request;
        var extra = request.AdditionalRequestFields;
        var messages = request.Messages;
        writer.WriteStartObject();

        if (Keep(extra, "systemInstruction"))
        {
            WriteSystemInstruction(writer, messages);
        }

        if (Keep(extra, "contents"))
        {
            writer.WritePropertyName("contents"u8);
            writer.WriteStartArray();
            Dictionary<string, string>? callNames = null;
            for (int i = 0; i < messages.Count; i++)
            {
                WriteMessage(writer, messages[i], ref callNames);
            }

            writer.WriteEndArray();
        }

        bool wroteTools = false;
        if (request.Tools is { Count: > 0 } tools && Keep(extra, "tools"))
        {
            wroteTools = WriteTools(writer, tools);
        }

        if (wroteTools && request.ToolMode is { } mode && Keep(extra, "toolConfig"))
        {
            WriteToolConfig(writer, mode);
        }

        if (Keep(extra, "generationConfig"))
        {
            WriteGenerationConfig(writer, request, state.IncludeThoughts);
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

    /// <summary>
    /// Maps the reasoning effort to <c>thinkingConfig.thinkingBudget</c> tokens: None 0 (thinking off where the model allows it),
    /// Low 1,024, Medium 8,192, High 24,576 (the 2.5 Flash maximum), ExtraHigh 32,768 (the 2.5 Pro maximum).
    /// </summary>
    /// <param name="effort">The effort.</param>
    /// <returns>The budget in tokens.</returns>
    public static int ThinkingBudget(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => 0,
        ReasoningEffort.Low => 1024,
        ReasoningEffort.Medium => 8192,
        ReasoningEffort.High => 24576,
        _ => 32768, // ExtraHigh, and any later, larger value.
    };

    private static bool Keep(IDictionary<string, JsonElement>? extra, string name) => extra is null || !extra.ContainsKey(name);

    private static void WriteSystemInstruction(Utf8JsonWriter writer, IList<ChatMessage> messages)
    {
        bool started = false;
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role != ChatRole.System)
            {
                continue;
            }

            var contents = message.Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                if (contents[j] is not TextContent text || string.IsNullOrEmpty(text.Text))
                {
                    continue;
                }

                if (!started)
                {
                    writer.WritePropertyName("systemInstruction"u8);
                    writer.WriteStartObject();
                    writer.WritePropertyName("parts"u8);
                    writer.WriteStartArray();
                    started = true;
                }

                writer.WriteStartObject();
                writer.WriteString("text"u8, text.Text);
                writer.WriteEndObject();
            }
        }

        if (started)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, ref Dictionary<string, string>? callNames)
    {
        var role = message.Role;
        if (role == ChatRole.System)
        {
            return;
        }

        var contents = message.Contents;
        int parts = 0;
        for (int i = 0; i < contents.Count; i++)
        {
            if (IsWritten(contents[i]))
            {
                parts++;
            }
        }

        if (parts == 0)
        {
            // Gemini rejects a turn without parts.
            return;
        }

        bool model = role == ChatRole.Assistant;
        writer.WriteStartObject();
        writer.WriteString("role"u8, model ? "model"u8 : "user"u8);
        writer.WritePropertyName("parts"u8);
        writer.WriteStartArray();
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent text:
                    writer.WriteStartObject();
                    writer.WriteString("text"u8, text.Text ?? string.Empty);
                    writer.WriteEndObject();
                    break;

                case DataContent data:
                    writer.WriteStartObject();
                    writer.WritePropertyName("inlineData"u8);
                    writer.WriteStartObject();
                    writer.WriteString("mimeType"u8, data.MediaType);
                    writer.WriteString("data"u8, data.Base64Data.Span);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;

                case UriContent uri:
                    writer.WriteStartObject();
                    writer.WritePropertyName("fileData"u8);
                    writer.WriteStartObject();
                    writer.WriteString("mimeType"u8, uri.MediaType);
                    writer.WriteString("fileUri"u8, uri.Uri.IsAbsoluteUri ? uri.Uri.AbsoluteUri : uri.Uri.OriginalString);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;

                case HostedFileContent file:
                    writer.WriteStartObject();
                    writer.WritePropertyName("fileData"u8);
                    writer.WriteStartObject();
                    if (!string.IsNullOrEmpty(file.MediaType))
                    {
                        writer.WriteString("mimeType"u8, file.MediaType);
                    }

                    writer.WriteString("fileUri"u8, file.FileId);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;

                case FunctionCallContent call:
                    (callNames ??= new Dictionary<string, string>(StringComparer.Ordinal))[call.CallId] = call.Name;
                    writer.WriteStartObject();
                    writer.WritePropertyName("functionCall"u8);
                    writer.WriteStartObject();
                    writer.WriteString("name"u8, call.Name);
                    writer.WritePropertyName("args"u8);
                    ToolCallJson.WriteArguments(writer, call.Arguments);
                    writer.WriteEndObject();
                    if (call.AdditionalProperties is { } properties &&
                        properties.TryGetValue(GeminiProvider.ThoughtSignatureKey, out var signature) &&
                        signature?.ToString() is { Length: > 0 } signatureText)
                    {
                        writer.WriteString("thoughtSignature"u8, signatureText);
                    }

                    writer.WriteEndObject();
                    break;

                case FunctionResultContent result:
                    WriteFunctionResponse(writer, result, callNames);
                    break;

                default:
                    break;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    // Reasoning is not sent back (Gemini keeps its thoughts behind the signatures on the function calls).
    private static bool IsWritten(AIContent content) =>
        content is TextContent or DataContent or UriContent or HostedFileContent or FunctionCallContent or FunctionResultContent;

    private static void WriteFunctionResponse(Utf8JsonWriter writer, FunctionResultContent result, Dictionary<string, string>? callNames)
    {
        if (callNames is null || !callNames.TryGetValue(result.CallId, out var name))
        {
            throw new NotSupportedException(
                $"The tool result for call '{result.CallId}' has no matching function call earlier in the conversation; Gemini needs the function's name. Keep the assistant message with the call in the messages.");
        }

        writer.WriteStartObject();
        writer.WritePropertyName("functionResponse"u8);
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        writer.WritePropertyName("response"u8);
        if (result.Result is null && result.Exception is { } exception)
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, exception.Message);
            writer.WriteEndObject();
        }
        else
        {
            // The response must be an object: a JSON object result is sent as it is, anything else as {"result": …}.
            var text = ToolCallJson.SerializeResult(result.Result);
            bool isObject = false;
            if (result.Result is not string && text.Length > 0 && text[0] == '{')
            {
                isObject = true;
            }
            else if (result.Result is JsonElement { ValueKind: JsonValueKind.Object })
            {
                isObject = true;
            }

            if (isObject)
            {
                writer.WriteRawValue(text, skipInputValidation: false);
            }
            else
            {
                writer.WriteStartObject();
                writer.WritePropertyName("result"u8);
                if (result.Result is string or null)
                {
                    writer.WriteStringValue(text);
                }
                else
                {
                    writer.WriteRawValue(text, skipInputValidation: false);
                }

                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

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
        writer.WriteStartObject();
        writer.WritePropertyName("functionDeclarations"u8);
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

            var schema = function.JsonSchema;
            if (schema.ValueKind == JsonValueKind.Object && HasProperties(schema))
            {
                writer.WritePropertyName("parameters"u8);
                WriteSchema(writer, schema);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        return true;
    }

    // A function without parameters is declared without "parameters" (Gemini rejects an object schema with no properties).
    private static bool HasProperties(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object && properties.EnumerateObject().MoveNext();

    private static void WriteToolConfig(Utf8JsonWriter writer, ChatToolMode mode)
    {
        writer.WritePropertyName("toolConfig"u8);
        writer.WriteStartObject();
        writer.WritePropertyName("functionCallingConfig"u8);
        writer.WriteStartObject();
        switch (mode)
        {
            case NoneChatToolMode:
                writer.WriteString("mode"u8, "NONE"u8);
                break;
            case RequiredChatToolMode required:
                writer.WriteString("mode"u8, "ANY"u8);
                if (!string.IsNullOrEmpty(required.RequiredFunctionName))
                {
                    writer.WritePropertyName("allowedFunctionNames"u8);
                    writer.WriteStartArray();
                    writer.WriteStringValue(required.RequiredFunctionName);
                    writer.WriteEndArray();
                }

                break;
            default:
                writer.WriteString("mode"u8, "AUTO"u8);
                break;
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter writer, ChatRequest request, bool includeThoughts)
    {
        bool started = false;
        void Start()
        {
            if (!started)
            {
                writer.WritePropertyName("generationConfig"u8);
                writer.WriteStartObject();
                started = true;
            }
        }

        if (request.Temperature is { } temperature)
        {
            Start();
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (request.TopP is { } topP)
        {
            Start();
            writer.WriteNumber("topP"u8, topP);
        }

        if (request.TopK is { } topK)
        {
            Start();
            writer.WriteNumber("topK"u8, topK);
        }

        if (request.MaxOutputTokens is { } maxTokens)
        {
            Start();
            writer.WriteNumber("maxOutputTokens"u8, maxTokens);
        }

        if (request.StopSequences is { Count: > 0 } stop)
        {
            Start();
            writer.WritePropertyName("stopSequences"u8);
            writer.WriteStartArray();
            for (int i = 0; i < stop.Count; i++)
            {
                writer.WriteStringValue(stop[i]);
            }

            writer.WriteEndArray();
        }

        if (request.Seed is { } seed)
        {
            if (seed is < int.MinValue or > int.MaxValue)
            {
                throw new NotSupportedException($"Gemini's seed is a 32-bit integer; {seed} is out of range.");
            }

            Start();
            writer.WriteNumber("seed"u8, seed);
        }

        if (request.PresencePenalty is { } presence)
        {
            Start();
            writer.WriteNumber("presencePenalty"u8, presence);
        }

        if (request.FrequencyPenalty is { } frequency)
        {
            Start();
            writer.WriteNumber("frequencyPenalty"u8, frequency);
        }

        if (request.ResponseFormat is ChatResponseFormatJson json)
        {
            Start();
            writer.WriteString("responseMimeType"u8, "application/json"u8);
            if (json.Schema is { ValueKind: JsonValueKind.Object } schema)
            {
                writer.WritePropertyName("responseSchema"u8);
                WriteSchema(writer, schema);
            }
        }

        if (request.ReasoningEffort is { } effort)
        {
            Start();
            int budget = ThinkingBudget(effort);
            writer.WritePropertyName("thinkingConfig"u8);
            writer.WriteStartObject();
            writer.WriteNumber("thinkingBudget"u8, budget);
            if (includeThoughts && budget > 0)
            {
                writer.WriteBoolean("includeThoughts"u8, true);
            }

            writer.WriteEndObject();
        }

        if (started)
        {
            writer.WriteEndObject();
        }
    }

    /// <summary>Writes a JSON Schema as Gemini's OpenAPI-subset <c>Schema</c>: unsupported keywords dropped, <c>["x","null"]</c> types made nullable.</summary>
    internal static void WriteSchema(Utf8JsonWriter writer, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            schema.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in schema.EnumerateObject())
        {
            if (!SchemaKeys.Contains(property.Name))
            {
                continue;
            }

            var value = property.Value;
            switch (property.Name)
            {
                case "type" when value.ValueKind == JsonValueKind.Array:
                    string? single = null;
                    bool nullable = false;
                    foreach (var item in value.EnumerateArray())
                    {
                        var name = item.GetString();
                        if (string.Equals(name, "null", StringComparison.Ordinal))
                        {
                            nullable = true;
                        }
                        else
                        {
                            single ??= name;
                        }
                    }

                    if (single is not null)
                    {
                        writer.WriteString("type"u8, single);
                    }

                    if (nullable)
                    {
                        writer.WriteBoolean("nullable"u8, true);
                    }

                    break;

                case "properties" when value.ValueKind == JsonValueKind.Object:
                    writer.WritePropertyName("properties"u8);
                    writer.WriteStartObject();
                    foreach (var child in value.EnumerateObject())
                    {
                        writer.WritePropertyName(child.Name);
                        WriteSchema(writer, child.Value);
                    }

                    writer.WriteEndObject();
                    break;

                case "items":
                    writer.WritePropertyName("items"u8);
                    WriteSchema(writer, value);
                    break;

                case "anyOf" when value.ValueKind == JsonValueKind.Array:
                    writer.WritePropertyName("anyOf"u8);
                    writer.WriteStartArray();
                    foreach (var item in value.EnumerateArray())
                    {
                        WriteSchema(writer, item);
                    }

                    writer.WriteEndArray();
                    break;

                default:
                    writer.WritePropertyName(property.Name);
                    value.WriteTo(writer);
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
