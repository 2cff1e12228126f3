using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.Google.Wire;

/// <summary>
/// Reads one page of <c>GET /models</c>: <c>{"models":[{"name":"models/…","displayName","inputTokenLimit","outputTokenLimit",
/// "supportedGenerationMethods":[…]}],"nextPageToken":"…"}</c>. The <c>models/</c> prefix is stripped; models that list their
/// generation methods without <c>generateContent</c> (embedding models, AQA) are left out.
/// </summary>
internal static class GeminiModelsParser
{
    public static string? Parse(ReadOnlySpan<byte> json, List<LlmModelInfo> models, out bool hasError)
    {
        hasError = false;
        string? nextPageToken = null;
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("models"u8))
            {
                ReadModels(ref reader, models);
            }
            else if (reader.ValueTextEquals("nextPageToken"u8))
            {
                nextPageToken = Utf8JsonHelpers.ReadString(ref reader);
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
        return string.IsNullOrEmpty(nextPageToken) ? null : nextPageToken;
    }

    /// <summary>Strips the <c>models/</c> prefix of a resource name.</summary>
    public static string StripPrefix(string name) => name.StartsWith("models/", StringComparison.Ordinal) ? name["models/".Length..] : name;

    private static void ReadModels(ref Utf8JsonReader reader, List<LlmModelInfo> models)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? name = null, displayName = null, description = null, version = null;
            long? inputLimit = null, outputLimit = null;
            bool listsMethods = false, generates = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    name = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("displayName"u8))
                {
                    displayName = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("description"u8))
                {
                    description = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("version"u8))
                {
                    version = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("inputTokenLimit"u8))
                {
                    inputLimit = GeminiJson.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("outputTokenLimit"u8))
                {
                    outputLimit = GeminiJson.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("supportedGenerationMethods"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        listsMethods = true;
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            generates |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("generateContent"u8);
                            reader.Skip();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            if (string.IsNullOrEmpty(name) || (listsMethods && !generates))
            {
                continue;
            }

            var id = StripPrefix(name);
            if (id.Length == 0)
            {
                continue;
            }

            var info = new LlmModelInfo(id)
            {
                DisplayName = displayName,
                OwnedBy = "google",
                ContextWindow = inputLimit is > 0 and <= int.MaxValue ? (int)inputLimit.Value : null,
                MaxOutputTokens = outputLimit is > 0 and <= int.MaxValue ? (int)outputLimit.Value : null,
            };
            if (description is not null || version is not null)
            {
                info.AdditionalProperties = [];
                if (description is not null)
                {
                    info.AdditionalProperties["description"] = description;
                }

                if (version is not null)
                {
                    info.AdditionalProperties["version"] = version;
                }
            }

            models.Add(info);
        }
    }
}
