using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace LlmProviders.Testing.Http;

/// <summary>A request a <see cref="ScriptedHttpHandler"/> received: method, URL, headers (request and content) and body.</summary>
public sealed class RecordedRequest
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="method">The method.</param>
    /// <param name="uri">The URL.</param>
    /// <param name="headers">The headers, values joined with ", ", names case-insensitive.</param>
    /// <param name="body">The body bytes (empty when none).</param>
    public RecordedRequest(HttpMethod method, Uri uri, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Method = method;
        Uri = uri;
        Headers = headers;
        Body = body;
    }

    /// <summary>Gets the method.</summary>
    public HttpMethod Method { get; }

    /// <summary>Gets the URL.</summary>
    public Uri Uri { get; }

    /// <summary>Gets the headers (request and content headers), names case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the body bytes.</summary>
    public byte[] Body { get; }

    /// <summary>Gets the body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Parses the body as JSON (a copy that outlives no document).</summary>
    /// <returns>The root element.</returns>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <summary>Gets a header's value, or <see langword="null"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Uri}";
}
