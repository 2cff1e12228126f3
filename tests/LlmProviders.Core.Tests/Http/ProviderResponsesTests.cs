using System;
using System.Net;
using System.Net.Http;
using System.Text;
using LlmProviders.Http;

namespace LlmProviders.Tests.Http;

/// <summary>The shared checks of whole response bodies and the default client.</summary>
[TestFixture]
public sealed class ProviderResponsesTests
{
    private static readonly ProviderErrorContext Context = new() { ProviderName = "p", Model = "m", StatusCode = HttpStatusCode.OK };

    private static HttpResponseMessage Response(string? mediaType, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent([]) };
        if (mediaType is not null)
        {
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        }

        return response;
    }

    [TestCase("text/html", "{}", true)]
    [TestCase("TEXT/HTML", "{}", true)]
    [TestCase("application/json", "  \r\n<html>", true)]
    [TestCase(null, "\uFEFF <!DOCTYPE html>", true)]
    [TestCase("application/json", "{\"a\": \"<b>\"}", false)]
    [TestCase(null, "", false)]
    public void IsHtml_looks_at_the_content_type_then_the_first_character(string? mediaType, string body, bool expected)
    {
        using var response = Response(mediaType);
        Assert.That(ProviderResponses.IsHtml(response, Encoding.UTF8.GetBytes(body)), Is.EqualTo(expected));
    }

    [Test]
    public void Malformed_keeps_at_most_4096_bytes_of_the_body()
    {
        var inner = new FormatException("x");
        var exception = ProviderResponses.Malformed("bad", Context, Encoding.UTF8.GetBytes(new string('a', 5000)), inner);
        Assert.That(exception, Is.InstanceOf<MalformedResponseException>());
        Assert.That(exception.Kind, Is.EqualTo(LlmErrorKind.MalformedResponse));
        Assert.That(exception.Message, Does.Contain("bad"));
        Assert.That(exception.InnerException, Is.SameAs(inner));
        Assert.That(exception.ProviderName, Is.EqualTo("p"));
        Assert.That(exception.Model, Is.EqualTo("m"));
        Assert.That(exception.ResponseBody, Does.StartWith("aaaa"));
        Assert.That(exception.ResponseBody!, Has.Length.LessThanOrEqualTo(ProviderResponses.MaxBodyTextBytes));
    }

    [Test]
    public void Malformed_without_a_body_has_no_body_text()
    {
        Assert.That(ProviderResponses.Malformed("bad", Context, default, null).ResponseBody, Is.Null);
    }

    [Test]
    public void CheckWholeBody_passes_a_json_body()
    {
        using var response = Response("application/json");
        Assert.That(ProviderResponses.CheckWholeBody("{\"ok\": true}"u8, response, Context, "P", "response"), Is.Null);
    }

    [TestCase("", "P returned an empty response body (HTTP 200).")]
    [TestCase(" \r\n\t", "P returned an empty response body (HTTP 200).")]
    [TestCase("<html></html>", "P returned an HTML page instead of a JSON response (HTTP 200)")]
    public void CheckWholeBody_names_an_empty_body_and_an_html_page(string body, string message)
    {
        using var response = Response("application/json");
        var failure = ProviderResponses.CheckWholeBody(Encoding.UTF8.GetBytes(body), response, Context, "P", "response");
        Assert.That(failure, Is.InstanceOf<MalformedResponseException>());
        Assert.That(failure!.Message, Does.Contain(message));
    }

    [Test]
    public void CheckWholeBody_rejects_invalid_utf8()
    {
        using var response = Response("application/json");
        var failure = ProviderResponses.CheckWholeBody([(byte)'{', 0xFF, (byte)'}'], response, Context, "P", "model list");
        Assert.That(failure, Is.InstanceOf<MalformedResponseException>());
        Assert.That(failure!.Message, Does.Contain("P sent a model list that is not valid UTF-8."));
    }

    [Test]
    public void Default_client_has_no_timeout_of_its_own()
    {
        using var client = ProviderResponses.CreateDefaultHttpClient();
        Assert.That(client.Timeout, Is.EqualTo(System.Threading.Timeout.InfiniteTimeSpan));
    }
}
