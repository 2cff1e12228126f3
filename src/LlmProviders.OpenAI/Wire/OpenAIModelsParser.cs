using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.OpenAI.Wire;

/// <summary>
/// Reads <c>GET /models</c>: <c>{"object":"list","data":[{"id","object","created","owned_by"}, …]}</c>, and the bare array some
/// compatible servers return (Together AI). Entries without an id are skipped.
/// </summary>
internal static class OpenAIModelsParser
{
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
                if (reader.ValueTextEquals("data"u8) || reader.ValueTextEquals("models"u8))
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
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    hasError |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
                    reader.Skip();
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
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

            string? id = null, ownedBy = null, displayName = null, name = null;
            long? created = null, contextLength = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    id = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("owned_by"u8) || reader.ValueTextEquals("organization"u8))
                {
                    ownedBy = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("created"u8) || reader.ValueTextEquals("created_at"u8))
                {
                    // Azure OpenAI's model list says created_at (Unix seconds).
                    created = Utf8JsonHelpers.ReadInt64(ref reader) ?? created;
                }
                else if (reader.ValueTextEquals("display_name"u8))
                {
                    displayName = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    // OpenRouter's human-readable name ("OpenAI: GPT-4o"); display_name wins where both are given.
                    name = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("context_length"u8) || reader.ValueTextEquals("max_model_len"u8))
                {
                    contextLength = Utf8JsonHelpers.ReadInt64(ref reader);
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

            models.Add(new LlmModelInfo(id)
            {
                OwnedBy = ownedBy,
                DisplayName = displayName ?? name,
                CreatedAt = created is > 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(created.Value) : null,
                ContextWindow = contextLength is > 0 and <= int.MaxValue ? (int)contextLength.Value : null,
            });
        }
    }
}
