using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Wire;

/// <summary>
/// Reads <c>GET /api/tags</c> (<c>{"models":[{"name","model","modified_at","size","digest","details":{…}}]}</c>),
/// <c>POST /api/show</c> (<c>model_info["&lt;arch&gt;.context_length"]</c>, <c>details</c>, <c>capabilities</c>) and
/// <c>GET /api/version</c>.
/// </summary>
internal static class OllamaModelsParser
{
    public static List<LlmModelInfo> ParseTags(ReadOnlySpan<byte> json, out bool hasError)
    {
        hasError = false;
        var models = new List<LlmModelInfo>();
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        bool hasModels = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("models"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    hasModels = true;
                    ReadModels(ref reader, models);
                }
                else
                {
                    // "models": null is an empty list (a server with nothing pulled).
                    hasModels |= reader.TokenType == JsonTokenType.Null;
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                hasError |= reader.TokenType is JsonTokenType.String or JsonTokenType.StartObject;
                reader.Skip();
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);
        if (!hasModels && !hasError)
        {
            throw new JsonException("The model list has no 'models' array.");
        }

        return models;
    }

    public static LlmModelInfo ParseShow(ReadOnlySpan<byte> json, string model, out bool hasError)
    {
        hasError = false;
        var info = new LlmModelInfo(model);
        var properties = new AdditionalPropertiesDictionary();
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        string? architecture = null;
        long? architectureContext = null, anyContext = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model_info"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                var contexts = new List<(string Key, long Value)>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("general.architecture"u8))
                    {
                        architecture = Utf8JsonHelpers.ReadString(ref reader);
                    }
                    else if (reader.GetString() is { } key && key.EndsWith(".context_length", StringComparison.Ordinal))
                    {
                        if (Utf8JsonHelpers.ReadInt64(ref reader) is { } length)
                        {
                            contexts.Add((key, length));
                        }
                    }
                    else
                    {
                        Utf8JsonHelpers.SkipValue(ref reader);
                    }
                }

                Utf8JsonHelpers.EnsureEndObject(ref reader);
                foreach (var (key, value) in contexts)
                {
                    anyContext ??= value;
                    if (architecture is not null && key.Length == architecture.Length + ".context_length".Length && key.StartsWith(architecture, StringComparison.Ordinal))
                    {
                        architectureContext = value;
                    }
                }
            }
            else if (reader.ValueTextEquals("details"u8))
            {
                ReadDetails(ref reader, properties);
            }
            else if (reader.ValueTextEquals("capabilities"u8))
            {
                properties[OllamaProvider.CapabilitiesProperty] = ReadStrings(ref reader);
            }
            else if (reader.ValueTextEquals("modified_at"u8))
            {
                info.CreatedAt = ReadTimestamp(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                hasError |= reader.TokenType is JsonTokenType.String or JsonTokenType.StartObject;
                reader.Skip();
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);
        long? context = architectureContext ?? anyContext;
        info.ContextWindow = context is > 0 and <= int.MaxValue ? (int)context.Value : null;
        info.AdditionalProperties = properties.Count == 0 ? null : properties;
        return info;
    }

    /// <summary>Reads <c>{"version":"0.5.1"}</c>; <see langword="null"/> when the object has no version.</summary>
    public static string? ParseVersion(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        string? version = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("version"u8))
            {
                version = Utf8JsonHelpers.ReadString(ref reader);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);
        return version;
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

            string? name = null, model = null;
            DateTimeOffset? modified = null;
            var properties = new AdditionalPropertiesDictionary();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    name = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    model = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("size"u8))
                {
                    if (Utf8JsonHelpers.ReadInt64(ref reader) is { } size)
                    {
                        properties[OllamaProvider.SizeProperty] = size;
                    }
                }
                else if (reader.ValueTextEquals("digest"u8))
                {
                    if (Utf8JsonHelpers.ReadString(ref reader) is { } digest)
                    {
                        properties[OllamaProvider.DigestProperty] = digest;
                    }
                }
                else if (reader.ValueTextEquals("modified_at"u8))
                {
                    modified = ReadTimestamp(ref reader);
                }
                else if (reader.ValueTextEquals("details"u8))
                {
                    ReadDetails(ref reader, properties);
                }
                else if (reader.ValueTextEquals("capabilities"u8))
                {
                    properties[OllamaProvider.CapabilitiesProperty] = ReadStrings(ref reader);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            var id = string.IsNullOrEmpty(name) ? model : name;
            if (string.IsNullOrEmpty(id))
            {
                continue;
            }

            models.Add(new LlmModelInfo(id)
            {
                CreatedAt = modified,
                AdditionalProperties = properties.Count == 0 ? null : properties,
            });
        }
    }

    private static void ReadDetails(ref Utf8JsonReader reader, AdditionalPropertiesDictionary properties)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? key = reader.ValueTextEquals("parameter_size"u8) ? OllamaProvider.ParameterSizeProperty
                : reader.ValueTextEquals("quantization_level"u8) ? OllamaProvider.QuantizationLevelProperty
                : reader.ValueTextEquals("family"u8) ? OllamaProvider.FamilyProperty
                : reader.ValueTextEquals("format"u8) ? OllamaProvider.FormatProperty
                : null;
            if (key is null)
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
            else if (Utf8JsonHelpers.ReadString(ref reader) is { Length: > 0 } value)
            {
                properties[key] = value;
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    private static string[] ReadStrings(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } value)
            {
                values.Add(value);
            }
            else
            {
                reader.Skip();
            }
        }

        return [.. values];
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            return OllamaJson.ParseTimestamp(reader.ValueSpan);
        }

        reader.Skip();
        return null;
    }
}
