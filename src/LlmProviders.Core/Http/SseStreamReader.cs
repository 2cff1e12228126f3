using System;
using System.Collections.Generic;
using System.IO;
using System.Net.ServerSentEvents;
using System.Threading;

namespace LlmProviders.Http;

/// <summary>
/// Reads a Server-Sent Events body with the in-box <see cref="SseParser"/>, each event handed to the item parser as
/// UTF-8 bytes, and with one fix: a final event that the server did not close with a blank line is still delivered.
/// </summary>
public static class SseStreamReader
{
    /// <summary>The event type given to lines outside the SSE framing when they are read as data (see the <c>strayLinesAsData</c> overload).</summary>
    public const string UnframedEventType = "unframed";

    /// <summary>Enumerates the events of an SSE body as they arrive.</summary>
    /// <typeparam name="T">What each event is parsed into.</typeparam>
    /// <param name="body">The response body.</param>
    /// <param name="itemParser">Parses one event's type and UTF-8 data (multi-line <c>data:</c> joined with <c>\n</c>).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The parsed events.</returns>
    public static IAsyncEnumerable<SseItem<T>> EnumerateAsync<T>(Stream body, SseItemParser<T> itemParser, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(itemParser);
        return SseParser.Create(new EventTerminatingStream(body), itemParser).EnumerateAsync(cancellationToken);
    }

    /// <summary>
    /// Enumerates the events of an SSE body as they arrive, handing lines that are not SSE fields to the item parser as
    /// the data of an event of type <see cref="UnframedEventType"/> instead of dropping them (Gemini sends a failure
    /// mid-stream as raw JSON outside the framing).
    /// </summary>
    /// <typeparam name="T">What each event is parsed into.</typeparam>
    /// <param name="body">The response body.</param>
    /// <param name="itemParser">Parses one event's type and UTF-8 data.</param>
    /// <param name="strayLinesAsData">Whether lines that are not SSE fields are read as data of <see cref="UnframedEventType"/> events.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The parsed events.</returns>
    public static IAsyncEnumerable<SseItem<T>> EnumerateAsync<T>(Stream body, SseItemParser<T> itemParser, bool strayLinesAsData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return EnumerateAsync(strayLinesAsData ? new StrayLinesAsDataStream(body) : body, itemParser, cancellationToken);
    }
}
