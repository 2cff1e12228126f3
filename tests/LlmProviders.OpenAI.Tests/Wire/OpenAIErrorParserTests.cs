using System.Net;
using System.Text;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.OpenAI.Tests.Wire;

/// <summary>The error envelope reader and its mapping of codes, types and messages.</summary>
public sealed class OpenAIErrorParserTests
{
    private static LlmProviders.Http.ProviderError? Parse(string body, HttpStatusCode status) => OpenAIErrorParser.Parse(Encoding.UTF8.GetBytes(body), status);

    [Test]
    public void Envelope_fields_are_read_with_code_as_string_number_or_null()
    {
        var withString = Parse("""{"error":{"message":"m","type":"t","param":"p","code":"c"}}""", HttpStatusCode.BadRequest)!;
        Assert.That((withString.Message, withString.Type, withString.Code), Is.EqualTo(("m", "t", "c")));
        Assert.That(Parse("""{"error":{"message":"m","code":503}}""", HttpStatusCode.ServiceUnavailable)!.Code, Is.EqualTo("503"));
        Assert.That(Parse("""{"error":{"message":"m","code":null}}""", HttpStatusCode.ServiceUnavailable)!.Code, Is.Null);
    }

    [TestCase("<html><body>502</body></html>")]
    [TestCase("")]
    [TestCase("upstream connect error")]
    [TestCase("""{"detail":"Not Found"}""")]
    [TestCase("[1,2]")]
    public void Bodies_that_are_not_error_objects_give_nothing(string body)
    {
        Assert.That(Parse(body, HttpStatusCode.BadGateway), Is.Null);
    }

    [TestCase(400, "context_length_exceeded", "invalid_request_error", "x", LlmErrorKind.ContextLengthExceeded)]
    [TestCase(400, null, "invalid_request_error", "This model's maximum context length is 8192 tokens", LlmErrorKind.ContextLengthExceeded)]
    [TestCase(400, "content_filter", null, "x", LlmErrorKind.ContentFiltered)]
    [TestCase(400, "content_policy_violation", null, "x", LlmErrorKind.ContentFiltered)]
    [TestCase(429, "insufficient_quota", "insufficient_quota", "x", LlmErrorKind.QuotaExhausted)]
    [TestCase(429, "rate_limit_exceeded", "tokens", "x", LlmErrorKind.RateLimited)]
    [TestCase(404, "model_not_found", "invalid_request_error", "x", LlmErrorKind.ModelNotFound)]
    [TestCase(401, "invalid_api_key", "invalid_request_error", "x", LlmErrorKind.Authentication)]
    [TestCase(503, null, "server_error", "That model is currently overloaded", LlmErrorKind.Overloaded)]
    [TestCase(404, null, "invalid_request_error", "Invalid URL (POST /v1/chat)", LlmErrorKind.InvalidRequest)]
    [TestCase(200, null, "server_error", "boom", LlmErrorKind.ProviderUnavailable)]
    [TestCase(200, null, "invalid_request_error", "bad", LlmErrorKind.InvalidRequest)]
    [TestCase(200, null, "tokens", "slow down", LlmErrorKind.RateLimited)]
    public void Codes_types_and_messages_map_to_kinds(int status, string? code, string? type, string message, LlmErrorKind expected)
    {
        Assert.That(OpenAIErrorParser.Classify((HttpStatusCode)status, code, type, message), Is.EqualTo(expected));
    }

    [TestCase(400, "unsupported_parameter")]
    [TestCase(403, "unsupported_country_region_territory")]
    [TestCase(500, null)]
    public void Other_errors_are_left_to_the_status(int status, string? code)
    {
        Assert.That(OpenAIErrorParser.Classify((HttpStatusCode)status, code, "invalid_request_error", "x"), Is.Null);
    }
}
