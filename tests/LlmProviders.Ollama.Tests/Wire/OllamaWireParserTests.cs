using System;
using System.Net;
using System.Text;
using LlmProviders.Ollama.Wire;

namespace LlmProviders.Ollama.Tests.Wire;

/// <summary>The tolerant timestamp parser and the error classification.</summary>
public sealed class OllamaWireParserTests
{
    [TestCase("2024-10-16T11:08:38.60342187Z", 2024, 10, 16, 11, 8, 38, 6034218, 0)]
    [TestCase("2025-05-04T17:37:44.706015396-07:00", 2025, 5, 4, 17, 37, 44, 7060153, -7)]
    [TestCase("2026-01-01T00:00:00Z", 2026, 1, 1, 0, 0, 0, 0, 0)]
    [TestCase("2026-01-01T00:00:00.5+02:00", 2026, 1, 1, 0, 0, 0, 5000000, 2)]
    public void Timestamps_with_any_fraction_and_offset_are_parsed(string text, int y, int mo, int d, int h, int mi, int s, int ticks, int offsetHours)
    {
        var parsed = OllamaJson.ParseTimestamp(Encoding.UTF8.GetBytes(text));
        Assert.That(parsed, Is.EqualTo(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.FromHours(offsetHours)).AddTicks(ticks)));
    }

    [TestCase("")]
    [TestCase("yesterday")]
    [TestCase("2026-13-45T99:00:00Z")]
    public void Unreadable_timestamps_are_null_not_an_error(string text)
    {
        Assert.That(OllamaJson.ParseTimestamp(Encoding.UTF8.GetBytes(text)), Is.Null);
    }

    [TestCase(HttpStatusCode.NotFound, "model 'llama3.2' not found", LlmErrorKind.ModelNotFound)]
    [TestCase(HttpStatusCode.OK, "model \"x\" not found, try pulling it first", LlmErrorKind.ModelNotFound)]
    [TestCase(HttpStatusCode.BadRequest, "the input length exceeds the context length", LlmErrorKind.ContextLengthExceeded)]
    [TestCase(HttpStatusCode.ServiceUnavailable, "server busy, please try again.  maximum pending requests exceeded", LlmErrorKind.Overloaded)]
    [TestCase(HttpStatusCode.TooManyRequests, "you have reached your weekly usage limit", LlmErrorKind.QuotaExhausted)]
    [TestCase(HttpStatusCode.OK, "\"gemma\" does not support thinking", LlmErrorKind.InvalidRequest)]
    [TestCase(HttpStatusCode.OK, "unauthorized", LlmErrorKind.Authentication)]
    [TestCase(HttpStatusCode.OK, "an error was encountered while running the model", LlmErrorKind.ProviderUnavailable)]
    public void Error_text_maps_to_its_kind(HttpStatusCode status, string message, LlmErrorKind kind)
    {
        Assert.That(OllamaErrorParser.Classify(status, message), Is.EqualTo(kind));
    }

    [Test]
    public void Status_decides_when_the_text_says_nothing_finer()
    {
        Assert.That(OllamaErrorParser.Classify(HttpStatusCode.InternalServerError, "llama runner process has terminated"), Is.Null);
        Assert.That(OllamaErrorParser.Classify(HttpStatusCode.BadRequest, "invalid options"), Is.Null);
    }

    [Test]
    public void Non_json_error_bodies_are_left_to_the_status()
    {
        Assert.That(OllamaErrorParser.Parse("<html>bad gateway</html>"u8, HttpStatusCode.BadGateway), Is.Null);
        Assert.That(OllamaErrorParser.Parse("{\"error\":\"cut"u8, HttpStatusCode.InternalServerError), Is.Null);
    }
}
