using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>Construction: options validated with messages naming the option, the environment variable and the fix; environment defaults.</summary>
public sealed class AzureOpenAIProviderConstructionTests : AzureOpenAIProviderTestBase
{
    [Test]
    public void Missing_endpoint_names_the_option_the_variable_and_an_example()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.BaseUrl = null));
        Assert.That(ex!.Message, Does.Contain("LlmProviders:azure-openai: BaseUrl (the Azure OpenAI resource endpoint) is missing"));
        Assert.That(ex.Message, Does.Contain("AZURE_OPENAI_ENDPOINT"));
        Assert.That(ex.Message, Does.Contain("https://my-resource.openai.azure.com"));
    }

    [Test]
    public void Relative_endpoint_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.BaseUrl = new Uri("my-resource", UriKind.Relative)));
        Assert.That(ex!.Message, Does.Contain("is not an absolute http(s) URL"));
    }

    [Test]
    public void Missing_key_and_token_provider_names_both_fixes()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.ApiKey = null));
        Assert.That(ex!.Message, Does.Contain("ApiKey is missing and no TokenProvider is set"));
        Assert.That(ex.Message, Does.Contain("AZURE_OPENAI_API_KEY"));
        Assert.That(ex.Message, Does.Contain("TokenProvider for Microsoft Entra ID"));
    }

    [Test]
    public void Token_provider_alone_is_enough()
    {
        Assert.DoesNotThrow(() => CreateProvider(o =>
        {
            o.ApiKey = null;
            o.TokenProvider = _ => ValueTask.FromResult("token");
        }));
    }

    [TestCase("")]
    [TestCase("  ")]
    [TestCase("2024-10-21&x=1")]
    public void Unusable_api_version_is_refused(string version)
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.ApiVersion = version));
        Assert.That(ex!.Message, Does.Contain("ApiVersion"));
        Assert.That(ex.Message, Does.Contain("AZURE_OPENAI_API_VERSION"));
    }

    [Test]
    public void Non_positive_timeout_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.RequestTimeout = TimeSpan.Zero));
        Assert.That(ex!.Message, Does.Contain("RequestTimeout must be positive"));
        Assert.DoesNotThrow(() => CreateProvider(o => o.RequestTimeout = Timeout.InfiniteTimeSpan));
    }

    [Test]
    public void Empty_deployment_mapping_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(o => o.Deployments["chat"] = " "));
        Assert.That(ex!.Message, Does.Contain("Deployments"));
    }

    [Test]
    public async Task Environment_fills_key_endpoint_and_api_version()
    {
        var environment = new System.Collections.Generic.Dictionary<string, string>
        {
            ["AZURE_OPENAI_API_KEY"] = "env-key-0123456789",
            ["AZURE_OPENAI_ENDPOINT"] = "https://from-env.openai.azure.com/",
            ["AZURE_OPENAI_API_VERSION"] = "2025-04-01-preview",
        };
        var provider = CreateProvider(
            o =>
            {
                o.ApiKey = null;
                o.BaseUrl = null;
            },
            name => environment.TryGetValue(name, out var v) ? v : null);

        await ChatAsync(Testing.Http.CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"https://from-env.openai.azure.com/openai/deployments/{Deployment}/chat/completions?api-version=2025-04-01-preview")));
        Assert.That(Handler.LastRequest.Header("api-key"), Is.EqualTo("env-key-0123456789"));
    }

    [Test]
    public async Task Values_set_in_code_win_over_the_environment()
    {
        var provider = CreateProvider(
            o => o.ApiVersion = "2024-06-01",
            name => name switch
            {
                "AZURE_OPENAI_API_KEY" => "env-key-should-lose",
                "AZURE_OPENAI_ENDPOINT" => "https://env-loses.openai.azure.com",
                "AZURE_OPENAI_API_VERSION" => "2099-01-01",
                _ => null,
            });

        await ChatAsync(Testing.Http.CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);
        Assert.That(Handler.LastRequest.Uri.Host, Is.EqualTo("contoso-eastus.openai.azure.com"));
        Assert.That(Handler.LastRequest.Uri.Query, Is.EqualTo("?api-version=2024-06-01"));
        Assert.That(Handler.LastRequest.Header("api-key"), Is.EqualTo(Key));
    }

    [Test]
    public void Options_instance_is_not_changed_and_later_changes_have_no_effect()
    {
        var options = new AzureOpenAIProviderOptions { ApiKey = Key, BaseUrl = new Uri(AzureWire.Endpoint) };
        var provider = new AzureOpenAIProvider(options, new System.Net.Http.HttpClient(Handler), "azure-openai", Time, null, new AzureOpenAIEnvironment(_ => "2099-01-01"));
        Assert.That(options.ApiVersion, Is.Null);
        options.BaseUrl = new Uri("https://other.openai.azure.com");
        Assert.That(provider.ToString(), Does.Contain("contoso-eastus"));
    }

    [Test]
    public void ToString_names_the_endpoint_but_never_the_key()
    {
        var text = CreateProvider().ToString();
        Assert.That(text, Does.Contain("contoso-eastus.openai.azure.com"));
        Assert.That(text, Does.Not.Contain(Key[..8]));
    }
}
