using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using RichardSzalay.MockHttp;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class LlmHttpTests
{
    private const string Url = "https://api.example.test/v1/chat/completions";
    private const string Key = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9o";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // An OpenAI-shaped error parser, as a provider would write it.
    private static readonly ProviderErrorParser OpenAIParser = static (body, status) =>
    {
        using var doc = JsonDocument.Parse(body.ToArray());
        var e = doc.RootElement.GetProperty("error");
        string? code = e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return new ProviderError
        {
            Message = e.GetProperty("message").GetString(),
            Code = code,
            Type = e.TryGetProperty("type", out var t) ? t.GetString() : null,
            Kind = code == "insufficient_quota" ? LlmErrorKind.QuotaExhausted : code == "context_length_exceeded" ? LlmErrorKind.ContextLengthExceeded : null,
        };
    };

    [Test]
    public async Task Returns_a_successful_response_before_its_body_is_read()
    {
        var body = TestStreams.Gated("data: {}\n\n", "data: [DONE]\n\n");
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) });
        using var client = mock.ToHttpClient();

        using var response = await SendAsync(client).WaitAsync(SplitSeeds.HangGuard);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.IsReleased, Is.False, "the body must not have been buffered");
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        int n = await stream.ReadAsync(buffer);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Is.EqualTo("data: {}\n\n"));
    }

    [Test]
    public async Task Throws_the_typed_exception_parsed_from_the_error_body()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(
            HttpStatusCode.TooManyRequests,
            [new("retry-after-ms", "1500"), new("x-request-id", "req_abc")],
            "application/json",
            "{\"error\":{\"message\":\"Rate limit reached for gpt-4o.\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<RateLimitedException>(() => SendAsync(client));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ProviderName, Is.EqualTo("openai-main"));
            Assert.That(ex.Model, Is.EqualTo("gpt-4o"));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(ex.ErrorCode, Is.EqualTo("rate_limit_exceeded"));
            Assert.That(ex.ErrorType, Is.EqualTo("requests"));
            Assert.That(ex.RequestId, Is.EqualTo("req_abc"));
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Message, Does.Contain("Rate limit reached for gpt-4o.").And.Contain("Retry after 1.5 s"));
        });
    }

    [Test]
    public void Hands_the_parser_the_body_bytes_and_the_status()
    {
        byte[]? seenBody = null;
        HttpStatusCode? seenStatus = null;
        ProviderErrorParser parser = (body, status) =>
        {
            seenBody = body.ToArray();
            seenStatus = status;
            return null;
        };
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.Conflict, "application/json", "{\"x\":\"\u00e9\"}");
        using var client = mock.ToHttpClient();

        Assert.ThrowsAsync<ProviderUnavailableException>(() => SendAsync(client, parser));

        Assert.That(seenStatus, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Encoding.UTF8.GetString(seenBody!), Is.EqualTo("{\"x\":\"\u00e9\"}"));
    }

    [Test]
    public void Maps_insufficient_quota_from_the_body()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.TooManyRequests, [new("x-should-retry", "true")], "application/json",
            "{\"error\":{\"message\":\"You exceeded your current quota.\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}");
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<QuotaExhaustedException>(() => SendAsync(client));

        Assert.That(ex!.IsTransient, Is.False);
    }

    [Test]
    public void Reads_x_should_retry_and_retry_after_dates_from_the_headers()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.ServiceUnavailable, [new("x-should-retry", "false"), new("Retry-After", "Tue, 10 Mar 2026 12:00:30 GMT")], "application/json",
            "{\"error\":{\"message\":\"down\"}}");
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ProviderUnavailableException>(() => SendAsync(client));

        Assert.That(ex!.IsTransient, Is.False);
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [TestCase("x-request-id")]
    [TestCase("request-id")]
    [TestCase("apim-request-id")]
    [TestCase("x-ms-request-id")]
    [TestCase("x-goog-request-id")]
    [TestCase("cf-ray")]
    public void Reads_the_request_id_from_the_usual_headers(string header)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.BadRequest, [new(header, "id-42")], "application/json", "{\"error\":{\"message\":\"bad\"}}");
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<InvalidChatRequestException>(() => SendAsync(client));

        Assert.That(ex!.RequestId, Is.EqualTo("id-42"));
    }

    [Test]
    public void Prefers_x_request_id_over_cf_ray()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("cf-ray", "ray-1");
        response.Headers.TryAddWithoutValidation("x-request-id", "req-1");

        Assert.That(LlmHttp.GetRequestId(response), Is.EqualTo("req-1"));
    }

    [Test]
    public void Has_no_request_id_when_no_header_carries_one()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("x-request-id", " ");

        Assert.That(LlmHttp.GetRequestId(response), Is.Null);
    }

    [Test]
    public void Falls_back_to_the_status_when_the_parser_throws_anything()
    {
        ProviderErrorParser parser = static (_, _) => throw new KeyNotFoundException("no 'error' property");
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.NotFound, "application/json", "{\"detail\":\"Not Found\"}");
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ModelNotFoundException>(() => SendAsync(client, parser));

        Assert.That(ex!.Message, Does.Contain("{\"detail\":\"Not Found\"}"));
        Assert.That(ex.ResponseBody, Is.EqualTo("{\"detail\":\"Not Found\"}"));
    }

    [Test]
    public void Falls_back_to_the_status_for_an_html_body()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.BadGateway, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ProviderUnavailableException>(() => SendAsync(client));

        Assert.That(ex!.Message, Does.Contain("HTML page").And.Contain("502 Bad Gateway").And.Not.Contain("<html>"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public void Falls_back_to_the_status_for_an_empty_body()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.Unauthorized);
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ProviderAuthenticationException>(() => SendAsync(client));

        Assert.That(ex!.Message, Does.Contain("(empty body)").And.Contain("Check the API key"));
        Assert.That(ex.ResponseBody, Is.Null);
    }

    [Test]
    public void Falls_back_to_the_status_for_a_truncated_body()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.BadRequest, "application/json", "{\"error\":{\"message\":\"This model's maxi");
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<InvalidChatRequestException>(() => SendAsync(client));

        Assert.That(ex!.ResponseBody, Is.EqualTo("{\"error\":{\"message\":\"This model's maxi"));
    }

    [Test]
    public void Falls_back_to_the_status_when_the_error_body_breaks_off()
    {
        // Serves some bytes, then fails as a reset connection does.
        byte[] partial = Encoding.UTF8.GetBytes("{\"error\":{\"mess");
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StreamContent(new ScriptedBodyStream(partial, new ScriptedBodyOptions { FailAfterBytes = partial.Length })) });
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ProviderUnavailableException>(() => SendAsync(client));

        Assert.That(ex!.ResponseBody, Is.EqualTo("{\"error\":{\"mess"));
    }

    [Test]
    public void Reads_at_most_64_KB_of_an_error_body()
    {
        var huge = "{\"error\":{\"message\":\"" + new string('m', 200_000) + "\"}}";
        int seenLength = -1;
        ProviderErrorParser parser = (body, _) =>
        {
            seenLength = body.Length;
            return null;
        };
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.InternalServerError, "application/json", huge);
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ProviderUnavailableException>(() => SendAsync(client, parser));

        Assert.That(seenLength, Is.EqualTo(64 * 1024));
        Assert.That(ex!.ResponseBody!.Length, Is.LessThanOrEqualTo(4097));
    }

    [Test]
    public void Disposes_an_error_response()
    {
        var content = new TrackingContent("{\"error\":{\"message\":\"bad\"}}");
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(_ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = content });
        using var client = mock.ToHttpClient();

        Assert.ThrowsAsync<InvalidChatRequestException>(() => SendAsync(client));

        Assert.That(content.Disposed, Is.True);
    }

    [Test]
    public void Never_puts_the_key_in_the_exception()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.Unauthorized, "application/json",
            $"{{\"error\":{{\"message\":\"Incorrect API key provided: {Key[..6]}*****{Key[^4..]}. You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}}}");
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ProviderAuthenticationException>(() => SendAsync(client));

        foreach (var text in new[] { ex!.Message, ex.ResponseBody!, ex.ToString() })
        {
            Assert.That(text, Does.Not.Contain(Key[..6]).And.Not.Contain(Key[^4..]));
        }

        Assert.That(ex.ErrorCode, Is.EqualTo("invalid_api_key"));
    }

    [Test]
    public void Maps_a_connection_failure_to_a_transient_unavailable_provider()
    {
        var failure = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (api.example.test:443)", new SocketException((int)SocketError.ConnectionRefused));
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Throw(failure);
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ProviderUnavailableException>(() => SendAsync(client));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.IsTransient, Is.True);
            Assert.That(ex.InnerException, Is.SameAs(failure));
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.Message, Does.Contain("openai-main could not be reached (ConnectionError)").And.Contain("base URL"));
        });
    }

    [Test]
    public void Maps_a_timeout_not_caused_by_the_caller_to_a_transient_timeout()
    {
        var timeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException());
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Throw(timeout);
        using var client = mock.ToHttpClient();

        var ex = Assert.ThrowsAsync<ProviderTimeoutException>(() => SendAsync(client));

        Assert.That(ex!.IsTransient, Is.True);
        Assert.That(ex.InnerException, Is.SameAs(timeout));
        Assert.That(ex.Message, Does.Contain("did not answer in time"));
    }

    [Test]
    public async Task Passes_caller_cancellation_through_untouched()
    {
        var handler = new BlockingHandler();
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(handler);
        using var client = mock.ToHttpClient();
        using var cts = new CancellationTokenSource();

        var send = SendAsync(client, cancellationToken: cts.Token);
        await handler.Entered.WaitAsync(SplitSeeds.HangGuard);
        await cts.CancelAsync();

        var ex = Assert.CatchAsync<OperationCanceledException>(() => send.WaitAsync(SplitSeeds.HangGuard));
        Assert.That(ex, Is.Not.InstanceOf<LlmProviderException>());
        Assert.That(ex!.InnerException, Is.Not.InstanceOf<LlmProviderException>());
    }

    [Test]
    public void Passes_caller_cancellation_through_when_already_cancelled()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(Url).Respond(HttpStatusCode.OK);
        using var client = mock.ToHttpClient();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.CatchAsync<OperationCanceledException>(() => SendAsync(client, cancellationToken: cts.Token));
    }

    [Test]
    public async Task CreateErrorAsync_reads_status_headers_and_body_of_a_response()
    {
        using var response = new HttpResponseMessage((HttpStatusCode)529) { Content = new StringContent("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}") };
        response.Headers.TryAddWithoutValidation("request-id", "req_ant");
        response.Headers.TryAddWithoutValidation("x-should-retry", "true");
        response.Headers.TryAddWithoutValidation("retry-after", "3");
        ProviderErrorParser anthropic = static (body, _) =>
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            var e = doc.RootElement.GetProperty("error");
            return new ProviderError { Type = e.GetProperty("type").GetString(), Message = e.GetProperty("message").GetString() };
        };

        var ex = await LlmHttp.CreateErrorAsync(response, new ProviderErrorContext { ProviderName = "anthropic", Model = "claude" }, anthropic, new ManualTimeProvider(Now), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<ProviderOverloadedException>());
            Assert.That(ex.ErrorType, Is.EqualTo("overloaded_error"));
            Assert.That(ex.RequestId, Is.EqualTo("req_ant"));
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Message, Does.StartWith("anthropic returned HTTP 529 (overloaded): Overloaded."));
        });
    }

    [Test]
    public void MapReadFailure_passes_caller_cancellation_and_library_exceptions_through()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Multiple(() =>
        {
            Assert.That(LlmHttp.MapReadFailure(new OperationCanceledException(cts.Token), Context(), streaming: true, cts.Token), Is.Null);
            Assert.That(LlmHttp.MapReadFailure(new RateLimitedException(), Context(), streaming: true, CancellationToken.None), Is.Null);
            Assert.That(LlmHttp.MapReadFailure(new ArgumentException("bug"), Context(), streaming: true, CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public void MapReadFailure_maps_a_timeout_while_reading_to_a_timeout()
    {
        var ex = LlmHttp.MapReadFailure(new TaskCanceledException("idle"), Context(), streaming: true, CancellationToken.None);

        Assert.That(ex, Is.TypeOf<ProviderTimeoutException>());
        Assert.That(ex!.IsTransient, Is.True);
    }

    [TestCase(true, typeof(StreamInterruptedException))]
    [TestCase(false, typeof(ProviderUnavailableException))]
    public void MapReadFailure_maps_a_broken_connection(bool streaming, Type expected)
    {
        var ex = LlmHttp.MapReadFailure(new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely."), Context(), streaming, CancellationToken.None);

        Assert.That(ex, Is.TypeOf(expected));
        Assert.That(ex!.IsTransient, Is.True);
        Assert.That(ex.ProviderName, Is.EqualTo("openai-main"));
    }

    [Test]
    public void MapReadFailure_maps_unparseable_content_to_a_malformed_response()
    {
        Exception[] failures = [new JsonException("'<' is an invalid start of a value."), new DecoderFallbackException("bad utf-8"), new FormatException("bad"), new InvalidOperationException("bad")];

        foreach (var failure in failures)
        {
            var ex = LlmHttp.MapReadFailure(failure, Context(), streaming: false, CancellationToken.None);

            Assert.That(ex, Is.TypeOf<MalformedResponseException>(), failure.GetType().Name);
            Assert.That(ex!.IsTransient, Is.False);
            Assert.That(ex.Message, Does.Contain("openai-main sent a response that could not be parsed"));
        }
    }

    [Test]
    public void Rejects_null_arguments()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Url);
        var clock = new ManualTimeProvider(Now);
        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<ArgumentNullException>(() => LlmHttp.SendAsync(null!, request, Context(), OpenAIParser, clock, default));
            Assert.ThrowsAsync<ArgumentNullException>(() => LlmHttp.SendAsync(client, null!, Context(), OpenAIParser, clock, default));
            Assert.ThrowsAsync<ArgumentNullException>(() => LlmHttp.SendAsync(client, request, Context(), null!, clock, default));
            Assert.ThrowsAsync<ArgumentNullException>(() => LlmHttp.SendAsync(client, request, Context(), OpenAIParser, null!, default));
            Assert.That(() => LlmHttp.MapReadFailure(null!, Context(), true, default), Throws.ArgumentNullException);
        });
    }

    private static ProviderErrorContext Context() => new() { ProviderName = "openai-main", Model = "gpt-4o", Secret = Key };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, ProviderErrorParser? parser = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url);
        return await LlmHttp.SendAsync(client, request, Context(), parser ?? OpenAIParser, new ManualTimeProvider(Now), cancellationToken).ConfigureAwait(false);
    }

    private sealed class BlockingHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private sealed class TrackingContent(string text) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(text);

        public bool Disposed { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
