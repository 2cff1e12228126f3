using System;
using System.Net;
using System.Text;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.Ollama.Wire;

/// <summary>
/// Reads Ollama's error body <c>{"error":"text"}</c> (a string, not an object; newer servers may add <c>"status"</c>) and maps
/// the status and text to the kind of failure. A body that is not such an object returns <see langword="null"/> (the status then
/// decides), except Ollama's plain-text <c>404 page not found</c> for a wrong path, which is a configuration error.
/// </summary>
internal static class OllamaErrorParser
{
    public static readonly ProviderErrorParser Instance = Parse;

    public static ProviderError? Parse(ReadOnlySpan<byte> body, HttpStatusCode status)
    {
        var trimmed = body.Trim(" \t\r\n"u8);
        if (trimmed.StartsWith("\uFEFF"u8))
        {
            trimmed = trimmed[3..].TrimStart(" \t\r\n"u8);
        }

        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            if (status == HttpStatusCode.NotFound && trimmed.StartsWith("404 page not found"u8))
            {
                return new ProviderError
                {
                    Kind = LlmErrorKind.InvalidRequest,
                    Message = "The endpoint does not exist on this server (404 page not found). Check that BaseUrl is Ollama's root, e.g. http://localhost:11434, without /v1 or /api.",
                };
            }

            return null;
        }

        string? message = null;
        bool found = false;
        try
        {
            var reader = new Utf8JsonReader(trimmed, Utf8JsonHelpers.ReaderOptions);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        found = true;
                        message = reader.GetString();
                    }
                    else if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        found = true;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("message"u8))
                            {
                                message = Utf8JsonHelpers.ReadString(ref reader);
                            }
                            else
                            {
                                Utf8JsonHelpers.SkipValue(ref reader);
                            }
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
        }
        catch (JsonException)
        {
            // A truncated error body: keep what was read, if anything.
        }
        catch (InvalidOperationException)
        {
        }

        if (!found)
        {
            return null;
        }

        return new ProviderError { Message = message, Kind = Classify(status, message) };
    }

    /// <summary>Parses an error line of a stream (<c>{"error":"…"}</c> with HTTP 200).</summary>
    public static ProviderError FromStreamError(string? message) =>
        new() { Message = message, Kind = Classify(HttpStatusCode.OK, message) };

    /// <summary>Maps the status and Ollama's text to the kind of failure, or <see langword="null"/> to let the status decide.</summary>
    public static LlmErrorKind? Classify(HttpStatusCode status, string? message)
    {
        if (IsModelNotFound(message) && (int)status is 404 or (>= 200 and < 300))
        {
            return LlmErrorKind.ModelNotFound;
        }

        if (Contains(message, "context length") || Contains(message, "context window") || Contains(message, "exceeds the context"))
        {
            return LlmErrorKind.ContextLengthExceeded;
        }

        if (Contains(message, "server busy") || Contains(message, "maximum pending requests"))
        {
            return LlmErrorKind.Overloaded;
        }

        if (Contains(message, "usage limit") || Contains(message, "quota"))
        {
            return LlmErrorKind.QuotaExhausted;
        }

        int s = (int)status;
        if (s is >= 200 and < 300)
        {
            // An error line inside a 200 stream: go by the text; what cannot be told is the server (the runner) failing.
            if (Contains(message, "unauthorized"))
            {
                return LlmErrorKind.Authentication;
            }

            if (Contains(message, "does not support") || Contains(message, "invalid") || Contains(message, "is required") || Contains(message, "unknown") || Contains(message, "missing"))
            {
                return LlmErrorKind.InvalidRequest;
            }

            return LlmErrorKind.ProviderUnavailable;
        }

        return null;
    }

    /// <summary>Gets whether Ollama's text says a model is not there (<c>model 'x' not found</c>, older <c>model "x" not found, try pulling it first</c>).</summary>
    public static bool IsModelNotFound(string? message) =>
        message is not null && message.Contains("model", StringComparison.OrdinalIgnoreCase) &&
        (message.Contains("not found", StringComparison.OrdinalIgnoreCase) || message.Contains("try pulling", StringComparison.OrdinalIgnoreCase));

    /// <summary>The text of a body for an exception (UTF-8, at most 4 KB).</summary>
    public static string BodyText(ReadOnlySpan<byte> body) => Encoding.UTF8.GetString(body[..Math.Min(body.Length, 4096)]);

    private static bool Contains(string? value, string part) => value is not null && value.Contains(part, StringComparison.OrdinalIgnoreCase);
}
