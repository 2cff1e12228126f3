using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.Anthropic.Wire;

/// <summary>
/// Reads one page of <c>GET /v1/models</c>: <c>{"data":[{"type":"model","id","display_name","created_at"}],"has_more","first_id","last_id"}</c>
/// (<c>created_at</c> is RFC 3339). Entries without an id are skipped.
/// </summary>
internal static class AnthropicModelsParser
{
    public static void Parse(ReadOnlySpan<byte> json, List<LlmModelInfo> models, out bool hasMore, out string? lastId, out bool hasError)
    {
        hasMore = false;
        lastId = null;
        hasError = false;
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The model list is not a JSON object.");
        }

        bool hasData = false;
        string? lastSeen = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    hasData = true;
                    lastSeen = ReadModels(ref reader, models);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("has_more"u8))
            {
                reader.Read();
                hasMore = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("last_id"u8))
            {
                lastId = Utf8JsonHelpers.ReadString(ref reader);
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
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);
        if (!hasData && !hasError)
        {
            throw new JsonException("The model list has no 'data' array.");
        }

        lastId ??= lastSeen;
    }

    private static string? ReadModels(ref Utf8JsonReader reader, List<LlmModelInfo> models)
    {
        string? last = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? id = null, displayName = null, created = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    id = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("display_name"u8))
                {
                    displayName = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("created_at"u8))
                {
                    created = Utf8JsonHelpers.ReadString(ref reader);
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

            last = id;
            models.Add(new LlmModelInfo(id)
            {
                DisplayName = displayName,
                OwnedBy = "anthropic",
                CreatedAt = DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
                MaxOutputTokens = AnthropicMaxTokens.KnownFor(id),
            });
        }

        return last;
    }
}
