using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.AzureOpenAI.Tests.DependencyInjection;

/// <summary><c>AddAzureOpenAI</c>: keyed chat and embedding providers, named options validated at start, environment defaults, the named HttpClient.</summary>
public sealed class AzureOpenAILlmProvidersBuilderExtensionsTests : AzureOpenAIProviderTestBase
{
    private static readonly Dictionary<string, string> AzureEnvironment = new()
    {
        ["AZURE_OPENAI_API_KEY"] = Key,
        ["AZURE_OPENAI_ENDPOINT"] = AzureWire.Endpoint,
    };

    private ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new AzureOpenAIEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(configure);
        return services.BuildServiceProvider();
    }

    private void UseScriptedServer(LlmProvidersBuilder builder, string name) =>
        builder.ConfigureHttpClient(name, http => http.ConfigurePrimaryHttpMessageHandler(() => Handler));

    [Test]
    public async Task AddAzureOpenAI_registers_a_keyed_provider_configured_from_the_environment()
    {
        using var sp = Build(
            b =>
            {
                b.AddAzureOpenAI(configure: o => o.DefaultModel = Deployment);
                UseScriptedServer(b, "azure-openai");
            },
            AzureEnvironment);
        sp.GetRequiredService<IStartupValidator>().Validate();

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("azure-openai");
        Assert.That(provider, Is.TypeOf<AzureOpenAIProvider>());
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.AzureOpenAI));
        Assert.That(sp.GetServices<LlmProviderRegistration>().Single(), Is.EqualTo(new LlmProviderRegistration("azure-openai", LlmProviderKinds.AzureOpenAI)));

        Handler.Response = CannedResponse.Json(AzureWire.Completion("Hello from DI"));
        var result = await provider.ChatAsync(new ChatRequest("Hi"));
        Assert.That(result.Text, Is.EqualTo("Hello from DI"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"{AzureWire.Endpoint}/openai/deployments/{Deployment}/chat/completions?api-version=2024-10-21")));
        Assert.That(Handler.LastRequest.Header("api-key"), Is.EqualTo(Key));
    }

    [Test]
    public async Task Keyed_embedding_provider_resolves_to_the_same_registration()
    {
        using var sp = Build(
            b =>
            {
                b.AddAzureOpenAI("azure-eu", o => o.DefaultEmbeddingModel = "embed");
                UseScriptedServer(b, "azure-eu");
            },
            AzureEnvironment);

        var embeddings = sp.GetRequiredKeyedService<IEmbeddingProvider>("azure-eu");
        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-small", (0, [0.5f])));
        var result = await embeddings.EmbedAsync(new EmbeddingRequest("hello"));

        Assert.That(result.ProviderName, Is.EqualTo("azure-eu"));
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/openai/deployments/embed/embeddings"));
    }

    [Test]
    public void Api_version_comes_from_the_environment_unless_configured()
    {
        using var sp = Build(
            b => b.AddAzureOpenAI().AddAzureOpenAI("pinned", o => o.ApiVersion = "2024-06-01"),
            new Dictionary<string, string>(AzureEnvironment) { ["AZURE_OPENAI_API_VERSION"] = "2025-04-01-preview" });
        var monitor = sp.GetRequiredService<IOptionsMonitor<AzureOpenAIProviderOptions>>();
        Assert.That(monitor.Get("azure-openai").ApiVersion, Is.EqualTo("2025-04-01-preview"));
        Assert.That(monitor.Get("pinned").ApiVersion, Is.EqualTo("2024-06-01"));
        Assert.That(monitor.Get("azure-openai").BaseUrl, Is.EqualTo(new Uri(AzureWire.Endpoint)));
    }

    [Test]
    public void Missing_endpoint_and_key_fail_validation_at_start_naming_the_registration_and_the_variables()
    {
        using var sp = Build(b => b.AddAzureOpenAI("azure-west"));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:azure-west: BaseUrl (the Azure OpenAI resource endpoint) is missing. Set AZURE_OPENAI_ENDPOINT"));
        Assert.That(ex.Message, Does.Contain("LlmProviders:azure-west: ApiKey is missing and no TokenProvider is set. Set AZURE_OPENAI_API_KEY"));
    }

    [Test]
    public void Unnamed_options_validation_uses_the_default_name()
    {
        using var sp = Build(b => b.AddAzureOpenAI());
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:azure-openai:"));
    }

    [Test]
    public void Token_provider_satisfies_validation_without_a_key()
    {
        using var sp = Build(
            b => b.AddAzureOpenAI(configure: o => o.TokenProvider = _ => ValueTask.FromResult("entra-token")),
            new Dictionary<string, string> { ["AZURE_OPENAI_ENDPOINT"] = AzureWire.Endpoint });
        Assert.DoesNotThrow(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(sp.GetRequiredService<IOptionsMonitor<AzureOpenAIProviderOptions>>().Get("azure-openai").ApiKey, Is.Null);
    }

    [Test]
    public void Invalid_endpoint_from_the_environment_fails_validation_naming_it()
    {
        using var sp = Build(b => b.AddAzureOpenAI(), new Dictionary<string, string> { ["AZURE_OPENAI_API_KEY"] = Key, ["AZURE_OPENAI_ENDPOINT"] = "not a url" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("BaseUrl"));
        Assert.That(ex.Message, Does.Contain("AZURE_OPENAI_ENDPOINT"));
    }

    [Test]
    public void Two_regions_coexist_under_their_own_names()
    {
        using var sp = Build(b => b
            .AddAzureOpenAI("azure-east", o => { o.ApiKey = "key-east-000000001"; o.BaseUrl = new Uri("https://east.openai.azure.com"); })
            .AddAzureOpenAI("azure-west", o => { o.ApiKey = "key-west-000000002"; o.BaseUrl = new Uri("https://west.openai.azure.com"); }));
        sp.GetRequiredService<IStartupValidator>().Validate();

        var east = sp.GetRequiredKeyedService<ILlmProvider>("azure-east");
        var west = sp.GetRequiredKeyedService<ILlmProvider>("azure-west");
        Assert.That(east.ToString(), Does.Contain("east.openai.azure.com"));
        Assert.That(west.ToString(), Does.Contain("west.openai.azure.com"));
    }

    [Test]
    public void Registering_the_same_name_twice_is_refused()
    {
        var services = new ServiceCollection();
        Assert.Throws<InvalidOperationException>(() => services.AddLlmProviders(b => b.AddAzureOpenAI().AddAzureOpenAI()));
    }
}
