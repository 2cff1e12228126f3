using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace LlmProviders.Testing.Http;

/// <summary>A canned HTTP response a <see cref="ScriptedHttpHandler"/> serves: status, content type, body bytes and headers.</summary>
/// <param name="StatusCode">The status.</param>
/// <param name="ContentType">The <c>Content-Type</c> header value (empty for none).</param>
/// <param name="Body">The body bytes, served exactly as given (invalid UTF-8 included).</param>
/// <param name="Headers">Extra response headers.</param>
public sealed record CannedResponse(HttpStatusCode StatusCode, string ContentType, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>The content type of an SSE stream.</summary>
    public const string EventStreamContentType = "text/event-stream; charset=utf-8";

    /// <summary>The content type of a JSON body.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The content type of an NDJSON stream.</summary>
    public const string NdjsonContentType = "application/x-ndjson";

    /// <summary>Gets the body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Creates a JSON response.</summary>
    /// <param name="json">The body.</param>
    /// <param name="status">The status.</param>
    /// <returns>The response.</returns>
    public static CannedResponse Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status, JsonContentType, Encoding.UTF8.GetBytes(json));

    /// <summary>Creates an SSE response from its raw text (framing exactly as given).</summary>
    /// <param name="sse">The body, e.g. <c>"data: {…}\n\ndata: [DONE]\n\n"</c>.</param>
    /// <returns>The response.</returns>
    public static CannedResponse EventStream(string sse) =>
        new(HttpStatusCode.OK, EventStreamContentType, Encoding.UTF8.GetBytes(sse));

    /// <summary>Creates an SSE response with one <c>data:</c> event per item, each closed by a blank line.</summary>
    /// <param name="dataEvents">The data of each event.</param>
    /// <returns>The response.</returns>
    public static CannedResponse DataEvents(params string[] dataEvents)
    {
        ArgumentNullException.ThrowIfNull(dataEvents);
        var sb = new StringBuilder();
        foreach (var data in dataEvents)
        {
            sb.Append("data: ").Append(data).Append("\n\n");
        }

        return EventStream(sb.ToString());
    }

    /// <summary>Creates an NDJSON response, one JSON object per line.</summary>
    /// <param name="lines">The lines.</param>
    /// <returns>The response.</returns>
    public static CannedResponse Ndjson(params string[] lines) =>
        new(HttpStatusCode.OK, NdjsonContentType, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));

    /// <summary>Creates a response with any content type.</summary>
    /// <param name="status">The status.</param>
    /// <param name="contentType">The content type.</param>
    /// <param name="body">The body text.</param>
    /// <returns>The response.</returns>
    public static CannedResponse Text(HttpStatusCode status, string contentType, string body) =>
        new(status, contentType, Encoding.UTF8.GetBytes(body));

    /// <summary>Creates an HTML error page such as a gateway or CDN serves.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The response.</returns>
    public static CannedResponse HtmlPage(HttpStatusCode status) => Text(status, "text/html; charset=utf-8",
        $"<!DOCTYPE html>\n<html><head><title>{(int)status} Bad Gateway</title></head>\n<body><center><h1>{(int)status} Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n");

    /// <summary>Returns a copy with one more header.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    /// <returns>The copy.</returns>
    public CannedResponse WithHeader(string name, string value)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Headers is not null)
        {
            foreach (var h in Headers)
            {
                headers[h.Key] = h.Value;
            }
        }

        headers[name] = value;
        return this with { Headers = headers };
    }

    /// <summary>Returns a copy with another body.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The copy.</returns>
    public CannedResponse WithBody(byte[] body) => this with { Body = body };

    /// <summary>Returns a copy with another body.</summary>
    /// <param name="body">The body text.</param>
    /// <returns>The copy.</returns>
    public CannedResponse WithBody(string body) => this with { Body = Encoding.UTF8.GetBytes(body) };

    /// <summary>Returns a copy with another status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The copy.</returns>
    public CannedResponse WithStatus(HttpStatusCode status) => this with { StatusCode = status };
}
