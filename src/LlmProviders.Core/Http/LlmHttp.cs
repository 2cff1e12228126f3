using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Http;

/// <summary>Parses a provider's error body into what it says; returns <see langword="null"/> when the body is not the provider's error shape.</summary>
/// <param name="body">The body's UTF-8 bytes.</param>
/// <param name="status">The HTTP status.</param>
/// <returns>What the body says.</returns>
public delegate ProviderError? ProviderErrorParser(ReadOnlySpan<byte> body, HttpStatusCode status);

/// <summary>Sends provider requests: headers-only completion (so streams are read incrementally), transport failures and error statuses mapped to typed exceptions, caller cancellation passed through untouched.</summary>
public static class LlmHttp
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly string[] RequestIdHeaders = ["x-request-id", "request-id", "apim-request-id", "x-ms-request-id", "x-goog-request-id", "x-amzn-requestid", "cf-ray"];

    /// <summary>Sends a request and returns the successful response; an error status throws the typed exception.</summary>
    /// <param name="client">The HTTP client (its <see cref="HttpClient.Timeout"/> should be infinite: the library's timeouts rule).</param>
    /// <param name="request">The request. The caller keeps it and disposes it once it is done with the response (its content, e.g. a <see cref="PooledJsonContent"/>, returns its buffer then); an error response is disposed here.</param>
    /// <param name="context">The call (provider, model, key to redact).</param>
    /// <param name="errorParser">Parses the provider's error body.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> dates.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The response, headers read, body not yet read.</returns>
    /// <exception cref="LlmProviderException">The call failed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, ProviderErrorContext context, ProviderErrorParser errorParser, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errorParser);
        ArgumentNullException.ThrowIfNull(timeProvider);

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw LlmErrorFactory.Create(LlmErrorKind.Timeout, $"{context.ProviderName} did not answer in time: {ex.Message}", context, ex);
        }
        catch (HttpRequestException ex)
        {
            throw LlmErrorFactory.Create(LlmErrorKind.ProviderUnavailable, $"{context.ProviderName} could not be reached ({DescribeTransport(ex)}). Check the base URL and the network, or fail over to another target.", context, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await CreateErrorAsync(response, context, errorParser, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Builds the typed exception for an error response, reading (a bounded part of) its body.</summary>
    /// <param name="response">The error response.</param>
    /// <param name="context">The call.</param>
    /// <param name="errorParser">Parses the provider's error body.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> dates.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The exception.</returns>
    public static async Task<LlmProviderException> CreateErrorAsync(HttpResponseMessage response, ProviderErrorContext context, ProviderErrorParser errorParser, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(errorParser);
        ArgumentNullException.ThrowIfNull(timeProvider);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        int length = 0;
        try
        {
            try
            {
                using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                while (length < MaxErrorBodyBytes)
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    int n = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, MaxErrorBodyBytes) - length), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    length += n;
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException ||
                                       (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A body that breaks off (or times out) still leaves the status to go by.
            }

            ProviderError? error = null;
            try
            {
                error = errorParser(buffer.AsSpan(0, length), response.StatusCode);
            }
#pragma warning disable CA1031 // Whatever a provider's parser throws on a body it did not expect, the status still decides.
            catch (Exception)
            {
                // Not the provider's error shape (an HTML page from a gateway, a truncated body): the status decides.
            }
#pragma warning restore CA1031

            var full = context with
            {
                StatusCode = response.StatusCode,
                RequestId = GetRequestId(response),
                RetryAfter = RetryAfterParser.Parse(response.Headers, timeProvider),
                ShouldRetry = RetryAfterParser.ParseShouldRetry(response.Headers),
                Body = length == 0 ? null : Encoding.UTF8.GetString(buffer, 0, length),
            };
            return LlmErrorFactory.FromResponse(full, error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads a whole (non-streamed) response body into a pooled buffer. A failure while reading becomes the typed
    /// exception (<see cref="MapReadFailure"/>), a body over <paramref name="maxBytes"/> a malformed response, and an
    /// I/O error caused by the caller's cancellation an <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="content">The response content.</param>
    /// <param name="context">The call.</param>
    /// <param name="maxBytes">The largest body accepted.</param>
    /// <param name="readToken">Stops the read: the caller's token, or one linked to it with a timeout.</param>
    /// <param name="cancellationToken">The caller's own token, to tell its cancellation from a timeout.</param>
    /// <returns>The body; dispose it to return the buffer.</returns>
    /// <exception cref="LlmProviderException">The body could not be read.</exception>
    public static async ValueTask<PooledResponseBody> ReadBodyAsync(HttpContent content, ProviderErrorContext context, int maxBytes, CancellationToken readToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            return await ReadAllAsync(content, maxBytes, readToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && MapReadFailure(ex, context, streaming: false, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // Some transports report an aborted read as an I/O error: the caller's cancellation is what happened.
            throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
        }
    }

    private static async ValueTask<PooledResponseBody> ReadAllAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        long? declared = content.Headers.ContentLength;
        int initial = declared is > 0 && declared < maxBytes ? (int)declared.Value + 1 : 16 * 1024;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(initial);
        int length = 0;
        try
        {
            using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= maxBytes)
                    {
                        throw new InvalidOperationException($"The response body is larger than {maxBytes / 1024} KB.");
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new PooledResponseBody(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Reads the provider's request id from the usual headers.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The request id, if any.</returns>
    public static string? GetRequestId(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                foreach (var v in values)
                {
                    if (!string.IsNullOrWhiteSpace(v))
                    {
                        return v.Trim();
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Maps a failure while reading a successful response's body to the typed exception, passing caller cancellation through.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="context">The call.</param>
    /// <param name="streaming">Whether the body was a stream (a broken stream is interrupted, a broken whole body is unavailable).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The typed exception, or <see langword="null"/> when the exception should propagate as it is.</returns>
    public static LlmProviderException? MapReadFailure(Exception exception, in ProviderErrorContext context, bool streaming, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            LlmProviderException => null,
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            OperationCanceledException => LlmErrorFactory.Create(LlmErrorKind.Timeout, $"{context.ProviderName} stopped sending the response in time.", context, exception),
            System.Text.Json.JsonException or InvalidOperationException or DecoderFallbackException or FormatException =>
                LlmErrorFactory.Create(LlmErrorKind.MalformedResponse, $"{context.ProviderName} sent a response that could not be parsed ({exception.Message}).", context, exception),
            IOException or HttpRequestException when streaming =>
                LlmErrorFactory.Create(LlmErrorKind.StreamInterrupted, $"The stream from {context.ProviderName} broke off before its end ({exception.Message}); the answer is incomplete.", context, exception),
            IOException or HttpRequestException =>
                LlmErrorFactory.Create(LlmErrorKind.ProviderUnavailable, $"The connection to {context.ProviderName} broke while reading the response ({exception.Message}).", context, exception),
            _ => null,
        };
    }

    private static string DescribeTransport(HttpRequestException ex) =>
        ex.HttpRequestError != HttpRequestError.Unknown ? ex.HttpRequestError.ToString() : ex.Message;
}
