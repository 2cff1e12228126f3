using System;
using System.Net;
using System.Text;
using LlmProviders.AzureOpenAI.Wire;

namespace LlmProviders.AzureOpenAI.Tests.Wire;

/// <summary>Azure's error bodies: string codes, DeploymentNotFound, content-filter categories, the wait in a 429's message.</summary>
public sealed class AzureOpenAIErrorParserTests
{
    private static LlmProviders.Http.ProviderError? Parse(string body, HttpStatusCode status) => AzureOpenAIErrorParser.Parse(Encoding.UTF8.GetBytes(body), status);

    [Test]
    public void Deployment_not_found_is_model_not_found()
    {
        Assert.That(Parse(AzureWire.DeploymentNotFound, HttpStatusCode.NotFound)!.Kind, Is.EqualTo(LlmErrorKind.ModelNotFound));
    }

    [TestCase("401", LlmErrorKind.Authentication)]
    [TestCase("403", LlmErrorKind.PermissionDenied)]
    [TestCase("429", LlmErrorKind.RateLimited)]
    public void String_status_codes_decide_inside_a_200_stream(string code, LlmErrorKind kind)
    {
        Assert.That(Parse(AzureWire.Error(code, "x"), HttpStatusCode.OK)!.Kind, Is.EqualTo(kind));
    }

    [Test]
    public void Content_filter_error_names_the_filtered_categories()
    {
        var error = Parse(AzureWire.PromptFilteredError("sexual", "violence"), HttpStatusCode.BadRequest)!;
        Assert.That(error.Kind, Is.EqualTo(LlmErrorKind.ContentFiltered));
        Assert.That(error.Categories, Is.EqualTo(new[] { "sexual", "violence" }));
        Assert.That(error.Code, Is.EqualTo("content_filter"));
    }

    [Test]
    public void Out_of_call_volume_quota_is_quota_exhausted()
    {
        Assert.That(Parse(AzureWire.Error("403", "Out of call volume quota for OpenAI API. Quota will be replenished in 2.12:16:39."), HttpStatusCode.Forbidden)!.Kind, Is.EqualTo(LlmErrorKind.QuotaExhausted));
    }

    [TestCase("Please retry after 86400 seconds. Please go here", 86400)]
    [TestCase("Please retry after 1 second.", 1)]
    [TestCase("Rate limit is exceeded. Try again in 5 seconds.", -1)]
    [TestCase("retry after soon", -1)]
    [TestCase("retry after 99999999999 seconds", -1)]
    public void Wait_is_read_from_the_message(string message, int seconds)
    {
        var wait = AzureOpenAIErrorParser.RetryAfterFromMessage(message);
        Assert.That(wait, seconds < 0 ? Is.Null : Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [Test]
    public void Html_page_is_not_an_azure_error()
    {
        Assert.That(Parse("<html><body>Bad Gateway</body></html>", HttpStatusCode.BadGateway), Is.Null);
    }

    [Test]
    public void Truncated_content_filter_body_keeps_the_kind()
    {
        var body = AzureWire.PromptFilteredError("hate");
        var error = Parse(body[..(body.Length - 40)], HttpStatusCode.BadRequest);
        Assert.That(error?.Kind, Is.EqualTo(LlmErrorKind.ContentFiltered).Or.Null);
    }
}
