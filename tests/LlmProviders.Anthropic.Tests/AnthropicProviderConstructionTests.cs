using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.Anthropic.Tests;

/// <summary>Construction: validation messages, environment fallback, identity, the options never changed.</summary>
public sealed class AnthropicProviderConstructionTests : AnthropicProviderTestBase
{
    [Test]
    public void A_missing_key_fails_with_a_message_naming_the_option_and_the_variable()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.ApiKey = null, name: "claude-main"));
        Assert.That(ex!.Message, Does.Contain("LlmProviders:claude-main"));
        Assert.That(ex.Message, Does.Contain("ApiKey"));
        Assert.That(ex.Message, Does.Contain("ANTHROPIC_API_KEY"));
    }

    [Test]
    public void A_non_positive_default_max_tokens_fails_naming_the_option()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.DefaultMaxTokens = 0));
        Assert.That(ex!.Message, Does.Contain("DefaultMaxTokens"));
    }

    [Test]
    public void An_empty_version_fails_naming_the_option()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.Version = " "));
        Assert.That(ex!.Message, Does.Contain("Version"));
    }

    [Test]
    public void A_relative_base_url_fails_naming_the_option()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.BaseUrl = new Uri("api.anthropic.com", UriKind.Relative)));
        Assert.That(ex!.Message, Does.Contain("BaseUrl"));
    }

    [Test]
    public async Task The_key_and_base_url_come_from_the_environment_when_unset()
    {
        var environment = new Dictionary<string, string>
        {
            ["ANTHROPIC_API_KEY"] = "sk-ant-from-env-Zq81",
            ["ANTHROPIC_BASE_URL"] = "https://proxy.example",
        };
        var provider = CreateProvider(o => o.ApiKey = null, name => environment.TryGetValue(name, out var v) ? v : null);
        Handler.Response = CannedResponse.Json(AnthropicWire.TextMessage("ok"));
        await provider.ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("x-api-key"), Is.EqualTo("sk-ant-from-env-Zq81"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://proxy.example/v1/messages")));
    }

    [Test]
    public void The_callers_options_are_never_changed()
    {
        var options = new AnthropicProviderOptions();
        _ = new AnthropicProvider(options, new HttpClient(Handler), "anthropic", Time, null, new AnthropicEnvironment(name => name == "ANTHROPIC_API_KEY" ? "sk-ant-env" : null));
        Assert.That(options.ApiKey, Is.Null);
        Assert.That(options.BaseUrl, Is.Null);
    }

    [Test]
    public void The_provider_reports_its_identity_and_capabilities()
    {
        var provider = CreateProvider(name: "anthropic-eu");
        Assert.Multiple(() =>
        {
            Assert.That(provider.Name, Is.EqualTo("anthropic-eu"));
            Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Anthropic));
            Assert.That(AnthropicProvider.TelemetryProviderName, Is.EqualTo("anthropic"));
            Assert.That(provider.IsLocal, Is.False);
            Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.PromptCaching | LlmCapabilities.Reasoning | LlmCapabilities.Vision | LlmCapabilities.Tools), Is.True);
            Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.JsonSchema), Is.False);
            Assert.That(provider.ToString(), Does.Not.Contain(Key));
        });
    }

    [Test]
    public void Options_document_their_defaults()
    {
        var options = new AnthropicProviderOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.Version, Is.EqualTo("2023-06-01"));
            Assert.That(options.DefaultMaxTokens, Is.EqualTo(4096));
            Assert.That(options.Beta, Is.Empty);
            Assert.That(options.CacheSystemPrompt, Is.False);
            Assert.That(options.CacheTools, Is.False);
            Assert.That(AnthropicProviderOptions.DefaultBaseUrl, Is.EqualTo(new Uri("https://api.anthropic.com")));
        });
    }
}
