using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.Logging;

namespace LlmProviders.OpenAI.Tests;

/// <summary>How OpenAI error responses map to the typed exceptions, with retry hints, request ids and no key anywhere.</summary>
public sealed class OpenAIProviderErrorTests : OpenAIProviderTestBase
{
    private static CannedResponse Error(HttpStatusCode status, string message, string? type, string? code, string? param = null) =>
        CannedResponse.Json(OpenAIWire.Error(message, type, code, param), status);

    [Test]
    public async Task Context_length_exceeded_by_code_is_its_own_error()
    {
        var ex = await CatchChatAsync<ContextLengthExceededException>(Error(HttpStatusCode.BadRequest, "This model's maximum context length is 8192 tokens.", "invalid_request_error", "context_length_exceeded", "messages"));
        Assert.That(ex.ErrorCode, Is.EqualTo("context_length_exceeded"));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.Message, Does.Contain("larger context window"));
    }

    [Test]
    public async Task Context_length_exceeded_by_message_only_is_recognised()
    {
        await CatchChatAsync<ContextLengthExceededException>(Error(HttpStatusCode.BadRequest, "This model's maximum context length is 4097 tokens, however you requested 5000 tokens.", "invalid_request_error", null));
    }

    [TestCase("content_filter")]
    [TestCase("content_policy_violation")]
    public async Task Content_filter_codes_are_content_filtered(string code)
    {
        var ex = await CatchChatAsync<ContentFilteredException>(Error(HttpStatusCode.BadRequest, "Your request was rejected as a result of our safety system.", "invalid_request_error", code));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Unsupported_parameter_is_an_invalid_request_with_code_type_and_request_id()
    {
        var response = Error(HttpStatusCode.BadRequest, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "invalid_request_error", "unsupported_parameter", "max_tokens")
            .WithHeader("x-request-id", "req_123");
        var ex = await CatchChatAsync<InvalidChatRequestException>(response);
        Assert.That(ex, Is.TypeOf<InvalidChatRequestException>());
        Assert.That(ex.ErrorCode, Is.EqualTo("unsupported_parameter"));
        Assert.That(ex.ErrorType, Is.EqualTo("invalid_request_error"));
        Assert.That(ex.RequestId, Is.EqualTo("req_123"));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ex.Model, Is.EqualTo("gpt-4o-mini"));
        Assert.That(ex.Message, Does.Contain("max_completion_tokens"));
    }

    [Test]
    public async Task Insufficient_quota_429_is_quota_exhausted_and_never_transient_even_if_the_server_says_retry()
    {
        var response = Error(HttpStatusCode.TooManyRequests, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota")
            .WithHeader("x-should-retry", "true");
        var ex = await CatchChatAsync<QuotaExhaustedException>(response);
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.Message, Does.Contain("Retrying will not help"));
    }

    [Test]
    public async Task Rate_limit_exceeded_429_is_transient_with_its_retry_after()
    {
        var response = Error(HttpStatusCode.TooManyRequests, "Rate limit reached for requests. Please try again in 20s.", "requests", "rate_limit_exceeded")
            .WithHeader("retry-after", "20")
            .WithHeader("x-ratelimit-reset-requests", "20s");
        var ex = await CatchChatAsync<RateLimitedException>(response);
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public async Task Retry_after_ms_wins_over_retry_after()
    {
        var response = Error(HttpStatusCode.TooManyRequests, "Rate limit reached.", "tokens", "rate_limit_exceeded")
            .WithHeader("retry-after", "2")
            .WithHeader("retry-after-ms", "1250");
        var ex = await CatchChatAsync<RateLimitedException>(response);
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(1250)));
    }

    [Test]
    public async Task Should_retry_false_makes_a_rate_limit_non_transient()
    {
        var response = Error(HttpStatusCode.TooManyRequests, "Rate limit reached.", "tokens", "rate_limit_exceeded").WithHeader("x-should-retry", "false");
        var ex = await CatchChatAsync<RateLimitedException>(response);
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Model_not_found_carries_the_code()
    {
        var ex = await CatchChatAsync<ModelNotFoundException>(Error(HttpStatusCode.NotFound, "The model 'fake_id' does not exist", "invalid_request_error", "model_not_found", "model"));
        Assert.That(ex.ErrorCode, Is.EqualTo("model_not_found"));
        Assert.That(ex.Message, Does.Contain("fake_id"));
    }

    [Test]
    public async Task Invalid_url_404_is_an_invalid_request_not_a_missing_model()
    {
        await CatchChatAsync<InvalidChatRequestException>(Error(HttpStatusCode.NotFound, "Invalid URL (POST /v1/chat/completionz)", "invalid_request_error", null));
    }

    [Test]
    public async Task Overloaded_503_is_overloaded()
    {
        var ex = await CatchChatAsync<ProviderOverloadedException>(Error(HttpStatusCode.ServiceUnavailable, "That model is currently overloaded with other requests.", "server_error", null));
        Assert.That(ex.IsTransient, Is.True);
    }

    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public async Task Server_errors_are_transient_provider_unavailable(HttpStatusCode status)
    {
        var ex = await CatchChatAsync<ProviderUnavailableException>(Error(status, "The server had an error while processing your request.", "server_error", null));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.StatusCode, Is.EqualTo(status));
    }

    [TestCase(HttpStatusCode.GatewayTimeout)]
    [TestCase(HttpStatusCode.RequestTimeout)]
    public async Task Gateway_and_request_timeouts_are_timeouts(HttpStatusCode status)
    {
        var ex = await CatchChatAsync<ProviderTimeoutException>(CannedResponse.Text(status, "text/plain", "upstream request timeout"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task Html_502_from_a_gateway_is_provider_unavailable_saying_so()
    {
        var ex = await CatchChatAsync<ProviderUnavailableException>(CannedResponse.HtmlPage(HttpStatusCode.BadGateway));
        Assert.That(ex.Message, Does.Contain("HTML page"));
        Assert.That(ex.ResponseBody, Does.Contain("cloudflare"));
    }

    [Test]
    public async Task Numeric_error_code_of_compatible_servers_is_read()
    {
        var body = """{"error":{"code":429,"message":"Rate limit exceeded: free-models-per-day","metadata":{"headers":{}}}}""";
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(body, HttpStatusCode.TooManyRequests));
        Assert.That(ex.ErrorCode, Is.EqualTo("429"));
        Assert.That(ex.Message, Does.Contain("free-models-per-day"));
    }

    [Test]
    public async Task Flat_legacy_error_shape_is_read()
    {
        var body = """{"object":"error","message":"max_tokens must be at least 1","type":"BadRequestError","param":null,"code":400}""";
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse.Json(body, HttpStatusCode.BadRequest));
        Assert.That(ex.Message, Does.Contain("max_tokens must be at least 1"));
        Assert.That(ex.ErrorCode, Is.EqualTo("400"));
    }

    [Test]
    public async Task Error_given_as_a_string_is_read()
    {
        var ex = await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json("""{"error":"Unauthorized"}""", HttpStatusCode.Unauthorized));
        Assert.That(ex.Message, Does.Contain("Unauthorized"));
    }

    [Test]
    public async Task Truncated_error_body_still_maps_by_status()
    {
        var ex = await CatchChatAsync<ProviderPermissionException>(CannedResponse.Json("{\"error\":{\"message\":\"Country, reg", HttpStatusCode.Forbidden));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Masked_key_in_a_401_body_never_reaches_the_exception()
    {
        var masked = Key[..8] + "**************" + Key[^4..];
        var response = Error(HttpStatusCode.Unauthorized, $"Incorrect API key provided: {masked}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
        var ex = await CatchChatAsync<ProviderAuthenticationException>(response);
        foreach (var text in new[] { ex.Message, ex.ToString(), ex.ResponseBody! })
        {
            Assert.That(text, Does.Not.Contain(Key[..8]));
            Assert.That(text, Does.Not.Contain(Key[^4..]));
            Assert.That(text, Does.Not.Contain(masked));
        }

        Assert.That(ex.Message, Does.Contain("Incorrect API key provided"));
        Assert.That(ex.ErrorCode, Is.EqualTo("invalid_api_key"));
    }

    [Test]
    public async Task Full_key_echoed_by_a_proxy_never_reaches_the_exception()
    {
        var response = CannedResponse.Text(HttpStatusCode.Unauthorized, "text/plain", $"Rejected header Authorization: Bearer {Key} (key {Key})");
        var ex = await CatchChatAsync<ProviderAuthenticationException>(response);
        Assert.That(ex.Message + ex.ToString() + ex.ResponseBody, Does.Not.Contain(Key[8..]));
    }

    [Test]
    public async Task Errors_on_model_listing_are_typed()
    {
        Handler.Response = Error(HttpStatusCode.Unauthorized, "Incorrect API key provided: sk-test-****.", "invalid_request_error", "invalid_api_key");
        var provider = CreateProvider();
        var ex = await CatchAsync<ProviderAuthenticationException>(() => provider.ListModelsAsync());
        Assert.That(ex.ProviderName, Is.EqualTo("openai"));
    }

    [Test]
    public async Task Malformed_model_list_is_malformed()
    {
        Handler.Response = CannedResponse.Json("""{"object":"list","data":[{"id":"a"},""");
        var provider = CreateProvider();
        await CatchAsync<MalformedResponseException>(() => provider.ListModelsAsync());
    }

    [Test]
    public async Task Failed_calls_are_logged_without_the_key()
    {
        var logger = new CapturingLogger();
        var provider = new OpenAIProvider(new OpenAIProviderOptions { ApiKey = Key }, new System.Net.Http.HttpClient(Handler), "openai", Time, logger, new OpenAIEnvironment(_ => null));
        var masked = Key[..8] + "****" + Key[^4..];
        await CatchChatAsync<ProviderAuthenticationException>(Error(HttpStatusCode.Unauthorized, $"Incorrect API key provided: {masked}.", "invalid_request_error", "invalid_api_key"), provider: provider);
        await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: provider);

        Assert.That(logger.Lines, Has.Some.Contains("Authentication"));
        Assert.That(logger.Lines, Has.Some.Contains("answered"));
        Assert.That(logger.Lines.Where(l => l.Contains(Key[..8], StringComparison.Ordinal) || l.Contains(Key[^6..], StringComparison.Ordinal)), Is.Empty);
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToArray();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
            }
        }
    }
}
