using System;
using System.Globalization;
using System.Net;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.OpenAI.Wire;

/// <summary>
/// Reads OpenAI's error envelope <c>{"error":{"message","type","param","code"}}</c> (code a string, a number or null), and the
/// shapes OpenAI-compatible servers use (<c>"error":"text"</c>, vLLM's flat <c>{"object":"error","message",…}</c>), and maps
/// the code, type and message to the kind of failure. Returns <see langword="null"/> for a body that is not such an object
/// (an HTML page from a gateway): the status then decides.
/// </summary>
internal static class OpenAIErrorParser
{
    public static readonly ProviderErrorParser Instance = Parse;

    public static ProviderError? Parse(ReadOnlySpan<byte> body, HttpStatusCode status)
    {
        if (!LooksLikeJsonObject(body))
        {
            return null;
        }

        string? message = null, type = null, code = null;
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
                        ReadErrorObject(ref reader, ref message, ref type, ref code);
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        found = true;
                        message ??= reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    // vLLM's legacy flat shape, Mistral's {"message": …}.
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        found = true;
                        message ??= reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    type ??= ReadScalar(ref reader);
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    code ??= ReadScalar(ref reader);
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

        return new ProviderError
        {
            Message = message,
            Type = type,
            Code = code,
            Kind = Classify(status, code, type, message),
        };
    }

    /// <summary>Maps OpenAI's error code, type and message to the kind of failure, or <see langword="null"/> to let the status decide.</summary>
    public static LlmErrorKind? Classify(HttpStatusCode status, string? code, string? type, string? message)
    {
        if (Is(code, "context_length_exceeded") || Is(type, "context_length_exceeded") || Contains(message, "maximum context length") || Contains(message, "context window"))
        {
            return LlmErrorKind.ContextLengthExceeded;
        }

        if (Is(code, "content_filter") || Is(code, "content_policy_violation") || Is(type, "content_filter") || Is(type, "content_policy_violation"))
        {
            return LlmErrorKind.ContentFiltered;
        }

        if (Is(code, "insufficient_quota") || Is(type, "insufficient_quota") || Is(code, "billing_hard_limit_reached"))
        {
            return LlmErrorKind.QuotaExhausted;
        }

        if (Is(code, "rate_limit_exceeded") || Is(type, "rate_limit_exceeded") || Is(type, "rate_limit_error"))
        {
            return LlmErrorKind.RateLimited;
        }

        if (Is(code, "model_not_found") || Is(code, "model_not_available") || Is(code, "DeploymentNotFound"))
        {
            return LlmErrorKind.ModelNotFound;
        }

        if (Is(code, "invalid_api_key") || Is(type, "authentication_error"))
        {
            return LlmErrorKind.Authentication;
        }

        int s = (int)status;
        if (s == 404 && Contains(message, "Invalid URL"))
        {
            // A wrong base URL or path, not a missing model.
            return LlmErrorKind.InvalidRequest;
        }

        if (s is 500 or 502 or 503 && Contains(message, "overloaded"))
        {
            return LlmErrorKind.Overloaded;
        }

        if (s is >= 200 and < 300)
        {
            // An error object inside a 200 (a body, or a stream event): go by the code when it is an HTTP status (OpenRouter,
            // vLLM, LocalAI), else by the type; what cannot be told is the server failing.
            if (int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int codeStatus) && codeStatus is >= 400 and < 600)
            {
                return LlmErrorFactory.KindFromStatus((HttpStatusCode)codeStatus);
            }

            if (Is(type, "invalid_request_error"))
            {
                return LlmErrorKind.InvalidRequest;
            }

            if (Is(type, "tokens") || Is(type, "requests"))
            {
                return LlmErrorKind.RateLimited;
            }

            return Contains(message, "overloaded") ? LlmErrorKind.Overloaded : LlmErrorKind.ProviderUnavailable;
        }

        return null;
    }

    private static void ReadErrorObject(ref Utf8JsonReader reader, ref string? message, ref string? type, ref string? code)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : message;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                type = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                code = ReadScalar(ref reader);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }
    }

    // A string, a number (OpenRouter and vLLM send numeric codes) or null.
    private static string? ReadScalar(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.TryGetInt64(out long n) ? n.ToString(CultureInfo.InvariantCulture) : null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static bool LooksLikeJsonObject(ReadOnlySpan<byte> body)
    {
        body = body.TrimStart(" \t\r\n"u8);
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..].TrimStart(" \t\r\n"u8);
        }

        return !body.IsEmpty && body[0] == (byte)'{';
    }

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static bool Contains(string? value, string part) => value is not null && value.Contains(part, StringComparison.OrdinalIgnoreCase);
}
