using System;
using System.Collections.Generic;
using LlmProviders.Configuration;

namespace LlmProviders.Tests.Configuration;

public sealed class ConfigurationKeysTests
{
    [TestCase("ApiKey", "api_key")]
    [TestCase("BaseUrl", "base-url")]
    [TestCase("Type", "provider_type")]
    [TestCase("Burst", "burst_limit")]
    [TestCase("BaseUrl", "endpoint")]
    [TestCase("DefaultStrategy", "failover_strategy")]
    [TestCase("Timeout", "global_timeout")]
    [TestCase("Routes", "strategies")]
    [TestCase("Fallbacks", "fallback_providers")]
    [TestCase("RequestsPerMinute", "requests_per_minute")]
    public void Seed_keys_match_our_option_names(string ours, string seeds) =>
        Assert.That(ConfigurationKeys.Matches(ours, seeds), Is.True);

    [Test]
    public void Different_settings_do_not_match() =>
        Assert.That(ConfigurationKeys.Matches("ApiKey", "BaseUrl"), Is.False);

    [TestCase("30", 30_000)]
    [TestCase("30.0", 30_000)]
    [TestCase("2.5", 2_500)]
    [TestCase("500ms", 500)]
    [TestCase("30s", 30_000)]
    [TestCase("5m", 300_000)]
    [TestCase("1h", 3_600_000)]
    [TestCase("00:00:30", 30_000)]
    public void Durations_are_seconds_a_unit_or_a_timespan(string text, double milliseconds)
    {
        Assert.That(ConfigurationKeys.TryParseDuration(text, out var duration), Is.True);
        Assert.That(duration, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [TestCase("soon")]
    [TestCase("-5")]
    [TestCase("10x")]
    [TestCase("")]
    public void Bad_durations_are_rejected(string text) =>
        Assert.That(ConfigurationKeys.TryParseDuration(text, out _), Is.False);

    [Test]
    public void Environment_references_resolve_when_read()
    {
        var environment = new Dictionary<string, string?> { ["KEY"] = "sk-1", ["HOST"] = "example.com" };
        string? Read(string name) => environment.GetValueOrDefault(name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ConfigurationKeys.ResolveEnvironment("env:KEY", Read), Is.EqualTo("sk-1"));
            Assert.That(ConfigurationKeys.ResolveEnvironment("${KEY}", Read), Is.EqualTo("sk-1"));
            Assert.That(ConfigurationKeys.ResolveEnvironment("https://${HOST}/v1", Read), Is.EqualTo("https://example.com/v1"));
            Assert.That(ConfigurationKeys.ResolveEnvironment("${PORT:-8080}", Read), Is.EqualTo("8080"));
            Assert.That(ConfigurationKeys.ResolveEnvironment("env:MISSING", Read), Is.Null, "an unset variable leaves the option unset");
            Assert.That(ConfigurationKeys.ResolveEnvironment("${MISSING}", Read), Is.Null);
            Assert.That(ConfigurationKeys.ResolveEnvironment("plain", Read), Is.EqualTo("plain"));
        }
    }
}
