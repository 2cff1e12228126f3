using System;
using System.Collections.Generic;
using LlmProviders.Http;

namespace LlmProviders.Tests.Http;

public sealed class ProviderEnvironmentTests
{
    [Test]
    public void Read_trims_the_value_and_treats_blank_as_unset()
    {
        var env = new TestEnvironment(new() { ["KEY"] = "  sk-abc \n", ["BLANK"] = "   ", ["EMPTY"] = string.Empty });
        Assert.Multiple(() =>
        {
            Assert.That(env.Read("KEY"), Is.EqualTo("sk-abc"));
            Assert.That(env.Read("BLANK"), Is.Null);
            Assert.That(env.Read("EMPTY"), Is.Null);
            Assert.That(env.Read("MISSING"), Is.Null);
        });
    }

    [Test]
    public void ParseUrl_returns_an_absolute_url_when_the_value_is_one()
    {
        var url = ProviderEnvironment.ParseUrl("https://example.openai.azure.com/");
        Assert.That(url.IsAbsoluteUri, Is.True);
        Assert.That(url.Host, Is.EqualTo("example.openai.azure.com"));
    }

    [TestCase("localhost:8000/v1")]
    [TestCase("not a url")]
    [TestCase("//")]
    public void ParseUrl_keeps_an_unusable_value_as_a_relative_uri_for_validation_to_name(string value)
    {
        var url = ProviderEnvironment.ParseUrl(value);
        Assert.That(url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps), Is.False);
    }

    private sealed class TestEnvironment(Dictionary<string, string> values)
        : ProviderEnvironment(name => values.TryGetValue(name, out var v) ? v : null);
}
