using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text.Json;
using LlmProviders.Http;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.AzureOpenAI.Wire;

/// <summary>
/// Reads Azure OpenAI's error bodies: OpenAI's envelope (<see cref="OpenAIErrorParser"/>) plus Azure's codes —
/// <c>DeploymentNotFound</c> (model not found), HTTP statuses as string codes (<c>"401"</c>, <c>"429"</c>, which also decide an
/// error event inside a 200 stream), a bare <c>"404"</c> <c>Resource not found</c> (a wrong endpoint or api-version, not a
/// missing model), a 403 <c>Out of call volume quota</c> (quota exhausted), <c>content_filter</c> with <c>innererror.content_filter_result</c> (the filtered categories), and the
/// wait in a 429's message (<c>Please retry after 86400 seconds</c>) when no header gives one.
/// </summary>
internal static class AzureOpenAIErrorParser
{
    public static readonly ProviderErrorParser Instance = Parse;

    public static ProviderError? Parse(ReadOnlySpan<byte> body, HttpStatusCode status)
    {
        var error = OpenAIErrorParser.Parse(body, status);
        if (error is null)
        {
            return null;
        }

        bool inBody = (int)status is >= 200 and < 300;
        LlmErrorKind? byCode = error.Code switch
        {
            "401" => LlmErrorKind.Authentication,
            "403" => LlmErrorKind.PermissionDenied,
            "429" => LlmErrorKind.RateLimited,
            "404" => LlmErrorKind.InvalidRequest,
            _ => null,
        };
        if (byCode is not null && (error.Kind is null || inBody))
        {
            error.Kind = byCode;
        }

        if (error.Message is { } message && message.Contains("out of call volume quota", StringComparison.OrdinalIgnoreCase))
        {
            // Cognitive Services' exhausted quota (403 "Out of call volume quota for OpenAI API. Quota will be replenished in …").
            error.Kind = LlmErrorKind.QuotaExhausted;
        }

        if (error.Kind == LlmErrorKind.ContentFiltered)
        {
            error.Categories = ReadFilteredCategories(body);
        }

        if (error.Kind == LlmErrorKind.RateLimited || (error.Kind is null && status == HttpStatusCode.TooManyRequests))
        {
            error.RetryAfter ??= RetryAfterFromMessage(error.Message);
        }

        return error;
    }

    /// <summary>Reads the wait in Azure's 429 message (<c>… Please retry after 86400 seconds. …</c>, also <c>retry after 1 second</c>).</summary>
    /// <param name="message">The error message.</param>
    /// <returns>The wait, or <see langword="null"/> when the message names none.</returns>
    public static TimeSpan? RetryAfterFromMessage(string? message)
    {
        if (message is null)
        {
            return null;
        }

        const string Marker = "retry after ";
        int at = message.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var rest = message.AsSpan(at + Marker.Length);
        int digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        if (digits == 0 || digits > 9 || !rest[digits..].TrimStart().StartsWith("second", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return TimeSpan.FromSeconds(int.Parse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    // {"error":{…,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"sexual":{"filtered":true,…},…}}}}
    private static List<string>? ReadFilteredCategories(ReadOnlySpan<byte> body)
    {
        List<string>? categories = null;
        try
        {
            var reader = new Utf8JsonReader(Utf8JsonHelpers.StripBom(body.TrimStart(" \t\r\n"u8)), Utf8JsonHelpers.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    ReadErrorObject(ref reader, ref categories);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }
        }
        catch (JsonException)
        {
            // A truncated body: keep what was read.
        }
        catch (InvalidOperationException)
        {
        }

        return categories;
    }

    private static void ReadErrorObject(ref Utf8JsonReader reader, ref List<string>? categories)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("innererror"u8) || reader.ValueTextEquals("inner_error"u8))
            {
                ReadErrorObject(ref reader, ref categories);
            }
            else if (reader.ValueTextEquals("content_filter_result"u8) || reader.ValueTextEquals("content_filter_results"u8))
            {
                OpenAIContentFilter.ReadFilteredCategories(ref reader, ref categories);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }
}
