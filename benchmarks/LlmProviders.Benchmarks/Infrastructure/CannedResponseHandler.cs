using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// An in-memory <see cref="HttpMessageHandler"/> that answers every request with <c>200 OK</c> and a fresh,
/// read-only stream over one shared canned body. The same instance serves every contender of a benchmark class.
/// </summary>
/// <remarks>
/// Per request it allocates only what any handler must: the <see cref="HttpResponseMessage"/>, its
/// <see cref="CannedContent"/>, the <see cref="MemoryStream"/> view over the shared array and the returned task.
/// Like a socket handler, it writes the request body out (to <see cref="Stream.Null"/>), so contenders that
/// serialize lazily while the body is sent pay for serializing it. Like the real service (chunked transfer),
/// the response carries no Content-Length and its stream exposes no buffer to shortcut through.
/// </remarks>
internal sealed class CannedResponseHandler : HttpMessageHandler
{
    private readonly byte[] _body;
    private readonly MediaTypeHeaderValue _contentType;
    private bool _capture;

    public CannedResponseHandler(byte[] body, string mediaType, string? charSet = null)
    {
        _body = body ?? throw new ArgumentNullException(nameof(body));
        _contentType = new MediaTypeHeaderValue(mediaType) { CharSet = charSet };
    }

    /// <summary>
    /// Gets or sets whether the next requests are recorded (set only while verifying, never while measuring).
    /// Turning it on forgets the last recorded request, so a contender that sends nothing can't pass on another's.
    /// </summary>
    public bool Capture
    {
        get => _capture;
        set
        {
            _capture = value;
            if (value)
            {
                LastRequest = null;
            }
        }
    }

    /// <summary>Gets the last request recorded while <see cref="Capture"/> was on.</summary>
    public CapturedRequest? LastRequest { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            if (_capture)
            {
                using var body = new MemoryStream();
                await request.Content.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers)
                {
                    headers[header.Key] = string.Join(", ", header.Value);
                }

                LastRequest = new CapturedRequest(request.Method, request.RequestUri, headers, body.ToArray());
            }
            else
            {
                await request.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
        }

        var content = new CannedContent(_body);
        content.Headers.ContentType = _contentType;
        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = content };
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    /// <summary>A response body over the shared array, without a known length (as with chunked transfer).</summary>
    private sealed class CannedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            => stream.WriteAsync(body, 0, body.Length);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
            => stream.WriteAsync(body, 0, body.Length, cancellationToken);

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
            => stream.Write(body, 0, body.Length);

        protected override Task<Stream> CreateContentReadStreamAsync()
            => Task.FromResult(CreateContentReadStream(CancellationToken.None));

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
            => Task.FromResult(CreateContentReadStream(cancellationToken));

        protected override Stream CreateContentReadStream(CancellationToken cancellationToken)
            => new MemoryStream(body, 0, body.Length, writable: false, publiclyVisible: false);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>A request as the handler saw it, recorded only during verification.</summary>
internal sealed record CapturedRequest(HttpMethod Method, Uri? Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>Gets the request header <paramref name="name"/> (values joined by ", "), or null if it wasn't sent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
