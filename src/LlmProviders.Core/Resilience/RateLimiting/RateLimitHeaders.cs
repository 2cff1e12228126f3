using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Resilience;

/// <summary>
/// Reads the rate-limit headers providers send with every response (SPEC RS3: they narrow the headroom): OpenAI, Azure OpenAI,
/// Together and OpenRouter's <c>x-ratelimit-remaining-requests</c> / <c>-tokens</c> with <c>x-ratelimit-reset-requests</c> /
/// <c>-tokens</c> as durations (<c>1s</c>, <c>6m0s</c>, <c>20ms</c>) or seconds, and Anthropic's
/// <c>anthropic-ratelimit-requests-remaining</c> / <c>-tokens-remaining</c> with RFC 3339 reset times.
/// </summary>
internal static class RateLimitHeaders
{
    /// <summary>Reads the headers of a response.</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">The current time, to turn reset timestamps into durations.</param>
    /// <param name="remainingRequests">Requests left, when reported.</param>
    /// <param name="remainingTokens">Tokens left, when reported.</param>
    /// <param name="resetAfter">When the exhausted window resets (requests first, then tokens), when reported.</param>
    /// <returns><see langword="true"/> when any remaining count was reported.</returns>
    public static bool TryRead(HttpResponseHeaders headers, DateTimeOffset now, out int? remainingRequests, out int? remainingTokens, out TimeSpan? resetAfter)
    {
        remainingRequests = ReadInt(headers, "x-ratelimit-remaining-requests") ?? ReadInt(headers, "anthropic-ratelimit-requests-remaining");
        remainingTokens = ReadInt(headers, "x-ratelimit-remaining-tokens") ?? ReadInt(headers, "anthropic-ratelimit-tokens-remaining");
        var requestsReset = ReadReset(headers, "x-ratelimit-reset-requests", now) ?? ReadReset(headers, "anthropic-ratelimit-requests-reset", now);
        var tokensReset = ReadReset(headers, "x-ratelimit-reset-tokens", now) ?? ReadReset(headers, "anthropic-ratelimit-tokens-reset", now);
        resetAfter = remainingRequests == 0 ? requestsReset ?? tokensReset : remainingTokens == 0 ? tokensReset ?? requestsReset : requestsReset ?? tokensReset;
        return remainingRequests is not null || remainingTokens is not null;
    }

    /// <summary>Parses a reset value: a Go-style duration (<c>1m30.5s</c>, <c>250ms</c>), plain seconds, or an RFC 3339 / HTTP date.</summary>
    /// <param name="value">The header value.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The time until the reset (never negative), or <see langword="null"/> when unreadable.</returns>
    public static TimeSpan? ParseReset(string value, DateTimeOffset now)
    {
        value = value.Trim();
        if (value.Length == 0)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (char.IsDigit(value[0]) && TryParseDuration(value, out var duration))
        {
            return duration;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static bool TryParseDuration(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        int i = 0;
        while (i < value.Length)
        {
            int start = i;
            while (i < value.Length && (char.IsDigit(value[i]) || value[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(value.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                return false;
            }

            int unitStart = i;
            while (i < value.Length && char.IsLetter(value[i]))
            {
                i++;
            }

            double unit = value.AsSpan(unitStart, i - unitStart) switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 0.001,
                _ => -1,
            };
            if (unit < 0)
            {
                return false;
            }

            duration += TimeSpan.FromSeconds(number * unit);
        }

        return true;
    }

    private static int? ReadInt(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && First(values) is { } text &&
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) && n >= 0
            ? (int)Math.Min(n, int.MaxValue)
            : null;

    private static TimeSpan? ReadReset(HttpResponseHeaders headers, string name, DateTimeOffset now) =>
        headers.TryGetValues(name, out var values) && First(values) is { } text ? ParseReset(text, now) : null;

    private static string? First(IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            return value;
        }

        return null;
    }
}

/// <summary>
/// Sits in every provider's <see cref="HttpClient"/> pipeline (added by <c>LlmProvidersBuilder.AddHttpClient</c>) and hands the
/// rate-limit headers of each response to that provider's <see cref="TargetResilience"/>, so its headroom narrows before a 429.
/// </summary>
internal sealed class RateLimitHeadersHandler : DelegatingHandler
{
    private readonly string _providerName;
    private readonly TargetResilienceRegistry _registry;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="providerName">The provider registration the client belongs to.</param>
    /// <param name="registry">The resilience registry.</param>
    /// <param name="time">The clock.</param>
    public RateLimitHeadersHandler(string providerName, TargetResilienceRegistry registry, TimeProvider time)
    {
        _providerName = providerName;
        _registry = registry;
        _time = time;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (_registry.Find(_providerName) is { } target &&
            RateLimitHeaders.TryRead(response.Headers, _time.GetUtcNow(), out var requests, out var tokens, out var reset))
        {
            target.ReportRateLimitHeaders(requests, tokens, reset);
        }

        return response;
    }
}
