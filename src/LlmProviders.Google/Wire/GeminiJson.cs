using System;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static LlmProviders.Http.Utf8JsonHelpers;

namespace LlmProviders.Google.Wire;

/// <summary>Small <see cref="Utf8JsonReader"/> helpers shared by the Gemini parsers: lenient about types, strict about syntax.</summary>
internal static class GeminiJson
{
    /// <summary>Reads an integer value (a number, or a string of digits as proto3 JSON writes int64), or <see langword="null"/>.</summary>
    public static long? ReadInt64(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt64(out long value) ? value : null;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.TryGetInt64(out long fromString) ? fromString : null;
        }

        reader.Skip();
        return null;
    }

    /// <summary>
    /// Reads <c>usageMetadata</c> (the reader is on the property name) into the <see cref="UsageDetails"/> convention: input is
    /// <c>promptTokenCount</c> (cached content included), output is <c>candidatesTokenCount</c> + <c>thoughtsTokenCount</c>
    /// (reasoning included), reasoning is <c>thoughtsTokenCount</c>, cached input is <c>cachedContentTokenCount</c>.
    /// </summary>
    public static UsageDetails? ReadUsage(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? prompt = null, candidates = null, thoughts = null, cached = null, total = null, toolUse = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("promptTokenCount"u8))
            {
                prompt = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("candidatesTokenCount"u8))
            {
                candidates = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("thoughtsTokenCount"u8))
            {
                thoughts = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("cachedContentTokenCount"u8))
            {
                cached = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("totalTokenCount"u8))
            {
                total = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("toolUsePromptTokenCount"u8))
            {
                toolUse = ReadInt64(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        EnsureEndObject(ref reader);
        long? output = candidates is null && thoughts is null ? null : (candidates ?? 0) + (thoughts ?? 0);
        return new UsageDetails
        {
            InputTokenCount = prompt,
            OutputTokenCount = output,
            TotalTokenCount = total ?? (prompt is null && output is null ? null : (prompt ?? 0) + (output ?? 0) + (toolUse ?? 0)),
            CachedInputTokenCount = cached,
            ReasoningTokenCount = thoughts,
        };
    }

    /// <summary>
    /// Maps a candidate's <c>finishReason</c> (the reader is on the string): <c>STOP</c> → stop, <c>MAX_TOKENS</c> → length, the
    /// safety family (<c>SAFETY</c>, <c>RECITATION</c>, <c>PROHIBITED_CONTENT</c>, <c>BLOCKLIST</c>, <c>SPII</c>, <c>IMAGE_SAFETY</c>)
    /// → content filter; anything else (<c>MALFORMED_FUNCTION_CALL</c>, <c>OTHER</c>, …) keeps the raw value.
    /// </summary>
    public static ChatFinishReason? MapFinishReason(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (reader.ValueTextEquals("STOP"u8))
        {
            return ChatFinishReason.Stop;
        }

        if (reader.ValueTextEquals("MAX_TOKENS"u8))
        {
            return ChatFinishReason.Length;
        }

        if (reader.ValueTextEquals("SAFETY"u8) || reader.ValueTextEquals("RECITATION"u8) || reader.ValueTextEquals("PROHIBITED_CONTENT"u8) ||
            reader.ValueTextEquals("BLOCKLIST"u8) || reader.ValueTextEquals("SPII"u8) || reader.ValueTextEquals("IMAGE_SAFETY"u8))
        {
            return ChatFinishReason.ContentFilter;
        }

        var raw = reader.GetString();
        return string.IsNullOrWhiteSpace(raw) || string.Equals(raw, "FINISH_REASON_UNSPECIFIED", StringComparison.Ordinal) ? null : new ChatFinishReason(raw);
    }
}
