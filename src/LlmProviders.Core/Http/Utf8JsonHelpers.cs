using System;
using System.Text;
using System.Text.Json;

namespace LlmProviders.Http;

/// <summary>
/// Small <see cref="Utf8JsonReader"/> helpers for hand-written response parsers: lenient about types (a value of an unexpected
/// type reads as <see langword="null"/> and is skipped), strict about syntax (a malformed document still throws <see cref="JsonException"/>).
/// </summary>
/// <remarks>
/// The <c>Read…</c> methods expect the reader on a property name and leave it on the last token of the property's value,
/// so they fit a loop of the form <c>while (reader.Read() &amp;&amp; reader.TokenType == JsonTokenType.PropertyName)</c>, which
/// ends with <see cref="EnsureEndObject"/>.
/// </remarks>
public static class Utf8JsonHelpers
{
    /// <summary>Gets the reader options of response parsers: the default syntax (no comments, no trailing commas), depth up to 256.</summary>
    public static JsonReaderOptions ReaderOptions { get; } = new() { MaxDepth = 256 };

    /// <summary>Reads a string value, or <see langword="null"/> for <c>null</c> or any other type (which is skipped).</summary>
    /// <param name="reader">The reader, on a property name.</param>
    /// <returns>The string, or <see langword="null"/>.</returns>
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

    /// <summary>Reads a string value, reusing <paramref name="cached"/> when the text is the same (model ids repeat on every call).</summary>
    /// <param name="reader">The reader, on a property name.</param>
    /// <param name="cached">The string read last time, or <see langword="null"/>.</param>
    /// <returns><paramref name="cached"/> when equal, else a new string; <see langword="null"/> for <c>null</c> or any other type.</returns>
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

    /// <summary>Reads an integer value, or <see langword="null"/> for <c>null</c>, a fraction, an out-of-range number, or any other type.</summary>
    /// <param name="reader">The reader, on a property name.</param>
    /// <returns>The integer, or <see langword="null"/>.</returns>
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
    /// <param name="reader">The reader, on a property name.</param>
    /// <returns>The boolean, or <see langword="false"/>.</returns>
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
    /// <param name="reader">The reader, on a property name.</param>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>
    /// Reads the raw JSON text of the next value (tool arguments sent as objects rather than strings); a string value gives its
    /// unescaped text and <c>null</c> gives the empty string.
    /// </summary>
    /// <param name="reader">The reader, on a property name; it must read the whole of <paramref name="json"/> from its start.</param>
    /// <param name="json">The document the reader reads.</param>
    /// <returns>The value's text.</returns>
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

    /// <summary>Reads an object value and returns its integer property <paramref name="name"/> (e.g. <c>{"cached_tokens": 5}</c>), skipping the rest.</summary>
    /// <param name="reader">The reader, on a property name.</param>
    /// <param name="name">The UTF-8 name of the integer property.</param>
    /// <returns>The integer, or <see langword="null"/> when the value is not an object, lacks the property, or it is not an integer.</returns>
    public static long? ReadNestedInt64(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                value = ReadInt64(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        EnsureEndObject(ref reader);
        return value;
    }

    /// <summary>Throws unless the reader stopped on the end of an object (a property loop ended on something else).</summary>
    /// <param name="reader">The reader, after a property loop.</param>
    /// <exception cref="JsonException">The reader is not on the end of an object.</exception>
    public static void EnsureEndObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException($"Expected the end of an object at byte {reader.TokenStartIndex}.");
        }
    }

    /// <summary>Throws unless nothing but white space follows the root value.</summary>
    /// <param name="reader">The reader, on the last token of the root value.</param>
    /// <exception cref="JsonException">More content follows.</exception>
    public static void EnsureEndOfDocument(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException($"Unexpected content after the JSON document at byte {reader.TokenStartIndex}.");
        }
    }

    /// <summary>Removes a leading UTF-8 byte order mark (<see cref="Utf8JsonReader"/> rejects it).</summary>
    /// <param name="body">A response body.</param>
    /// <returns><paramref name="body"/> without its byte order mark.</returns>
    public static ReadOnlySpan<byte> StripBom(ReadOnlySpan<byte> body) => body.StartsWith("\uFEFF"u8) ? body[3..] : body;
}
