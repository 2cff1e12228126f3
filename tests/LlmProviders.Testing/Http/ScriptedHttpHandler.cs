using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Testing.Http;

/// <summary>
/// An in-memory HTTP server for provider tests: records every request (method, URL, headers, body), answers with canned
/// responses whose bodies are <see cref="ScriptedBodyStream"/>s (random-sized reads, pause/release, connection resets),
/// moves a <see cref="ManualTimeProvider"/> by a simulated server latency, and honours cancellation. No sleeps, no sockets.
/// </summary>
public sealed class ScriptedHttpHandler : HttpMessageHandler
{
    private readonly ManualTimeProvider? _time;
    private readonly ConcurrentQueue<CannedResponse> _queue = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly object _lock = new();
    private readonly TaskCompletionSource<ScriptedBodyStream> _firstBody = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ScriptedBodyStream? _lastBody;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="time">The clock to move by <see cref="ServerLatency"/>, if any.</param>
    public ScriptedHttpHandler(ManualTimeProvider? time = null)
    {
        _time = time;
    }

    /// <summary>Gets or sets the response served when the queue is empty and no <see cref="Responder"/> is set.</summary>
    public CannedResponse? Response { get; set; }

    /// <summary>Gets or sets a function choosing the response from the request (used when the queue is empty).</summary>
    public Func<RecordedRequest, CannedResponse>? Responder { get; set; }

    /// <summary>Gets or sets how response bodies are served (read sizes, pause, failure).</summary>
    public ScriptedBodyOptions BodyOptions { get; set; } = new();

    /// <summary>Gets or sets how far the clock moves between receiving the request and answering.</summary>
    public TimeSpan ServerLatency { get; set; }

    /// <summary>Gets or sets an exception to throw instead of answering (a transport failure).</summary>
    public Exception? ThrowOnSend { get; set; }

    /// <summary>Gets the requests received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Gets the last request received.</summary>
    /// <exception cref="InvalidOperationException">No request was received.</exception>
    public RecordedRequest LastRequest
    {
        get
        {
            lock (_lock)
            {
                return _requests.Count > 0 ? _requests[^1] : throw new InvalidOperationException("The scripted server received no request.");
            }
        }
    }

    /// <summary>Gets the body of the last response served.</summary>
    public ScriptedBodyStream? LastBody => Volatile.Read(ref _lastBody);

    /// <summary>Waits until a response body has been served and a read reached its pause point (<see cref="ScriptedBodyOptions.PauseAfterBytes"/>).</summary>
    /// <returns>A task that completes at the pause.</returns>
    public async Task WaitForBodyPauseAsync()
    {
        var body = LastBody ?? await _firstBody.Task.ConfigureAwait(false);
        await body.PauseReached.ConfigureAwait(false);
    }

    /// <summary>Queues responses served in order, before <see cref="Responder"/> and <see cref="Response"/>.</summary>
    /// <param name="responses">The responses.</param>
    public void Enqueue(params CannedResponse[] responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        foreach (var r in responses)
        {
            _queue.Enqueue(r);
        }
    }

    /// <summary>Lets the paused body of the last response continue.</summary>
    public void Release() => LastBody?.Release();

    /// <summary>Builds the <see cref="HttpResponseMessage"/> for a canned response (usable with other handlers, e.g. MockHttp's <c>Respond</c>).</summary>
    /// <param name="canned">The canned response.</param>
    /// <param name="bodyOptions">How to serve the body.</param>
    /// <param name="body">The body stream, to observe or release.</param>
    /// <returns>The response message.</returns>
    public static HttpResponseMessage CreateResponseMessage(CannedResponse canned, ScriptedBodyOptions bodyOptions, out ScriptedBodyStream body)
    {
        ArgumentNullException.ThrowIfNull(canned);
        ArgumentNullException.ThrowIfNull(bodyOptions);
        body = new ScriptedBodyStream(canned.Body, bodyOptions);
        var content = new StreamContent(body);
        if (!string.IsNullOrEmpty(canned.ContentType))
        {
            content.Headers.TryAddWithoutValidation("Content-Type", canned.ContentType);
            if (!canned.ContentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) &&
                !canned.ContentType.StartsWith(CannedResponse.NdjsonContentType, StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.ContentLength = canned.Body.Length;
            }
        }

        var response = new HttpResponseMessage(canned.StatusCode) { Content = content };
        if (canned.Headers is not null)
        {
            foreach (var header in canned.Headers)
            {
                if (!response.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }
        }

        return response;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers)
        {
            headers[h.Key] = string.Join(", ", h.Value);
        }

        byte[] bodyBytes = [];
        if (request.Content is not null)
        {
            foreach (var h in request.Content.Headers)
            {
                headers[h.Key] = string.Join(", ", h.Value);
            }

            bodyBytes = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, bodyBytes);
        lock (_lock)
        {
            _requests.Add(recorded);
        }

        if (ThrowOnSend is { } failure)
        {
            throw failure;
        }

        if (ServerLatency > TimeSpan.Zero)
        {
            _time?.Advance(ServerLatency);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var canned = _queue.TryDequeue(out var queued) ? queued
            : Responder is { } responder ? responder(recorded)
            : Response ?? CannedResponse.Text(HttpStatusCode.NotFound, "text/plain", $"The scripted server has no response for {recorded}.");

        var response = CreateResponseMessage(canned, BodyOptions, out var body);
        response.RequestMessage = request;
        Volatile.Write(ref _lastBody, body);
        _firstBody.TrySetResult(body);
        return response;
    }
}
