using System;
using System.Net;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.Google.Wire;

/// <summary>
/// Reads Google's RPC error envelope <c>{"error":{"code","message","status","details":[…]}}</c> (also as the first element of a
/// JSON array, as the non-SSE stream sends it) and maps it to the kind of failure: an invalid key (<c>API_KEY_INVALID</c>, a 400)
/// is an authentication failure, <c>RetryInfo.retryDelay</c> (<c>"34.4s"</c>) becomes the retry hint, a daily or zero quota is
/// an exhausted quota, a prompt over the token limit is a context-length error, a 503 "overloaded" is an overload. Returns
/// <see langword="null"/> for a body that is not such an object (an HTML page from a gateway): the status then decides.
/// </summary>
internal static class GeminiErrorParser
{
    public static readonly ProviderErrorParser Instance = Parse;

    public static ProviderError? Parse(ReadOnlySpan<byte> body, HttpStatusCode status)
    {
        body = body.TrimStart(" \t\r\n"u8);
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..].TrimStart(" \t\r\n"u8);
        }

        if (body.IsEmpty || (body[0] != (byte)'{' && body[0] != (byte)'['))
        {
            return null;
        }

        var info = default(ErrorInfo);
        try
        {
            var reader = new Utf8JsonReader(body, Utf8JsonHelpers.ReaderOptions);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Read();
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        info.Found = true;
                        ReadError(ref reader, ref info);
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        info.Found = true;
                        info.Message ??= reader.GetString();
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

        if (!info.Found)
        {
            return null;
        }

        TimeSpan? retryAfter = null;
        if (info.RetryDelay is { } delay && RetryAfterParser.TryParseDuration(delay, out var wait))
        {
            retryAfter = wait;
        }

        return new ProviderError
        {
            Message = info.Message,
            Code = info.Reason ?? info.Status,
            Type = info.Status,
            RetryAfter = retryAfter,
            Kind = Classify(status, info.Code, info.Status, info.Reason, info.Message, info.DailyQuota),
        };
    }

    /// <summary>Maps Google's status, reason and message to the kind of failure, or <see langword="null"/> to let the HTTP status decide.</summary>
    public static LlmErrorKind? Classify(HttpStatusCode status, long? code, string? rpcStatus, string? reason, string? message, bool dailyQuota)
    {
        if (Is(reason, "API_KEY_INVALID") || Is(reason, "API_KEY_EXPIRED") || Contains(message, "API key not valid") ||
            Contains(message, "API key expired") || Is(rpcStatus, "UNAUTHENTICATED") ||
            (Is(rpcStatus, "PERMISSION_DENIED") && Contains(message, "unregistered callers")))
        {
            return LlmErrorKind.Authentication;
        }

        if (Contains(message, "exceeds the maximum number of tokens") || Contains(message, "input token count") && Contains(message, "exceeds"))
        {
            return LlmErrorKind.ContextLengthExceeded;
        }

        if (Is(rpcStatus, "RESOURCE_EXHAUSTED") || (int)status == 429)
        {
            // A per-day quota (or a limit of 0: the tier has no access) does not come back within a retry; prepaid credit neither.
            return dailyQuota || Contains(message, "limit: 0") || Contains(message, "credits are depleted")
                ? LlmErrorKind.QuotaExhausted
                : LlmErrorKind.RateLimited;
        }

        if (Is(rpcStatus, "PERMISSION_DENIED"))
        {
            return LlmErrorKind.PermissionDenied;
        }

        if (Is(rpcStatus, "NOT_FOUND"))
        {
            return LlmErrorKind.ModelNotFound;
        }

        if (Is(rpcStatus, "UNAVAILABLE") && Contains(message, "overloaded"))
        {
            return LlmErrorKind.Overloaded;
        }

        int s = (int)status;
        if (s is >= 200 and < 300)
        {
            // An error inside a 200 (a stream that failed after it started): the envelope's code, else its status, decides.
            if (code is >= 400 and < 600)
            {
                return LlmErrorFactory.KindFromStatus((HttpStatusCode)(int)code.Value);
            }

            return rpcStatus switch
            {
                "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "OUT_OF_RANGE" => LlmErrorKind.InvalidRequest,
                "DEADLINE_EXCEEDED" => LlmErrorKind.Timeout,
                _ => LlmErrorKind.ProviderUnavailable,
            };
        }

        return null;
    }

    private static void ReadError(ref Utf8JsonReader reader, ref ErrorInfo info)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                info.Message = Utf8JsonHelpers.ReadString(ref reader) ?? info.Message;
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                info.Status = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                info.Code = GeminiJson.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("details"u8))
            {
                ReadDetails(ref reader, ref info);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }
    }

    private static void ReadDetails(ref Utf8JsonReader reader, ref ErrorInfo info)
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

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("reason"u8))
                {
                    info.Reason ??= Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("retryDelay"u8))
                {
                    info.RetryDelay = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("violations"u8))
                {
                    ReadViolations(ref reader, ref info);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }
        }
    }

    // google.rpc.QuotaFailure: {"violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier", …}]}
    private static void ReadViolations(ref Utf8JsonReader reader, ref ErrorInfo info)
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

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("quotaId"u8))
                {
                    var quotaId = Utf8JsonHelpers.ReadString(ref reader);
                    info.DailyQuota |= Contains(quotaId, "PerDay");
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }
        }
    }

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static bool Contains(string? value, string part) => value is not null && value.Contains(part, StringComparison.OrdinalIgnoreCase);

    private struct ErrorInfo
    {
        public bool Found;
        public string? Message;
        public string? Status;
        public long? Code;
        public string? Reason;
        public string? RetryDelay;
        public bool DailyQuota;
    }
}
