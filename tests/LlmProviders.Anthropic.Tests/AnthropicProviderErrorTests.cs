using System;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Anthropic.Wire;
using LlmProviders.Testing.Http;
using static LlmProviders.Anthropic.Tests.AnthropicWire;

namespace LlmProviders.Anthropic.Tests;

/// <summary>Error mapping: 529 overloaded, x-should-retry, retry-after, request ids, credit balance, key redaction.</summary>
public sealed class AnthropicProviderErrorTests : AnthropicProviderTestBase
{
    private static CannedResponse Overloaded529 => CannedResponse.Json("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", (HttpStatusCode)529)
        .WithHeader("request-id", "req_01RCc7MbLyQNtGKzBTv8VCep");

    [Test]
    public async Task Status_529_is_a_transient_overloaded_error_with_the_request_id()
    {
        var ex = await CatchChatAsync<ProviderOverloadedException>(Overloaded529.WithHeader("x-should-retry", "true"));
        Assert.Multiple(() =>
        {
            Assert.That(ex.IsTransient, Is.True);
            Assert.That((int)ex.StatusCode!, Is.EqualTo(529));
            Assert.That(ex.ErrorType, Is.EqualTo("overloaded_error"));
            Assert.That(ex.RequestId, Is.EqualTo("req_01RCc7MbLyQNtGKzBTv8VCep"));
            Assert.That(ex.Message, Does.Contain("anthropic"));
        });
    }

    [Test]
    public async Task Status_529_without_an_error_body_is_still_overloaded()
    {
        await CatchChatAsync<ProviderOverloadedException>(CannedResponse.Text((HttpStatusCode)529, "text/plain", "overloaded"));
    }

    [Test]
    public async Task X_should_retry_false_makes_an_overload_non_transient()
    {
        var ex = await CatchChatAsync<ProviderOverloadedException>(Overloaded529.WithHeader("x-should-retry", "false"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task X_should_retry_true_makes_a_conflict_transient()
    {
        var ex = await CatchChatAsync<LlmProviderException>(CannedResponse.Json(Error("invalid_request_error", "Conflict"), HttpStatusCode.Conflict).WithHeader("x-should-retry", "true"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task A_429_carries_retry_after_and_is_transient()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(Error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), HttpStatusCode.TooManyRequests)
            .WithHeader("retry-after", "12").WithHeader("x-should-retry", "true"));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(12)));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task A_low_credit_balance_is_quota_exhausted_and_never_transient()
    {
        var ex = await CatchChatAsync<QuotaExhaustedException>(CannedResponse.Json(Error("invalid_request_error", "Your credit balance is too low to access the Anthropic API."), HttpStatusCode.BadRequest));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task A_404_not_found_error_is_model_not_found()
    {
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(Error("not_found_error", "model: claude-nope"), HttpStatusCode.NotFound));
        Assert.That(ex.Message, Does.Contain("model: claude-nope"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task A_413_request_too_large_is_context_length_exceeded()
    {
        await CatchChatAsync<ContextLengthExceededException>(CannedResponse.Json(Error("request_too_large", "Request exceeds the maximum allowed number of bytes."), (HttpStatusCode)413));
    }

    [Test]
    public async Task The_api_key_never_appears_in_an_authentication_error()
    {
        var ex = await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json(Error("authentication_error", $"invalid x-api-key {Key}"), HttpStatusCode.Unauthorized));
        Assert.That(ex.ToString(), Does.Not.Contain(Key));
        Assert.That(ex.ResponseBody ?? string.Empty, Does.Not.Contain(Key));
    }

    [TestCase("authentication_error", 401, LlmErrorKind.Authentication)]
    [TestCase("permission_error", 403, LlmErrorKind.PermissionDenied)]
    [TestCase("not_found_error", 404, LlmErrorKind.ModelNotFound)]
    [TestCase("rate_limit_error", 429, LlmErrorKind.RateLimited)]
    [TestCase("overloaded_error", 529, LlmErrorKind.Overloaded)]
    [TestCase("overloaded_error", 200, LlmErrorKind.Overloaded)]
    [TestCase("invalid_request_error", 400, LlmErrorKind.InvalidRequest)]
    [TestCase("billing_error", 402, LlmErrorKind.QuotaExhausted)]
    [TestCase("api_error", 200, LlmErrorKind.ProviderUnavailable)]
    public void The_error_parser_maps_error_types(string type, int status, LlmErrorKind expected)
    {
        var error = AnthropicErrorParser.Parse(System.Text.Encoding.UTF8.GetBytes(Error(type, "x")), (HttpStatusCode)status);
        Assert.That(error!.Kind, Is.EqualTo(expected));
        Assert.That(error.Type, Is.EqualTo(type));
    }

    [Test]
    public void The_error_parser_lets_the_status_decide_for_api_error()
    {
        var error = AnthropicErrorParser.Parse(System.Text.Encoding.UTF8.GetBytes(Error("api_error", "Internal server error")), HttpStatusCode.GatewayTimeout);
        Assert.That(error!.Kind, Is.Null);
        Assert.That(error.Message, Is.EqualTo("Internal server error"));
    }

    [Test]
    public void The_error_parser_returns_null_for_a_non_json_body()
    {
        Assert.That(AnthropicErrorParser.Parse("<html>502</html>"u8, HttpStatusCode.BadGateway), Is.Null);
    }
}
