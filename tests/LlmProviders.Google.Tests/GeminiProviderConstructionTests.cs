using System;
using System.Net.Http;

namespace LlmProviders.Google.Tests;

/// <summary>Constructing the provider on its own: validation messages, defaults, the caller's options left alone, no key in ToString.</summary>
public sealed class GeminiProviderConstructionTests : GeminiProviderTestBase
{
    [Test]
    public void Missing_key_throws_naming_the_option_and_the_environment_variables()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GeminiProvider(new GeminiProviderOptions(), new HttpClient(Handler), "gemini", Time, null, new GeminiEnvironment(_ => null)));
        Assert.That(ex!.Message, Does.Contain("LlmProviders:gemini: ApiKey is missing").And.Contain("GOOGLE_API_KEY").And.Contain("GEMINI_API_KEY"));
        Assert.That(ex.ParamName, Is.EqualTo("options"));
    }

    [Test]
    public void A_relative_base_url_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.BaseUrl = new Uri("/v1beta", UriKind.Relative)));
        Assert.That(ex!.Message, Does.Contain("BaseUrl"));
    }

    [Test]
    public void Defaults_are_the_public_endpoint_the_google_kind_and_remote()
    {
        var provider = CreateProvider();
        Assert.That(provider.BaseUrl, Is.EqualTo(new Uri("https://generativelanguage.googleapis.com/v1beta")));
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Google));
        Assert.That(provider.IsLocal, Is.False);
        Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.Vision | LlmCapabilities.JsonSchema | LlmCapabilities.Reasoning | LlmCapabilities.Tools), Is.True);
        Assert.That(GeminiProvider.OpenTelemetryProviderName, Is.EqualTo("gcp.gemini"));
    }

    [Test]
    public void The_environment_fills_the_key_but_the_callers_options_are_not_changed()
    {
        var options = new GeminiProviderOptions();
        var provider = new GeminiProvider(options, new HttpClient(Handler), "gemini", Time, null, new GeminiEnvironment(n => n == "GEMINI_API_KEY" ? Key : null));
        Assert.That(provider.Name, Is.EqualTo("gemini"));
        Assert.That(options.ApiKey, Is.Null);
    }

    [Test]
    public void ToString_names_the_provider_and_never_the_key()
    {
        var text = CreateProvider(name: "gemini-eu").ToString();
        Assert.That(text, Does.Contain("gemini-eu").And.Contain("google"));
        Assert.That(text, Does.Not.Contain(Key));
    }

    [Test]
    public void A_proxy_that_adds_the_key_may_be_used_without_one()
    {
        var provider = new GeminiProvider(new GeminiProviderOptions { AllowMissingApiKey = true, BaseUrl = new Uri("http://localhost:8080/v1beta") }, new HttpClient(Handler), "gemini", Time, null, new GeminiEnvironment(_ => null));
        Assert.That(provider.BaseUrl.Host, Is.EqualTo("localhost"));
    }
}
