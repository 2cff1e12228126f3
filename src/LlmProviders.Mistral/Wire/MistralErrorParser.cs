using System;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LlmProviders.Http;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.Mistral.Wire;

/// <summary>
/// Reads Mistral's error bodies, which come in several shapes: <c>{"message":"Unauthorized","request_id"}</c>,
/// <c>{"detail":"Unauthorized"}</c>, <c>{"detail":"Not Found"}</c> (no such URL), the envelope
/// <c>{"object":"error","message":…,"type","param","code"}</c> whose <c>message</c> is a string, an object
/// <c>{"detail":[{"type","loc","msg","input"}]}</c> (pydantic validation, 422) or that object JSON-encoded in a string (legacy,
/// code <c>"1000"</c>), and OpenAI's <c>{"error":{…}}</c> from proxies. Validation details become one message naming each
/// rejected field. Returns <see langword="null"/> for a body that is not such an object (an HTML page): the status then decides.
/// </summary>
internal static class MistralErrorParser
{
    public static readonly ProviderErrorParser Instance = Parse;

    private const string NotFoundAdvice = "no such endpoint; check the base URL (https://api.mistral.ai/v1, or https://codestral.mistral.ai/v1 for Codestral keys)";

    public static ProviderError? Parse(ReadOnlySpan<byte> body, HttpStatusCode status)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.StartsWith("\uFEFF"u8))
        {
            trimmed = trimmed[3..].TrimStart(" \t\r\n"u8);
        }

        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            return null;
        }

        var state = default(State);
        try
        {
            var reader = new Utf8JsonReader(trimmed, Utf8JsonHelpers.ReaderOptions);
            reader.Read();
            ReadRoot(ref reader, ref state);
        }
        catch (JsonException)
        {
            // A truncated error body: keep what was read, if anything.
        }
        catch (InvalidOperationException)
        {
        }

        if (!state.Found)
        {
            return null;
        }

        string? message = state.Message;
        bool bareNotFound = string.Equals(message, "Not Found", StringComparison.OrdinalIgnoreCase) && !state.HasDetails && state.Type is null;
        if (bareNotFound)
        {
            message = message + ": " + NotFoundAdvice;
        }

        return new ProviderError
        {
            Message = message,
            Type = state.Type,
            Code = state.Code,
            Kind = Classify(status, state.Code, state.Type, state.Message, bareNotFound, state.HasDetails),
        };
    }

    /// <summary>Maps Mistral's code, type and message to the kind of failure, or <see langword="null"/> to let the status decide.</summary>
    internal static LlmErrorKind? Classify(HttpStatusCode status, string? code, string? type, string? message, bool bareNotFound, bool hasDetails)
    {
        if (Is(type, "rate_limited") || Is(code, "1300"))
        {
            return LlmErrorKind.RateLimited;
        }

        if (Is(type, "service_tier_capacity_exceeded") || Is(code, "3505") || Contains(message, "capacity exceeded"))
        {
            // The service has no room for this tier right now: an overload, not the caller's rate limit.
            return LlmErrorKind.Overloaded;
        }

        if (Is(type, "invalid_model") || Is(code, "1500") || Contains(message, "invalid model"))
        {
            return LlmErrorKind.ModelNotFound;
        }

        if (Contains(message, "maximum context length") || Contains(message, "too large for model"))
        {
            return LlmErrorKind.ContextLengthExceeded;
        }

        int s = (int)status;
        if (s == 404)
        {
            // {"detail":"Not Found"} is FastAPI's answer for a path that does not exist, not for a model.
            return bareNotFound ? LlmErrorKind.InvalidRequest
                : Contains(message, "model") ? LlmErrorKind.ModelNotFound
                : null;
        }

        if (hasDetails && s is >= 400 and < 500 && s != 401 && s != 403 && s != 429)
        {
            return LlmErrorKind.InvalidRequest;
        }

        return OpenAIErrorParser.Classify(status, code, type, message);
    }

    private static void ReadRoot(ref Utf8JsonReader reader, ref State state)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("detail"u8))
            {
                ReadMessage(ref reader, ref state);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    // OpenAI's envelope (a proxy in front of Mistral): the same fields, one level down.
                    ReadRoot(ref reader, ref state);
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    state.Found = true;
                    state.Message ??= reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                state.Type ??= ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                state.Code ??= ReadScalar(ref reader);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }
    }

    // "message" or "detail": a string (maybe a JSON-encoded object), an object {"detail": …}, or an array of validation details.
    private static void ReadMessage(ref Utf8JsonReader reader, ref State state)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = reader.GetString();
                state.Found = true;
                if (text is not null && text.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal) && TryReadEncoded(text, ref state))
                {
                    return;
                }

                state.Message ??= text;
                break;
            case JsonTokenType.StartObject:
                state.Found = true;
                ReadRoot(ref reader, ref state);
                break;
            case JsonTokenType.StartArray:
                state.Found = true;
                var described = DescribeDetails(ref reader);
                if (described is not null)
                {
                    state.HasDetails = true;
                    state.Message ??= described;
                }

                break;
            default:
                reader.Skip();
                break;
        }
    }

    // Legacy: "message":"{\"detail\":[…]}".
    private static bool TryReadEncoded(string text, ref State state)
    {
        var inner = default(State);
        try
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var reader = new Utf8JsonReader(bytes, Utf8JsonHelpers.ReaderOptions);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            ReadRoot(ref reader, ref inner);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        if (inner.Message is null)
        {
            return false;
        }

        state.Message ??= inner.Message;
        state.HasDetails |= inner.HasDetails;
        state.Type ??= inner.Type;
        state.Code ??= inner.Code;
        return true;
    }

    // [{"type":"extra_forbidden","loc":["body","stream_options","include_usage"],"msg":"Extra inputs are not permitted","input":true}]
    private static string? DescribeDetails(ref Utf8JsonReader reader)
    {
        StringBuilder? text = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                Append(ref text, reader.GetString());
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? msg = null, type = null, location = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("msg"u8))
                {
                    msg = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    type = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("loc"u8))
                {
                    location = ReadLocation(ref reader);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            string entry = string.Equals(type, "extra_forbidden", StringComparison.Ordinal) && location is not null
                ? $"Mistral does not accept the field '{location}' ({msg ?? "extra inputs are not permitted"})"
                : location is not null ? $"'{location}': {msg ?? type ?? "invalid"}" : msg ?? type ?? string.Empty;
            Append(ref text, entry);
        }

        return text?.ToString();

        static void Append(ref StringBuilder? text, string? entry)
        {
            if (string.IsNullOrEmpty(entry))
            {
                return;
            }

            if (text is null)
            {
                text = new StringBuilder(entry);
            }
            else
            {
                text.Append("; ").Append(entry);
            }
        }
    }

    // ["body","stream_options","include_usage"] → "stream_options.include_usage"; ["body","messages",0,"content"] → "messages[0].content".
    private static string? ReadLocation(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var path = new StringBuilder();
        bool first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                var part = reader.GetString();
                if (first && string.Equals(part, "body", StringComparison.Ordinal))
                {
                    first = false;
                    continue;
                }

                if (path.Length > 0)
                {
                    path.Append('.');
                }

                path.Append(part);
            }
            else if (reader.TokenType == JsonTokenType.Number)
            {
                path.Append('[').Append(reader.TryGetInt64(out long n) ? n.ToString(CultureInfo.InvariantCulture) : "?").Append(']');
            }
            else
            {
                reader.Skip();
            }

            first = false;
        }

        return path.Length == 0 ? null : path.ToString();
    }

    // A string, a number or null.
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

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static bool Contains(string? value, string part) => value is not null && value.Contains(part, StringComparison.OrdinalIgnoreCase);

    private struct State
    {
        public bool Found;
        public bool HasDetails;
        public string? Message;
        public string? Type;
        public string? Code;
    }
}
