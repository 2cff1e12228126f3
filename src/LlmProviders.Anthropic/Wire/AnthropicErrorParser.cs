using System;
using System.Net;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.Anthropic.Wire;

/// <summary>
/// Reads Anthropic's error envelope <c>{"type":"error","error":{"type","message"},"request_id"}</c> (also as the data of a
/// mid-stream <c>event: error</c>) and maps <c>error.type</c> and the message to the kind of failure. Returns
/// <see langword="null"/> for a body that is not such an object (an HTML page from a gateway): the status then decides.
/// </summary>
internal static class AnthropicErrorParser
{
    public static readonly ProviderErrorParser Instance = Parse;

    public static ProviderError? Parse(ReadOnlySpan<byte> body, HttpStatusCode status)
    {
        body = body.TrimStart(" \t\r\n"u8);
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (body.IsEmpty || body[0] != (byte)'{')
        {
            return null;
        }

        string? message = null, type = null;
        bool found = false;
        try
        {
            var reader = new Utf8JsonReader(body, Utf8JsonHelpers.ReaderOptions);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        found = true;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("type"u8))
                            {
                                type = Utf8JsonHelpers.ReadString(ref reader);
                            }
                            else if (reader.ValueTextEquals("message"u8))
                            {
                                message = Utf8JsonHelpers.ReadString(ref reader);
                            }
                            else
                            {
                                Utf8JsonHelpers.SkipValue(ref reader);
                            }
                        }
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        found = true;
                        message = reader.GetString();
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

        return new ProviderError { Message = message, Type = type, Kind = Classify(status, type, message) };
    }

    /// <summary>Maps <c>error.type</c> (and a few messages) to the kind of failure, or <see langword="null"/> to let the status decide.</summary>
    public static LlmErrorKind? Classify(HttpStatusCode status, string? type, string? message)
    {
        int s = (int)status;
        if (Contains(message, "prompt is too long") || Contains(message, "context window") || Contains(message, "context length"))
        {
            return LlmErrorKind.ContextLengthExceeded;
        }

        if (Contains(message, "credit balance") || Is(type, "billing_error"))
        {
            return LlmErrorKind.QuotaExhausted;
        }

        switch (type)
        {
            case "authentication_error":
                return LlmErrorKind.Authentication;
            case "permission_error":
                return LlmErrorKind.PermissionDenied;
            case "not_found_error":
                return LlmErrorKind.ModelNotFound;
            case "rate_limit_error":
                return LlmErrorKind.RateLimited;
            case "overloaded_error":
                return LlmErrorKind.Overloaded;
            case "request_too_large":
                return LlmErrorKind.ContextLengthExceeded;
            case "timeout_error":
                return LlmErrorKind.Timeout;
            case "invalid_request_error" when s is 400 or (>= 200 and < 300):
                return LlmErrorKind.InvalidRequest;
            default:
                // api_error and unknown types: the status decides (500 unavailable, 504 timeout); inside a 200 stream, the server failed.
                return s is >= 200 and < 300 ? LlmErrorKind.ProviderUnavailable : null;
        }
    }

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static bool Contains(string? value, string part) => value is not null && value.Contains(part, StringComparison.OrdinalIgnoreCase);
}
