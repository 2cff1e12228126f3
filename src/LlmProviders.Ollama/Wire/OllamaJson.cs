using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static LlmProviders.Http.Utf8JsonHelpers;

namespace LlmProviders.Ollama.Wire;

/// <summary>Small <see cref="Utf8JsonReader"/> helpers shared by the Ollama parsers: lenient about types, strict about syntax.</summary>
internal static class OllamaJson
{
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
}
