using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Resilience.RateLimiting;

/// <summary>RS3: the providers' rate-limit headers narrow the target's headroom before a 429.</summary>
public class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [TestCase("1s", 1_000)]
    [TestCase("6m0s", 360_000)]
    [TestCase("20ms", 20)]
    [TestCase("1h2m3.5s", 3_723_500)]
    [TestCase("12", 12_000)]
    [TestCase("0.5", 500)]
    [TestCase("2026-12-04T12:00:30Z", 30_000)]
    [TestCase("2026-12-04T11:59:00Z", 0)]
    public void Reset_values_in_every_provider_format_become_a_wait(string value, int milliseconds)
    {
        Assert.That(RateLimitHeaders.ParseReset(value, Now), Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [TestCase("")]
    [TestCase("soon")]
    [TestCase("5x")]
    public void Unreadable_reset_values_are_ignored(string value)
    {
        Assert.That(RateLimitHeaders.ParseReset(value, Now), Is.Null);
    }

    [Test]
    public void OpenAI_headers_report_remaining_requests_tokens_and_the_reset_of_the_exhausted_window()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("x-ratelimit-remaining-requests", "59");
        response.Headers.Add("x-ratelimit-remaining-tokens", "0");
        response.Headers.Add("x-ratelimit-reset-requests", "1s");
        response.Headers.Add("x-ratelimit-reset-tokens", "6m0s");

        bool read = RateLimitHeaders.TryRead(response.Headers, Now, out var requests, out var tokens, out var reset);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.True);
            Assert.That(requests, Is.EqualTo(59));
            Assert.That(tokens, Is.Zero);
            Assert.That(reset, Is.EqualTo(TimeSpan.FromMinutes(6)), "the tokens window is the exhausted one");
        }
    }

    [Test]
    public void Anthropic_headers_are_read_too()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("anthropic-ratelimit-requests-remaining", "0");
        response.Headers.Add("anthropic-ratelimit-requests-reset", "2026-12-04T12:00:20Z");

        RateLimitHeaders.TryRead(response.Headers, Now, out var requests, out var tokens, out var reset);

        Assert.That((requests, tokens, reset), Is.EqualTo(((int?)0, (int?)null, (TimeSpan?)TimeSpan.FromSeconds(20))));
    }

    [Test]
    public void A_response_without_rate_limit_headers_reports_nothing()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);

        Assert.That(RateLimitHeaders.TryRead(response.Headers, Now, out _, out _, out _), Is.False);
    }

    [Test]
    public async Task The_handler_closes_the_targets_headroom_until_the_reset_when_no_request_is_left()
    {
        var time = new ManualTimeProvider(Now);
        using var registry = new TargetResilienceRegistry(_ => new TargetResilienceOptions(), time);
        var target = registry.Get(new LlmProviders.Tests.Routing.ScriptedProvider("openai"));
        using var inner = new HeadersHandler();
        using var handler = new RateLimitHeadersHandler("openai", registry, time) { InnerHandler = inner };
        using var client = new HttpClient(handler);

        using (await client.GetAsync(new Uri("http://localhost/v1/chat/completions")))
        {
        }

        bool closed = !target.TryCheckAvailable(10, out var reason, out _);
        time.Advance(TimeSpan.FromSeconds(21));
        bool reopened = target.TryCheckAvailable(10, out _, out _);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed, Is.True);
            Assert.That(reason, Is.EqualTo(CandidateSkipReason.RateLimited));
            Assert.That(reopened, Is.True);
        }
    }

    private sealed class HeadersHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            response.Headers.Add("x-ratelimit-remaining-requests", "0");
            response.Headers.Add("x-ratelimit-reset-requests", "20s");
            return Task.FromResult(response);
        }
    }
}
