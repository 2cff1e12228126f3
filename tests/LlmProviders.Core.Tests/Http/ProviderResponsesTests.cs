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

    [Test]
    public void SendTimedOut_is_a_timeout_naming_the_provider_and_the_seconds()
    {
        var inner = new OperationCanceledException();
        var plain = ProviderResponses.SendTimedOut("P", TimeSpan.FromMilliseconds(1500), Context, inner);
        Assert.That(plain.Kind, Is.EqualTo(LlmErrorKind.Timeout));
        Assert.That(plain.InnerException, Is.SameAs(inner));
        Assert.That(plain.Message, Does.Contain($"P did not answer within the request timeout of {1.5:0.###} s. Raise RequestTimeout"));

        var detailed = ProviderResponses.SendTimedOut("P", TimeSpan.FromSeconds(2), Context, inner, " (loading)");
        Assert.That(detailed.Message, Does.Contain("timeout of 2 s (loading). Raise RequestTimeout"));
    }

    [Test]
    public void StreamInterruptionMessage_names_a_timeout_and_a_broken_connection_only()
    {
        var time = new LlmProviders.Testing.ManualTimeProvider();
        using var timeout = new RequestTimeout(TimeSpan.FromSeconds(5), new TimeoutSourcePool(time), System.Threading.CancellationToken.None);
        Assert.That(ProviderResponses.StreamInterruptionMessage(new OperationCanceledException(), timeout, TimeSpan.FromSeconds(5), "P", default), Is.Null, "not timed out yet");

        Assert.That(ProviderResponses.StreamInterruptionMessage(new System.IO.IOException("reset"), timeout, TimeSpan.FromSeconds(5), "P", default),
            Is.EqualTo("The stream from P broke off before its end (reset); the answer is incomplete."));
        Assert.That(ProviderResponses.StreamInterruptionMessage(new HttpRequestException("x"), timeout, TimeSpan.FromSeconds(5), "P", default), Is.Not.Null);
        Assert.That(ProviderResponses.StreamInterruptionMessage(new ObjectDisposedException("x"), timeout, TimeSpan.FromSeconds(5), "P", default), Is.Not.Null);
        Assert.That(ProviderResponses.StreamInterruptionMessage(new InvalidOperationException("x"), timeout, TimeSpan.FromSeconds(5), "P", default), Is.Null);

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.That(ProviderResponses.StreamInterruptionMessage(new OperationCanceledException(), timeout, TimeSpan.FromSeconds(5), "P", default),
            Is.EqualTo("The stream from P did not finish within the request timeout of 5 s; the answer is incomplete."));
    }

    [Test]
    public void Interrupted_carries_the_partial_answer_and_redacts_the_secret()
    {
        var inner = new System.IO.IOException();
        var exception = ProviderResponses.Interrupted("broke with sk-secret-123456", "sk-secret-123456", Context with { RequestId = "r1" }, "partial", 3, inner);
        Assert.That(exception.Message, Does.Not.Contain("sk-secret-123456"));
        Assert.That(exception.ProviderName, Is.EqualTo("p"));
        Assert.That(exception.Model, Is.EqualTo("m"));
        Assert.That(exception.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(exception.RequestId, Is.EqualTo("r1"));
        Assert.That(exception.PartialText, Is.EqualTo("partial"));
        Assert.That(exception.UpdatesDelivered, Is.EqualTo(3));
        Assert.That(exception.InnerException, Is.SameAs(inner));
    }

    [TestCase(0, -1)]
    [TestCase(-5, -1)]
    [TestCase(30, 30)]
    [TestCase(50 * 86400, -1)]
    public void RequestTimeout_Normalize_turns_unusable_timeouts_into_none(int seconds, int expected)
    {
        var normalized = RequestTimeout.Normalize(TimeSpan.FromSeconds(seconds));
        Assert.That(normalized, Is.EqualTo(expected < 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(expected)));
    }

    [TestCase("text/html", true)]
    [TestCase("Application/JSON", true)]
    [TestCase("text/event-stream", false)]
    [TestCase("application/x-ndjson", false)]
    [TestCase(null, false)]
    public void IsJsonOrHtml_flags_bodies_that_are_not_a_stream(string? mediaType, bool expected)
    {
        using var response = Response(mediaType);
        Assert.That(ProviderResponses.IsJsonOrHtml(response, out var reported), Is.EqualTo(expected));
        Assert.That(reported, Is.EqualTo(mediaType));
    }

    [Test]
    public void NotAStream_names_an_html_page_or_the_media_type()
    {
        using var html = Response("application/json", HttpStatusCode.BadGateway);
        var page = ProviderResponses.NotAStream("P", html, "application/json", Context, "<html>"u8, "an event stream");
        Assert.That(page, Is.InstanceOf<MalformedResponseException>());
        Assert.That(page.Message, Does.Contain("P returned an HTML page instead of an event stream (HTTP 502); a proxy or gateway answered."));

        using var json = Response("application/json");
        var other = ProviderResponses.NotAStream("P", json, "application/json", Context, "{}"u8, "an event stream", " (alt=sse)");
        Assert.That(other.Message, Does.Contain("P returned 'application/json' instead of an event stream to a streaming request (alt=sse)."));
    }
}
