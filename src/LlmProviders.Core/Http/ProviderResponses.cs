using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;

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

    /// <summary>
    /// Tells whether the response to a streaming request says by its content type that it is not a stream: <c>text/html</c>
    /// (a gateway's page) or <c>application/json</c> (an error, or a whole answer from a server that ignored the stream flag).
    /// Read the body then, and build the failure with <see cref="NotAStream"/> (unless the body is the provider's error).
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="mediaType">The media type when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> for an HTML or JSON content type.</returns>
    public static bool IsJsonOrHtml(HttpResponseMessage response, [NotNullWhen(true)] out string? mediaType)
    {
        ArgumentNullException.ThrowIfNull(response);
        mediaType = response.Content.Headers.ContentType?.MediaType;
        return string.Equals(mediaType, "text/html", StringComparison.OrdinalIgnoreCase) || string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Creates the <see cref="LlmErrorKind.MalformedResponse"/> failure of a streaming request answered with an HTML page or another body instead of a stream.</summary>
    /// <param name="providerName">The provider's name, for the message.</param>
    /// <param name="response">The response.</param>
    /// <param name="mediaType">Its media type, for the message.</param>
    /// <param name="context">The request's context.</param>
    /// <param name="body">The body that came instead of the stream.</param>
    /// <param name="stream">What was expected, for the message (<c>"an event stream"</c>, <c>"an NDJSON stream"</c>).</param>
    /// <param name="detail">Text put at the end of the message about a body that is not HTML (e.g. <c>" (alt=sse)"</c>), or <see langword="null"/>.</param>
    /// <returns>The exception, not thrown.</returns>
    public static LlmProviderException NotAStream(string providerName, HttpResponseMessage response, string? mediaType, in ProviderErrorContext context, ReadOnlySpan<byte> body, string stream, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        return IsHtml(response, body)
            ? Malformed($"{providerName} returned an HTML page instead of {stream} (HTTP {(int)response.StatusCode}); a proxy or gateway answered. Check the base URL.", context, body, null)
            : Malformed($"{providerName} returned '{mediaType}' instead of {stream} to a streaming request{detail}.", context, body, null);
    }

    /// <summary>Creates the <see cref="LlmErrorKind.Timeout"/> failure of a request that got no response headers within the per-attempt timeout.</summary>
    /// <param name="providerName">The provider's name, for the message.</param>
    /// <param name="requestTimeout">The timeout's length, for the message.</param>
    /// <param name="context">The request's context.</param>
    /// <param name="inner">The cancellation the timeout caused.</param>
    /// <param name="detail">Text put after the timeout in the message (e.g. <c>" (the model may still be loading)"</c>), or <see langword="null"/>.</param>
    /// <returns>The exception, not thrown.</returns>
    public static LlmProviderException SendTimedOut(string providerName, TimeSpan requestTimeout, in ProviderErrorContext context, Exception? inner, string? detail = null) =>
        LlmErrorFactory.Create(LlmErrorKind.Timeout, $"{providerName} did not answer within the request timeout of {requestTimeout.TotalSeconds:0.###} s{detail}. Raise RequestTimeout, or fail over to another target.", context, inner);

    /// <summary>
    /// Tells whether a failure while reading a stream means the stream was interrupted — the per-attempt timeout fired
    /// (<paramref name="exception"/> is an <see cref="OperationCanceledException"/> and <paramref name="timeout"/> has timed out),
    /// or the connection broke (<see cref="IOException"/>, <see cref="HttpRequestException"/>, <see cref="ObjectDisposedException"/>) —
    /// and if so gives the message of the <see cref="StreamInterruptedException"/> to throw.
    /// </summary>
    /// <param name="exception">What reading the stream threw.</param>
    /// <param name="timeout">The attempt's timeout.</param>
    /// <param name="requestTimeout">The timeout's length, for the message.</param>
    /// <param name="providerName">The provider's name, for the message.</param>
    /// <param name="cancellationToken">The caller's token (a cancellation by the caller is not a timeout).</param>
    /// <returns>The message, or <see langword="null"/> when the failure is not an interruption.</returns>
    public static string? StreamInterruptionMessage(Exception exception, in RequestTimeout timeout, TimeSpan requestTimeout, string providerName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OperationCanceledException && timeout.HasTimedOut(cancellationToken))
        {
            return $"The stream from {providerName} did not finish within the request timeout of {requestTimeout.TotalSeconds:0.###} s; the answer is incomplete.";
        }

        if (exception is IOException or HttpRequestException or ObjectDisposedException)
        {
            return $"The stream from {providerName} broke off before its end ({exception.Message}); the answer is incomplete.";
        }

        return null;
    }

    /// <summary>Creates the failure of a stream that ended before its end, with what it had delivered; the message is redacted of <paramref name="secret"/>.</summary>
    /// <param name="message">The message (see <see cref="StreamInterruptionMessage"/>).</param>
    /// <param name="secret">The API key to redact from the message, if any.</param>
    /// <param name="context">The request's context.</param>
    /// <param name="partialText">The text delivered before the interruption.</param>
    /// <param name="updatesDelivered">The number of updates delivered before the interruption.</param>
    /// <param name="inner">What reading the stream threw, if anything.</param>
    /// <returns>The exception, not thrown.</returns>
    public static StreamInterruptedException Interrupted(string message, string? secret, in ProviderErrorContext context, string? partialText, int updatesDelivered, Exception? inner) =>
        new(SecretRedactor.Redact(message, secret), inner)
        {
            ProviderName = context.ProviderName,
            Model = context.Model,
            StatusCode = context.StatusCode,
            RequestId = context.RequestId,
            PartialText = partialText,
            UpdatesDelivered = updatesDelivered,
        };

    /// <summary>
    /// Runs a provider's cheap health probe (a model list or version call, never a paid completion) and reports the outcome:
    /// <see cref="LlmHealthStatus.Healthy"/> with the probe's message, or <see cref="LlmHealthStatus.Unhealthy"/> with the typed
    /// error. Only caller cancellation throws.
    /// </summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="time">The provider's clock (the check's time and latency).</param>
    /// <param name="probe">The probe; returns the message of a healthy result.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The outcome.</returns>
    public static async Task<ProviderHealthResult> CheckHealthAsync(string providerName, TimeProvider time, Func<CancellationToken, Task<string>> probe, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(probe);
        var checkedAt = time.GetUtcNow();
        long started = time.GetTimestamp();
        try
        {
            string message = await probe(cancellationToken).ConfigureAwait(false);
            return new ProviderHealthResult(providerName, LlmHealthStatus.Healthy, checkedAt, time.GetElapsedTime(started), message);
        }
        catch (LlmProviderException ex)
        {
            return new ProviderHealthResult(providerName, LlmHealthStatus.Unhealthy, checkedAt, time.GetElapsedTime(started), ex.Message, ex);
        }
    }
}
