using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Wire;

/// <summary>Small <see cref="Utf8JsonReader"/> helpers shared by the Ollama parsers: lenient about types, strict about syntax.</summary>
internal static class OllamaJson
{
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>Reads a string value, or <see langword="null"/> for <c>null</c> or any other type (which is skipped).</summary>
    public static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>Reads a string value, reusing <paramref name="cached"/> when the text is the same (model names repeat on every line).</summary>
    public static string? ReadStringCached(ref Utf8JsonReader reader, string? cached)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            if (cached is not null && reader.ValueTextEquals(cached))
            {
                return cached;
            }

            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>Reads an integer value, or <see langword="null"/> for <c>null</c>, a fraction, or any other type.</summary>
    public static long? ReadInt64(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt64(out long value) ? value : null;
        }

        reader.Skip();
        return null;
    }

    /// <summary>Reads a boolean value; anything else is <see langword="false"/>.</summary>
    public static bool ReadBoolean(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
        {
            return reader.GetBoolean();
        }

        reader.Skip();
        return false;
    }

    /// <summary>Reads the value of the current property and ignores it (objects and arrays included).</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>Reads the raw JSON text of the next value (tool arguments arrive as objects); a string value gives its text.</summary>
    public static string ReadRawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() ?? string.Empty;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return string.Empty;
        }

        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        int end = (int)reader.BytesConsumed;
        return Encoding.UTF8.GetString(json[start..end]);
    }

    /// <summary>Throws unless the reader stopped on the end of an object (a property loop ended on something else).</summary>
    public static void EnsureEndObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException($"Expected the end of an object at byte {reader.TokenStartIndex}.");
        }
    }

    /// <summary>Throws unless nothing but white space follows the root value.</summary>
    public static void EnsureEndOfDocument(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException($"Unexpected content after the JSON document at byte {reader.TokenStartIndex}.");
        }
    }

    /// <summary>Maps Ollama's <c>done_reason</c>: <c>stop</c> and <c>length</c> to the known reasons; <c>load</c>, <c>unload</c> and anything else keep the raw value.</summary>
    public static ChatFinishReason? MapDoneReason(string? raw) => raw switch
    {
        null or "" => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        _ => new ChatFinishReason(raw),
    };

    /// <summary>
    /// Parses Ollama's timestamps tolerantly: nanosecond precision (more fractional digits than .NET's 7) and local offsets
    /// (<c>-07:00</c>). Returns <see langword="null"/> for anything unreadable (a timestamp never fails a call).
    /// </summary>
    public static DateTimeOffset? ParseTimestamp(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty || utf8.Length > 64)
        {
            return null;
        }

        Span<char> text = stackalloc char[utf8.Length];
        int length = 0;
        bool inFraction = false;
        int digits = 0;
        foreach (byte b in utf8)
        {
            char c = (char)b;
            if (b > 127)
            {
                return null;
            }

            if (inFraction)
            {
                if (char.IsAsciiDigit(c))
                {
                    if (++digits > 7)
                    {
                        continue;
                    }
                }
                else
                {
                    inFraction = false;
                }
            }
            else if (c == '.')
            {
                inFraction = true;
                digits = 0;
            }

            text[length++] = c;
        }

        return DateTimeOffset.TryParse(text[..length], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }

    /// <summary>Converts a duration in nanoseconds (Ollama's metrics) to a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan FromNanoseconds(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);

    /// <summary>Adds a piece of text to a lazily created builder, keeping a single piece as it is.</summary>
    public static void Append(ref string? single, ref StringBuilder? builder, string? piece)
    {
        if (string.IsNullOrEmpty(piece))
        {
            return;
        }

        if (builder is not null)
        {
            builder.Append(piece);
        }
        else if (single is null)
        {
            single = piece;
        }
        else
        {
            builder = new StringBuilder(single).Append(piece);
            single = null;
        }
    }

    /// <summary>Gets what <see cref="Append"/> collected.</summary>
    public static string? Collected(string? single, StringBuilder? builder) => builder?.ToString() ?? single;
}
