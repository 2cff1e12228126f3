using System;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.Mistral.Tests;

/// <summary>Edge case #24: every Mistral error body shape becomes the right typed exception with a useful message.</summary>
public sealed class MistralProviderErrorTests : MistralProviderTestBase
{
    [Test]
    public async Task Unauthorized_message_with_request_id_is_an_authentication_error()
    {
        var ex = await CatchChatAsync<ProviderAuthenticationException>(
            CannedResponse.Json("""{"message":"Unauthorized","request_id":"933f233947ff6d346065bb297e4a4d56"}""", HttpStatusCode.Unauthorized));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(ex.Message, Does.Contain("Unauthorized"));
        Assert.That(ex.ProviderName, Is.EqualTo("mistral"));
    }

    [Test]
    public async Task Detail_unauthorized_is_an_authentication_error()
    {
        var ex = await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json("""{"detail":"Unauthorized"}""", HttpStatusCode.Unauthorized));
        Assert.That(ex.Message, Does.Contain("Unauthorized"));
        Assert.That(ex.Message, Does.Not.Contain(Key[8..]));
    }

    [Test]
    public async Task Detail_not_found_is_a_wrong_url_not_a_missing_model()
    {
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse.Json("""{"detail":"Not Found"}""", HttpStatusCode.NotFound));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(ex.Message, Does.Contain("base URL"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Invalid_model_is_model_not_found()
    {
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(
            MistralWire.Error("Invalid model: mistral-smol", "invalid_model", "1500"), HttpStatusCode.BadRequest));
        Assert.That(ex.Message, Does.Contain("Invalid model: mistral-smol"));
        Assert.That(ex.ErrorCode, Is.EqualTo("1500"));
        Assert.That(ex.ErrorType, Is.EqualTo("invalid_model"));
    }

    [Test]
    public async Task Unprocessable_with_message_object_names_the_rejected_field()
    {
        var body = MistralWire.ErrorRaw(
            """{"detail":[{"type":"extra_forbidden","loc":["body","stream_options","include_usage"],"msg":"Extra inputs are not permitted","input":true}]}""",
            "invalid_request_error", null);
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse.Json(body, HttpStatusCode.UnprocessableEntity));
        Assert.That(ex.Message, Does.Contain("stream_options.include_usage"));
        Assert.That(ex.Message, Does.Contain("Extra inputs are not permitted"));
        Assert.That(ex.ErrorType, Is.EqualTo("invalid_request_error"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Unprocessable_with_several_details_names_every_field()
    {
        var body = MistralWire.ErrorRaw(
            """{"detail":[{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted","input":32000},{"type":"missing","loc":["body","messages",0,"content"],"msg":"Field required"}]}""",
            "invalid_request_error", null);
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse.Json(body, HttpStatusCode.UnprocessableEntity));
        Assert.That(ex.Message, Does.Contain("'max_completion_tokens'"));
        Assert.That(ex.Message, Does.Contain("'messages[0].content': Field required"));
    }

    [Test]
    public async Task Legacy_unprocessable_with_message_as_a_json_string_names_the_rejected_field()
    {
        var encoded = MistralWire.Str("""{"detail":[{"type":"extra_forbidden","loc":["body","frequency_penalty"],"msg":"Extra inputs are not permitted","input":0.0,"url":"https://errors.pydantic.dev/2.5/v/extra_forbidden"}]}""");
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse.Json(MistralWire.ErrorRaw(encoded, "internal_error_proxy", "1000"), HttpStatusCode.UnprocessableEntity));
        Assert.That(ex.Message, Does.Contain("frequency_penalty"));
        Assert.That(ex.Message, Does.Not.Contain("\\\"detail\\\""));
        Assert.That(ex.ErrorCode, Is.EqualTo("1000"));
    }

    [Test]
    public async Task Legacy_rate_limit_message_is_rate_limited_and_transient()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json("""{"message":"Requests rate limit exceeded"}""", HttpStatusCode.TooManyRequests));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.Message, Does.Contain("Requests rate limit exceeded"));
    }

    [Test]
    public async Task Current_rate_limit_with_code_1300_is_rate_limited_with_retry_after()
    {
        var ex = await CatchChatAsync<RateLimitedException>(CannedResponse.Json(
            """{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}""", HttpStatusCode.TooManyRequests)
            .WithHeader("Retry-After", "3"));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.ErrorCode, Is.EqualTo("1300"));
        Assert.That(ex.ErrorType, Is.EqualTo("rate_limited"));
        Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [TestCase(HttpStatusCode.ServiceUnavailable)]
    [TestCase(HttpStatusCode.TooManyRequests)]
    public async Task Capacity_exceeded_is_a_transient_overload(HttpStatusCode status)
    {
        var ex = await CatchChatAsync<ProviderOverloadedException>(CannedResponse.Json(
            MistralWire.Error("Service tier capacity exceeded for this model.", "service_tier_capacity_exceeded", "3505"), status));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.StatusCode, Is.EqualTo(status));
    }

    [Test]
    public async Task Plain_capacity_message_on_503_is_an_overload()
    {
        var ex = await CatchChatAsync<ProviderOverloadedException>(CannedResponse.Json("""{"message":"Internal capacity exceeded, please retry later."}""", HttpStatusCode.ServiceUnavailable));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task Prompt_too_large_is_context_length_exceeded()
    {
        await CatchChatAsync<ContextLengthExceededException>(CannedResponse.Json(
            MistralWire.Error("Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length", "invalid_request_error", "3051"), HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Error_status_on_a_stream_throws_the_typed_error_before_any_update()
    {
        var ex = await CatchStreamAsync<InvalidChatRequestException>(CannedResponse.Json(
            MistralWire.ErrorRaw("""{"detail":[{"type":"extra_forbidden","loc":["body","store"],"msg":"Extra inputs are not permitted","input":true}]}""", "invalid_request_error", null),
            HttpStatusCode.UnprocessableEntity));
        Assert.That(ex.Message, Does.Contain("'store'"));
    }
}
