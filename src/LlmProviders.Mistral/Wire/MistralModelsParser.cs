using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Mistral.Wire;

/// <summary>
/// Reads Mistral's <c>GET /models</c>: <c>{"object":"list","data":[{"id","created","owned_by","name","description",
/// "max_context_length","aliases","deprecation","type","capabilities":{"completion_chat","function_calling","vision",…}}]}</c>.
/// The context window comes from <c>max_context_length</c>; the capabilities go to <see cref="LlmModelInfo.AdditionalProperties"/>
/// as <see cref="CapabilitiesKey"/> (<see cref="LlmCapabilities"/>) and <see cref="RawCapabilitiesKey"/> (the names Mistral set to
/// true, including those without a <see cref="LlmCapabilities"/> flag such as <c>completion_fim</c>). Entries without an id are skipped.
/// </summary>
internal static class MistralModelsParser
{
    /// <summary>The additional property holding the model's <see cref="LlmCapabilities"/>.</summary>
    public const string CapabilitiesKey = "capabilities";

    /// <summary>The additional property holding the names of the capabilities Mistral reports as true (<c>string[]</c>).</summary>
    public const string RawCapabilitiesKey = "mistral_capabilities";

    public static List<LlmModelInfo> Parse(ReadOnlySpan<byte> json, out bool hasError)
    {
        hasError = false;
        var models = new List<LlmModelInfo>();
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read())
        {
            throw new JsonException("The body is empty.");
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            ReadModels(ref reader, models);
        }
        else if (reader.TokenType == JsonTokenType.StartObject)
        {
            bool hasData = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        hasData = true;
                        ReadModels(ref reader, models);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("error"u8) || reader.ValueTextEquals("detail"u8) || reader.ValueTextEquals("message"u8))
                {
                    // {"error":…}, {"detail":"Unauthorized"}, {"object":"error","message":…} inside a 200.
                    reader.Read();
                    hasError |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String or JsonTokenType.StartArray;
                    reader.Skip();
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            hasError &= !hasData;
            if (!hasData && !hasError)
            {
                throw new JsonException("The model list has no 'data' array.");
            }
        }
        else
        {
            throw new JsonException("The body is not a JSON object or array.");
        }

        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);
        return models;
    }

    private static void ReadModels(ref Utf8JsonReader reader, List<LlmModelInfo> models)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? id = null, ownedBy = null, name = null, description = null, type = null, deprecation = null;
            long? created = null, contextLength = null;
            double? temperature = null;
            List<string>? aliases = null;
            List<string>? raw = null;
            var capabilities = LlmCapabilities.None;
            bool hasCapabilities = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    id = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("owned_by"u8))
                {
                    ownedBy = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("created"u8))
                {
                    created = Utf8JsonHelpers.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    name = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("description"u8))
                {
                    description = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    type = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("deprecation"u8))
                {
                    deprecation = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("max_context_length"u8))
                {
                    contextLength = Utf8JsonHelpers.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("default_model_temperature"u8))
                {
                    reader.Read();
                    temperature = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double t) ? t : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("aliases"u8))
                {
                    aliases = ReadStrings(ref reader);
                }
                else if (reader.ValueTextEquals("capabilities"u8))
                {
                    hasCapabilities = ReadCapabilities(ref reader, ref capabilities, ref raw);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            if (string.IsNullOrEmpty(id))
            {
                continue;
            }

            var extra = new AdditionalPropertiesDictionary();
            if (hasCapabilities)
            {
                extra[CapabilitiesKey] = capabilities;
                extra[RawCapabilitiesKey] = raw is null ? Array.Empty<string>() : raw.ToArray();
            }

            if (!string.IsNullOrEmpty(description))
            {
                extra["description"] = description;
            }

            if (aliases is { Count: > 0 })
            {
                extra["aliases"] = aliases.ToArray();
            }

            if (!string.IsNullOrEmpty(type))
            {
                extra["type"] = type;
            }

            if (!string.IsNullOrEmpty(deprecation))
            {
                extra["deprecation"] = deprecation;
            }

            if (temperature is { } value)
            {
                extra["default_model_temperature"] = value;
            }

            models.Add(new LlmModelInfo(id)
            {
                OwnedBy = ownedBy,
                DisplayName = string.IsNullOrEmpty(name) ? null : name,
                CreatedAt = created is > 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(created.Value) : null,
                ContextWindow = contextLength is > 0 and <= int.MaxValue ? (int)contextLength.Value : null,
                AdditionalProperties = extra.Count == 0 ? null : extra,
            });
        }
    }

    // {"completion_chat":true,"completion_fim":false,"function_calling":true,"fine_tuning":true,"vision":true,"classification":false}
    private static bool ReadCapabilities(ref Utf8JsonReader reader, ref LlmCapabilities capabilities, ref List<string>? raw)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (!Utf8JsonHelpers.ReadBoolean(ref reader))
            {
                continue;
            }

            (raw ??= []).Add(key);
            capabilities |= key switch
            {
                "completion_chat" => LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.JsonMode,
                "function_calling" => LlmCapabilities.Tools | LlmCapabilities.ParallelToolCalls,
                "vision" => LlmCapabilities.Vision,
                "reasoning" => LlmCapabilities.Reasoning,
                _ => LlmCapabilities.None,
            };
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        return true;
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } value)
            {
                list.Add(value);
            }
            else
            {
                reader.Skip();
            }
        }

        return list;
    }
}
