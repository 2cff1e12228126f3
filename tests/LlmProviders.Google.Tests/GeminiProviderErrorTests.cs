using System;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Google.Wire;
using LlmProviders.Testing.Http;

namespace LlmProviders.Google.Tests;

/// <summary>Google RPC error envelopes mapped to typed errors: invalid key at 400, RetryInfo delays, quotas, overload, timeouts.</summary>
public sealed class GeminiProviderErrorTests : GeminiProviderTestBase
{
    [Test]
    public async Task Invalid_key_at_400_is_an_authentication_error_not_an_invalid_request()
    {
        // Edge case #27: Gemini rejects a bad key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID.
        var ex = await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json(
            GeminiWire.Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", GeminiWire.ApiKeyInvalidDetails), HttpStatusCode.BadRequest));

        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ex.ErrorCode, Is.EqualTo("API_KEY_INVALID"));
        Assert.That(ex.ErrorType, Is.EqualTo("INVALID_ARGUMENT"));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.ToString(), Does.Not.Contain(Key));
    }

    [Test]
    public async Task Invalid_key_is_recognised_by_its_message_when_details_are_missing()
    {
        await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json(
            GeminiWire.Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."), HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_call_without_any_key_rejected_as_unregistered_caller_is_an_authentication_error()
    {
        await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json(
            GeminiWire.Error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."), HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Rate_limit_wait_comes_from_RetryInfo_retryDelay_in_the_body()
    {
        // Edge case #26: "34.4s" is a duration string in the body, not a header.
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(
            GeminiWire.Error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", GeminiWire.RetryDetails("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "34.4s")), HttpStatusCode.TooManyRequests));

        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(34.4)));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.Message, Does.Contain("34.4 s"));
    }

    [Test]
    public async Task A_retry_after_header_wins_over_the_body_delay()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(
            GeminiWire.Error(429, "RESOURCE_EXHAUSTED", "Too many requests.", GeminiWire.RetryDetails("GenerateRequestsPerMinutePerProjectPerModel", "34.4s")), HttpStatusCode.TooManyRequests)
            .WithHeader("Retry-After", "3"));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [TestCase("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "You exceeded your current quota, please check your plan and billing details.")]
    [TestCase("GenerateContentInputTokensPerModelPerMinute-FreeTier", "Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-2.5-pro")]
    public async Task A_daily_or_zero_quota_is_quota_exhausted_and_not_transient(string quotaId, string message)
    {
        var ex = await CatchChatAsync<QuotaExhaustedException>(CannedResponse.Json(
            GeminiWire.Error(429, "RESOURCE_EXHAUSTED", message, GeminiWire.RetryDetails(quotaId, "20s")), HttpStatusCode.TooManyRequests));
        Assert.That(ex.IsTransient, Is.False);
    }

    [TestCase(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "The service is currently unavailable.", typeof(ProviderUnavailableException))]
    [TestCase(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "The model is overloaded. Please try again later.", typeof(ProviderOverloadedException))]
    [TestCase(HttpStatusCode.InternalServerError, "INTERNAL", "An internal error has occurred.", typeof(ProviderUnavailableException))]
    [TestCase(HttpStatusCode.GatewayTimeout, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.", typeof(ProviderTimeoutException))]
    public async Task Server_failures_are_transient_typed_errors(HttpStatusCode status, string rpcStatus, string message, Type expected)
    {
        Handler.Response = CannedResponse.Json(GeminiWire.Error((int)status, rpcStatus, message), status);
        var ex = await CatchAsync<LlmProviderException>(() => CreateProvider().ChatAsync(Ask()));
        Assert.That(ex, Is.TypeOf(expected));
        Assert.That(ex.IsTransient, Is.True);
    }

    [TestCase(HttpStatusCode.NotFound, "NOT_FOUND", "models/gemini-pro is not found for API version v1beta, or is not supported for generateContent.", typeof(ModelNotFoundException))]
    [TestCase(HttpStatusCode.Forbidden, "PERMISSION_DENIED", "Generative Language API has not been used in project 1 before or it is disabled.", typeof(ProviderPermissionException))]
    [TestCase(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).", typeof(ContextLengthExceededException))]
    [TestCase(HttpStatusCode.BadRequest, "FAILED_PRECONDITION", "User location is not supported for the API use.", typeof(InvalidChatRequestException))]
    public async Task Client_errors_are_typed_and_not_transient(HttpStatusCode status, string rpcStatus, string message, Type expected)
    {
        Handler.Response = CannedResponse.Json(GeminiWire.Error((int)status, rpcStatus, message), status);
        var ex = await CatchAsync<LlmProviderException>(() => CreateProvider().ChatAsync(Ask()));
        Assert.That(ex, Is.TypeOf(expected));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.Message, Does.Contain(message[..20]));
    }

    [Test]
    public void The_error_parser_reads_status_reason_and_delay_and_ignores_other_shapes()
    {
        // Edge case #24: parse defensively.
        var error = GeminiErrorParser.Parse(System.Text.Encoding.UTF8.GetBytes(GeminiWire.Error(429, "RESOURCE_EXHAUSTED", "slow down", GeminiWire.RetryDetails("PerMinute", "1.5s"))), HttpStatusCode.TooManyRequests);
        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Kind, Is.EqualTo(LlmErrorKind.RateLimited));
        Assert.That(error.Type, Is.EqualTo("RESOURCE_EXHAUSTED"));
        Assert.That(error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1.5)));
        Assert.That(GeminiErrorParser.Parse("<html>502</html>"u8, HttpStatusCode.BadGateway), Is.Null);
        Assert.That(GeminiErrorParser.Parse("""{"candidates":[]}"""u8, HttpStatusCode.OK), Is.Null);
        Assert.That(GeminiErrorParser.Parse("""[{"error":{"code":404,"message":"gone","status":"NOT_FOUND"}}]"""u8, HttpStatusCode.NotFound)!.Kind, Is.EqualTo(LlmErrorKind.ModelNotFound));
        Assert.That(GeminiErrorParser.Parse("""{"error":{"code":500,"message":"trunc"""u8, HttpStatusCode.InternalServerError)!.Message, Is.Null);
    }

    [Test]
    public async Task An_error_inside_a_200_body_is_typed_by_its_code()
    {
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(GeminiWire.Error(404, "NOT_FOUND", "models/x is not found.")));
        Assert.That(ex.Message, Does.Contain("is not found"));
    }
}
