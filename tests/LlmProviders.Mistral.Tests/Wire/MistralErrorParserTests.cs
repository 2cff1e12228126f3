using System.Net;
using System.Text;
using LlmProviders.Mistral.Wire;

namespace LlmProviders.Mistral.Tests.Wire;

/// <summary>The shapes <see cref="MistralErrorParser"/> reads (edge case #24), straight from bytes.</summary>
public sealed class MistralErrorParserTests
{
    private static LlmProviders.Http.ProviderError? Parse(string body, HttpStatusCode status) => MistralErrorParser.Parse(Encoding.UTF8.GetBytes(body), status);

    [Test]
    public void Message_string_with_request_id_is_read()
    {
        var error = Parse("""{"message":"Unauthorized","request_id":"933f"}""", HttpStatusCode.Unauthorized);
        Assert.That(error!.Message, Is.EqualTo("Unauthorized"));
        Assert.That(error.Kind, Is.Null, "the status decides: 401");
    }

    [Test]
    public void Detail_string_is_read()
    {
        var error = Parse("""{"detail":"Unauthorized"}""", HttpStatusCode.Unauthorized);
        Assert.That(error!.Message, Is.EqualTo("Unauthorized"));
    }

    [Test]
    public void Bare_not_found_is_an_invalid_request_naming_the_base_url()
    {
        var error = Parse("""{"detail":"Not Found"}""", HttpStatusCode.NotFound);
        Assert.That(error!.Kind, Is.EqualTo(LlmErrorKind.InvalidRequest));
        Assert.That(error.Message, Does.StartWith("Not Found: no such endpoint"));
    }

    [Test]
    public void Not_found_about_a_model_is_model_not_found()
    {
        var error = Parse("""{"object":"error","message":"Model not found: ft:open-mistral-7b:abc","type":"invalid_request_error","param":null,"code":null}""", HttpStatusCode.NotFound);
        Assert.That(error!.Kind, Is.EqualTo(LlmErrorKind.ModelNotFound));
    }

    [Test]
    public void Detail_array_at_the_root_is_described()
    {
        var error = Parse("""{"detail":[{"type":"missing","loc":["body","model"],"msg":"Field required","input":{}}]}""", HttpStatusCode.UnprocessableEntity);
        Assert.That(error!.Message, Is.EqualTo("'model': Field required"));
        Assert.That(error.Kind, Is.EqualTo(LlmErrorKind.InvalidRequest));
    }

    [Test]
    public void Message_object_with_detail_array_is_described()
    {
        var error = Parse("""{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted","input":32000}]},"type":"invalid_request_error","param":null,"code":null}""", HttpStatusCode.UnprocessableEntity);
        Assert.That(error!.Message, Is.EqualTo("Mistral does not accept the field 'max_completion_tokens' (Extra inputs are not permitted)"));
        Assert.That(error.Type, Is.EqualTo("invalid_request_error"));
        Assert.That(error.Code, Is.Null);
    }

    [Test]
    public void Openai_envelope_from_a_proxy_is_read()
    {
        var error = Parse("""{"error":{"message":"Rate limit exceeded","type":"rate_limited","code":"1300"}}""", HttpStatusCode.TooManyRequests);
        Assert.That(error!.Kind, Is.EqualTo(LlmErrorKind.RateLimited));
        Assert.That(error.Code, Is.EqualTo("1300"));
    }

    [Test]
    public void Message_string_that_only_looks_like_json_is_kept()
    {
        var error = Parse("""{"message":"{not json"}""", HttpStatusCode.BadRequest);
        Assert.That(error!.Message, Is.EqualTo("{not json"));
    }

    [TestCase("<html><title>502 Bad Gateway</title></html>")]
    [TestCase("")]
    [TestCase("[1,2]")]
    [TestCase("""{"request_id":"abc"}""")]
    public void Body_that_is_not_an_error_object_gives_null(string body)
    {
        Assert.That(Parse(body, HttpStatusCode.BadGateway), Is.Null);
    }

    [Test]
    public void Truncated_body_keeps_what_was_read()
    {
        var error = Parse("""{"object":"error","message":"Rate limit exceeded","type":"rate_lim""", HttpStatusCode.TooManyRequests);
        Assert.That(error!.Message, Is.EqualTo("Rate limit exceeded"));
    }
}
