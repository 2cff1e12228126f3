using System;
using System.Net.Http;
using System.Threading;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.OpenAI.Tests;

/// <summary>Creating the provider without DI: options, environment fallback, validation, identity.</summary>
public sealed class OpenAIProviderConstructionTests : OpenAIProviderTestBase
{
    [Test]
    public void Provider_reports_kind_capabilities_and_is_not_local()
    {
        var provider = CreateProvider(name: "openai-main");
        Assert.That(provider.Name, Is.EqualTo("openai-main"));
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.OpenAI));
        Assert.That(provider.IsLocal, Is.False);
        var expected = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools | LlmCapabilities.ParallelToolCalls |
            LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema | LlmCapabilities.Reasoning |
            LlmCapabilities.PromptCaching | LlmCapabilities.Embeddings | LlmCapabilities.ModelListing;
        Assert.That(provider.Capabilities, Is.EqualTo(expected));
    }

    [Test]
    public void Capabilities_can_be_overridden_by_options()
    {
        var provider = CreateProvider(o => o.Capabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming);
        Assert.That(provider.Capabilities, Is.EqualTo(LlmCapabilities.Chat | LlmCapabilities.Streaming));
    }

    [Test]
    public void Missing_key_throws_a_message_naming_the_option_and_the_environment_variable()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.ApiKey = null, name: "openai-eu"));
        Assert.That(ex!.Message, Does.Contain("LlmProviders:openai-eu: ApiKey is missing"));
        Assert.That(ex.Message, Does.Contain("OPENAI_API_KEY"));
    }

    [Test]
    public void Relative_base_url_throws_a_message_naming_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.BaseUrl = new Uri("v1/", UriKind.Relative)));
        Assert.That(ex!.Message, Does.Contain("BaseUrl"));
    }

    [Test]
    public void Key_and_settings_come_from_the_environment_when_unset_without_changing_the_options()
    {
        var options = new OpenAIProviderOptions();
        var provider = new OpenAIProvider(options, new HttpClient(Handler), "openai", Time, null, new OpenAIEnvironment(name => name switch
        {
            "OPENAI_API_KEY" => "sk-env-1234567890",
            "OPENAI_BASE_URL" => "http://localhost:4000/v1",
            _ => null,
        }));

        Assert.That(provider.BaseUrl, Is.EqualTo(new Uri("http://localhost:4000/v1")));
        Assert.That(options.ApiKey, Is.Null, "the caller's options are not changed");
        Assert.That(options.BaseUrl, Is.Null);
    }

    [Test]
    public void Default_base_url_is_the_public_endpoint()
    {
        Assert.That(CreateProvider().BaseUrl, Is.EqualTo(new Uri("https://api.openai.com/v1")));
    }

    [Test]
    public void ToString_names_the_provider_and_endpoint_but_not_the_key()
    {
        var text = CreateProvider().ToString();
        Assert.That(text, Does.Contain("openai"));
        Assert.That(text, Does.Contain("api.openai.com"));
        Assert.That(text, Does.Not.Contain(Key[3..10]));
    }

    [Test]
    public void Options_default_values_are_documented_values()
    {
        var options = new OpenAIProviderOptions();
        Assert.That(options.IncludeStreamUsage, Is.True);
        Assert.That(options.UseDeveloperRole, Is.Null);
        Assert.That(options.Organization, Is.Null);
        Assert.That(options.Project, Is.Null);
        Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(options.AllowMissingApiKey, Is.False);
    }

    [Test]
    public void Infinite_request_timeout_is_allowed()
    {
        Assert.DoesNotThrow(() => CreateProvider(o => o.RequestTimeout = Timeout.InfiniteTimeSpan));
    }

    [TestCase("o1", true)]
    [TestCase("O3-MINI", true)]
    [TestCase("o4-mini-2025-04-16", true)]
    [TestCase("gpt-5", true)]
    [TestCase("gpt-5.2-pro", true)]
    [TestCase("openrouter/openai/gpt-5-nano", true)]
    [TestCase("gpt-4o", false)]
    [TestCase("gpt-4.1", false)]
    [TestCase("o10", false)]
    [TestCase("gpt-50", false)]
    [TestCase("", false)]
    public void Reasoning_model_families_are_recognised(string model, bool expected)
    {
        Assert.That(OpenAIWireClient.IsReasoningModel(model), Is.EqualTo(expected));
    }
}
