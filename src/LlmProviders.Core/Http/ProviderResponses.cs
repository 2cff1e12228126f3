using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Unicode;
using System.Threading;

namespace LlmProviders.Http;

/// <summary>
/// Plumbing shared by HTTP providers: the default <see cref="HttpClient"/>, and the typed failures for response bodies that are
/// not what the provider's parser expects (empty, an HTML page from a proxy, invalid UTF-8).
/// </summary>
/// <remarks>
/// The methods return exceptions rather than throwing them, so that the provider can log them (or adjust them) on the way out.
/// </remarks>
public static class ProviderResponses
{
    /// <summary>The most bytes of a body copied into <see cref="ProviderErrorContext.Body"/> by <see cref="Malformed"/>.</summary>
    public const int MaxBodyTextBytes = 4096;

    /// <summary>
    /// Creates the client a provider uses when it is given none: connections recycled every 5 minutes (DNS changes are seen),
    /// automatic decompression, and an infinite <see cref="HttpClient.Timeout"/> (<see cref="HttpProviderOptions.RequestTimeout"/> rules).
    /// </summary>
    /// <returns>A new client; keep one per provider type for the life of the process.</returns>
    public static HttpClient CreateDefaultHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>Tells whether a response is an HTML page: a <c>text/html</c> content type, or a body whose first character (after a byte order mark and white space) is <c>&lt;</c>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="body">Its body (or as much of it as was read).</param>
    /// <returns><see langword="true"/> for an HTML page.</returns>
    public static bool IsHtml(HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (string.Equals(response.Content.Headers.ContentType?.MediaType, "text/html", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var start = Utf8JsonHelpers.StripBom(body).TrimStart(" \t\r\n"u8);
        return !start.IsEmpty && start[0] == (byte)'<';
    }

    /// <summary>Creates the <see cref="LlmErrorKind.MalformedResponse"/> failure, with the first <see cref="MaxBodyTextBytes"/> bytes of the body as its text.</summary>
    /// <param name="message">The message (the provider's name included).</param>
    /// <param name="context">The request's context.</param>
    /// <param name="body">The body, or empty when there is none to show.</param>
    /// <param name="inner">The parser's exception, if any.</param>
    /// <returns>The exception, not thrown.</returns>
    public static LlmProviderException Malformed(string message, in ProviderErrorContext context, ReadOnlySpan<byte> body, Exception? inner)
    {
        string? text = null;
        if (!body.IsEmpty)
        {
            text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxBodyTextBytes)]);
        }

        return LlmErrorFactory.Create(LlmErrorKind.MalformedResponse, message, context with { Body = text }, inner);
    }

    /// <summary>
    /// Checks a whole (non-streamed) body before it is parsed, so that an empty body, an HTML page or invalid UTF-8 gets a
    /// helpful <see cref="LlmErrorKind.MalformedResponse"/> failure rather than the JSON reader's.
    /// </summary>
    /// <param name="body">The body.</param>
    /// <param name="response">The response.</param>
    /// <param name="context">The request's context.</param>
    /// <param name="providerName">The provider's name, at the start of each message.</param>
    /// <param name="what">What the body should be (<c>"response"</c>, <c>"model list"</c>…), for the messages.</param>
    /// <returns>The failure, or <see langword="null"/> when the body may be parsed.</returns>
    public static LlmProviderException? CheckWholeBody(ReadOnlySpan<byte> body, HttpResponseMessage response, in ProviderErrorContext context, string providerName, string what)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Malformed($"{providerName} returned an empty {what} body (HTTP {(int)response.StatusCode}).", context, body, null);
        }

        if (IsHtml(response, body))
        {
            return Malformed($"{providerName} returned an HTML page instead of a JSON {what} (HTTP {(int)response.StatusCode}); a proxy or gateway answered. Check the base URL.", context, body, null);
        }

        if (!Utf8.IsValid(body))
        {
            return Malformed($"{providerName} sent a {what} that is not valid UTF-8.", context, body, null);
        }

        return null;
    }
}
