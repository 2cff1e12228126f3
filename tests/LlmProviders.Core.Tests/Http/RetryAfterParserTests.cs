using System;
using System.Net.Http;
using System.Net.Http.Headers;
using LlmProviders.Http;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [TestCase("retry-after-ms", "1500", 1500)]
    [TestCase("retry-after-ms", "0", 0)]
    [TestCase("retry-after-ms", " 250.5 ", 250.5)]
    [TestCase("x-ms-retry-after-ms", "20000", 20000)]
    [TestCase("Retry-After", "30", 30_000)]
    [TestCase("Retry-After", "1.5", 1500)]
    [TestCase("Retry-After", "0", 0)]
    [TestCase("retry-after", "7", 7000)]
    public void Reads_the_wait_from_each_header(string name, string value, double expectedMs)
    {
        var headers = Headers((name, value));

        Assert.That(RetryAfterParser.Parse(headers, Clock()), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
    }

    [Test]
    public void Reads_an_http_date_relative_to_the_injected_clock()
    {
        var headers = Headers(("Retry-After", "Tue, 10 Mar 2026 12:00:45 GMT"));

        Assert.That(RetryAfterParser.Parse(headers, Clock()), Is.EqualTo(TimeSpan.FromSeconds(45)));
    }

    [Test]
    public void Measures_an_http_date_against_the_clock_at_the_time_of_the_call()
    {
        var clock = Clock();
        var headers = Headers(("Retry-After", "Tue, 10 Mar 2026 12:01:00 GMT"));

        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.That(RetryAfterParser.Parse(headers, clock), Is.EqualTo(TimeSpan.FromSeconds(40)));
    }

    [TestCase("Tue, 10 Mar 2026 12:00:45 GMT", 45)]
    [TestCase("Tuesday, 10-Mar-26 12:00:45 GMT", 45)]
    [TestCase("Tue Mar 10 12:00:45 2026", 45)]
    public void Accepts_the_three_http_date_forms(string value, int expectedSeconds)
    {
        Assert.That(RetryAfterParser.TryParseRetryAfterValue(value, Now, out var wait), Is.True);
        Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }

    [TestCase("Tue, 10 Mar 2026 11:59:00 GMT")]
    [TestCase("Wed, 21 Oct 2015 07:28:00 GMT")]
    [TestCase("Tue, 10 Mar 2026 12:00:00 GMT")]
    public void A_date_in_the_past_means_no_wait(string value)
    {
        Assert.That(RetryAfterParser.Parse(Headers(("Retry-After", value)), Clock()), Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase("soon")]
    [TestCase("10:30")]
    [TestCase("1.2.3")]
    [TestCase("-5")]
    [TestCase("1e3")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("5 minutes")]
    [TestCase("99999999999999999999")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void Ignores_garbage(string? value)
    {
        Assert.That(RetryAfterParser.TryParseRetryAfterValue(value, Now, out var wait), Is.False);
        Assert.That(wait, Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase("soon")]
    [TestCase("10:30")]
    [TestCase("-1")]
    public void Returns_null_when_every_header_is_garbage(string value)
    {
        var headers = Headers(("retry-after-ms", value), ("x-ms-retry-after-ms", value), ("Retry-After", value));

        Assert.That(RetryAfterParser.Parse(headers, Clock()), Is.Null);
    }

    [Test]
    public void Returns_null_when_no_header_says()
    {
        Assert.That(RetryAfterParser.Parse(Headers(("x-request-id", "abc")), Clock()), Is.Null);
    }

    [Test]
    public void Prefers_retry_after_ms_then_x_ms_retry_after_ms_then_retry_after()
    {
        var clock = Clock();
        Assert.Multiple(() =>
        {
            Assert.That(
                RetryAfterParser.Parse(Headers(("Retry-After", "30"), ("x-ms-retry-after-ms", "2000"), ("retry-after-ms", "100")), clock),
                Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(
                RetryAfterParser.Parse(Headers(("Retry-After", "30"), ("x-ms-retry-after-ms", "2000")), clock),
                Is.EqualTo(TimeSpan.FromMilliseconds(2000)));
        });
    }

    [Test]
    public void Falls_through_a_garbage_header_to_the_next_one()
    {
        var headers = Headers(("retry-after-ms", "later"), ("x-ms-retry-after-ms", "-3"), ("Retry-After", "4"));

        Assert.That(RetryAfterParser.Parse(headers, Clock()), Is.EqualTo(TimeSpan.FromSeconds(4)));
    }

    [TestCase("true", true)]
    [TestCase("false", false)]
    [TestCase("TRUE", true)]
    [TestCase(" False ", false)]
    public void Reads_x_should_retry(string value, bool expected)
    {
        Assert.That(RetryAfterParser.ParseShouldRetry(Headers(("x-should-retry", value))), Is.EqualTo(expected));
    }

    [TestCase("yes")]
    [TestCase("1")]
    [TestCase("")]
    public void Ignores_an_x_should_retry_that_is_not_a_boolean(string value)
    {
        Assert.That(RetryAfterParser.ParseShouldRetry(Headers(("x-should-retry", value))), Is.Null);
    }

    [Test]
    public void Returns_null_when_x_should_retry_is_absent()
    {
        Assert.That(RetryAfterParser.ParseShouldRetry(Headers()), Is.Null);
    }

    [TestCase("6m0s", 360_000)]
    [TestCase("2ms", 2)]
    [TestCase("34.4s", 34_400)]
    [TestCase("1h2m3.5s", 3_723_500)]
    [TestCase("1.5s", 1_500)]
    [TestCase("0s", 0)]
    [TestCase("0", 0)]
    [TestCase("20", 20_000)]
    [TestCase(".5s", 500)]
    [TestCase("1500us", 1.5)]
    [TestCase("1500\u00b5s", 1.5)]
    [TestCase("1500\u03bcs", 1.5)]
    [TestCase("2000000ns", 2)]
    [TestCase(" 3s ", 3_000)]
    public void Parses_go_style_durations(string value, double expectedMs)
    {
        Assert.That(RetryAfterParser.TryParseDuration(value, out var duration), Is.True);
        Assert.That(duration.TotalMilliseconds, Is.EqualTo(expectedMs).Within(0.0001));
    }

    [TestCase("")]
    [TestCase("s")]
    [TestCase("-1s")]
    [TestCase("1.2.3s")]
    [TestCase("3 s")]
    [TestCase("5d")]
    [TestCase("1h 2m")]
    [TestCase("1s!")]
    [TestCase("1e3s")]
    [TestCase("99999999999999999h")]
    public void Rejects_what_is_not_a_go_duration(string value)
    {
        Assert.That(RetryAfterParser.TryParseDuration(value, out var duration), Is.False);
        Assert.That(duration, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Rejects_null_arguments()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => RetryAfterParser.Parse(null!, Clock()), Throws.ArgumentNullException);
            Assert.That(() => RetryAfterParser.Parse(Headers(), null!), Throws.ArgumentNullException);
            Assert.That(() => RetryAfterParser.ParseShouldRetry(null!), Throws.ArgumentNullException);
        });
    }

    private static ManualTimeProvider Clock() => new(Now);

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response.Headers;
    }
}
