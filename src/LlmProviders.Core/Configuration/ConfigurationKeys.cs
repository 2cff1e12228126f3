using System;
using System.Collections.Generic;
using System.Globalization;

namespace LlmProviders.Configuration;

/// <summary>
/// The key normaliser of configuration binding: keys match ignoring case, <c>_</c>, <c>-</c> and spaces (so <c>api_key</c>,
/// <c>apiKey</c> and <c>ApiKey</c> are one key), plus a few aliases for the seeds' names that differ from ours
/// (<c>provider_type</c> → <c>Type</c>, <c>burst_limit</c> → <c>Burst</c>, <c>endpoint</c> → <c>BaseUrl</c> …). Durations are
/// written as seconds (<c>30</c>, <c>30.0</c>), with a unit (<c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>) or as a TimeSpan
/// (<c>00:00:30</c>).
/// </summary>
internal static class ConfigurationKeys
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["providertype"] = "type",
        ["kind"] = "type",
        ["burstlimit"] = "burst",
        ["endpoint"] = "baseurl",
        ["url"] = "baseurl",
        ["ratelimits"] = "ratelimit",
        ["failoverstrategy"] = "defaultstrategy",
        ["routingstrategy"] = "defaultstrategy",
        ["globaltimeout"] = "timeout",
        ["strategies"] = "routes",
        ["chains"] = "routes",
        ["fallbackproviders"] = "fallbacks",
        ["fallback"] = "fallbacks",
        ["maxlatencyms"] = "maxlatency",
        ["catalog"] = "modelcatalog",
        ["costs"] = "costtracking",
    };

    private static readonly HashSet<string> DurationKeys = new(StringComparer.Ordinal)
    {
        "timeout", "requesttimeout", "attempt", "firstchunk", "idlegap", "total", "basedelay", "maxdelay", "maxserverdelay",
        "samplingduration", "breakduration", "maxbreakduration", "maxqueuewait", "priorityaging", "adaptivecooldown",
        "maxadaptivecooldown", "healthcheckinterval", "interval", "keepalive", "maxlatency", "delay", "ttl", "duration", "latency",
        "minlatency", "tokendelay", "retryafter", "expiration", "slidingexpiration",
    };

    private static readonly HashSet<string> LimitKeys = new(StringComparer.Ordinal)
    {
        "requestsperminute", "tokensperminute", "burst", "maxretries", "maxattempts", "maxconcurrency", "concurrencyqueuelimit",
        "queuelimit", "costmultiplier", "limit", "failurethreshold", "minimumthroughput", "maxoutputtokens", "contextlength",
    };

    /// <summary>Returns the canonical form of a key: lower case without <c>_</c>, <c>-</c> and spaces, aliases resolved.</summary>
    public static string Canonical(string key)
    {
        Span<char> buffer = key.Length <= 128 ? stackalloc char[key.Length] : new char[key.Length];
        int length = 0;
        foreach (char c in key)
        {
            if (c is '_' or '-' or ' ' or '.')
            {
                continue;
            }

            buffer[length++] = char.ToLowerInvariant(c);
        }

        string canonical = new(buffer[..length]);
        return Aliases.TryGetValue(canonical, out var alias) ? alias : canonical;
    }

    /// <summary>Determines whether two keys name the same setting.</summary>
    public static bool Matches(string requested, string written) => string.Equals(Canonical(requested), Canonical(written), StringComparison.Ordinal);

    /// <summary>Determines whether the key holds a duration.</summary>
    public static bool IsDuration(string key) => DurationKeys.Contains(Canonical(key));

    /// <summary>Determines whether the key holds a count or amount that may not be negative.</summary>
    public static bool IsLimit(string key) => LimitKeys.Contains(Canonical(key));

    /// <summary>Parses a duration: seconds as a number, a number with a unit (ms, s, m, h, d), or a TimeSpan (<c>00:00:30</c>).</summary>
    public static bool TryParseDuration(string? value, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        }

        double scale = 1000;
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            scale = 1;
            text = text[..^2];
        }
        else if (text.Length > 1 && char.IsLetter(text[^1]))
        {
            scale = char.ToLowerInvariant(text[^1]) switch
            {
                's' => 1000,
                'm' => 60_000,
                'h' => 3_600_000,
                'd' => 86_400_000,
                _ => double.NaN,
            };
            text = text[..^1];
        }

        if (double.IsNaN(scale) ||
            !double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount) ||
            double.IsInfinity(amount * scale) || amount * scale > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(amount * scale);
        return true;
    }

    /// <summary>Resolves environment references: a whole value <c>env:NAME</c>, and <c>${NAME}</c> or <c>${NAME:-default}</c> anywhere in it.</summary>
    /// <returns>The value; <see langword="null"/> when it is only a reference to a variable that is unset or blank.</returns>
    public static string? ResolveEnvironment(string? value, Func<string, string?> environment)
    {
        if (value is null)
        {
            return null;
        }

        if (value.StartsWith("env:", StringComparison.OrdinalIgnoreCase))
        {
            return Blank(environment(value[4..].Trim()));
        }

        int start = value.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return value;
        }

        var result = new System.Text.StringBuilder(value.Length);
        int position = 0;
        while (start >= 0)
        {
            int end = value.IndexOf('}', start + 2);
            if (end < 0)
            {
                break;
            }

            result.Append(value, position, start - position);
            var reference = value.AsSpan(start + 2, end - start - 2);
            string? fallback = null;
            int defaultAt = reference.IndexOf(":-", StringComparison.Ordinal);
            if (defaultAt >= 0)
            {
                fallback = reference[(defaultAt + 2)..].ToString();
                reference = reference[..defaultAt];
            }

            result.Append(Blank(environment(reference.Trim().ToString())) ?? fallback);
            position = end + 1;
            start = value.IndexOf("${", position, StringComparison.Ordinal);
        }

        result.Append(value, position, value.Length - position);
        return Blank(result.ToString());
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
