using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;

namespace LlmProviders.Http;

/// <summary>
/// Reads how long a provider asked the caller to wait: <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c> (milliseconds),
/// then <c>Retry-After</c> as seconds (integer or fraction) or an HTTP date.
/// </summary>
public static class RetryAfterParser
{
    // The longest wait read (about 68 years, the range of Retry-After's own integer form); anything larger is garbage.
    private const double MaxSeconds = int.MaxValue;

    /// <summary>Reads the wait a response asks for.</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="timeProvider">The clock an HTTP date is measured against.</param>
    /// <returns>The wait (zero or more), or <see langword="null"/> when the response does not say.</returns>
    public static TimeSpan? Parse(HttpResponseHeaders headers, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(timeProvider);

        if (TryGetMilliseconds(headers, "retry-after-ms", out var ms) || TryGetMilliseconds(headers, "x-ms-retry-after-ms", out ms))
        {
            return ms;
        }

        if (headers.TryGetValues("Retry-After", out var values))
        {
            foreach (var value in values)
            {
                if (TryParseRetryAfterValue(value, timeProvider.GetUtcNow(), out var wait))
                {
                    return wait;
                }
            }
        }

        return null;
    }

    /// <summary>Parses one <c>Retry-After</c> value: seconds (integer or fraction) or an HTTP date.</summary>
    /// <param name="value">The header value.</param>
    /// <param name="now">The current time, for an HTTP date.</param>
    /// <param name="wait">The wait; a date in the past gives zero.</param>
    /// <returns><see langword="true"/> when the value could be read.</returns>
    public static bool TryParseRetryAfterValue(string? value, DateTimeOffset now, out TimeSpan wait)
    {
        wait = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds))
        {
            if (seconds is >= 0 and <= MaxSeconds)
            {
                wait = TimeSpan.FromSeconds(seconds);
                return true;
            }

            return false;
        }

        // Only the three HTTP-date forms (IMF-fixdate, RFC 850, asctime), as HttpClient itself parses them: a lenient
        // date parser would read garbage such as "10:30" or "1.2.3" as a date.
        if (RetryConditionHeaderValue.TryParse(value, out var condition) && condition.Date is { } date)
        {
            wait = date > now ? date - now : TimeSpan.Zero;
            return true;
        }

        return false;
    }

    /// <summary>Reads the <c>x-should-retry</c> header (OpenAI, Anthropic) that overrides the status-based transient decision.</summary>
    /// <param name="headers">The response headers.</param>
    /// <returns><see langword="true"/> or <see langword="false"/> as the server said, or <see langword="null"/> when it did not.</returns>
    public static bool? ParseShouldRetry(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.TryGetValues("x-should-retry", out var values))
        {
            foreach (var value in values)
            {
                if (bool.TryParse(value.Trim(), out bool b))
                {
                    return b;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Parses a Go-style duration (<c>"6m0s"</c>, <c>"2ms"</c>, <c>"1.5s"</c>, <c>"34.4s"</c>, <c>"1h2m3.5s"</c>; units h, m, s,
    /// ms, us/µs, ns; a bare number is seconds) as used in rate-limit reset headers and Gemini's <c>retryDelay</c>.
    /// </summary>
    /// <param name="value">The text.</param>
    /// <param name="duration">The duration.</param>
    /// <returns><see langword="true"/> when the value could be read (not negative, at most about 68 years).</returns>
    public static bool TryParseDuration(ReadOnlySpan<char> value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        value = value.Trim();
        if (value.IsEmpty)
        {
            return false;
        }

        double totalMs = 0;
        while (!value.IsEmpty)
        {
            int i = 0;
            while (i < value.Length && (char.IsAsciiDigit(value[i]) || value[i] == '.'))
            {
                i++;
            }

            if (i == 0 || !double.TryParse(value[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            {
                return false;
            }

            value = value[i..];
            int u = 0;
            while (u < value.Length && char.IsLetter(value[u]))
            {
                u++;
            }

            var unit = value[..u];
            double factor = unit switch
            {
                "h" => 3_600_000,
                "m" => 60_000,
                "s" or "" => 1_000,
                "ms" => 1,
                "us" or "\u00b5s" or "\u03bcs" => 0.001,
                "ns" => 0.000001,
                _ => double.NaN,
            };
            if (double.IsNaN(factor))
            {
                return false;
            }

            totalMs += number * factor;
            value = value[u..];
        }

        if (totalMs > MaxSeconds * 1000.0)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    private static bool TryGetMilliseconds(HttpResponseHeaders headers, string name, out TimeSpan wait)
    {
        wait = default;
        if (headers.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                if (double.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double ms) && ms is >= 0 and <= MaxSeconds * 1000.0)
                {
                    wait = TimeSpan.FromMilliseconds(ms);
                    return true;
                }
            }
        }

        return false;
    }
}
