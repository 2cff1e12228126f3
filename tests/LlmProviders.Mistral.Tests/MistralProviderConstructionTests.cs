using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Mistral.Wire;
using LlmProviders.Testing.Http;

namespace LlmProviders.Mistral.Tests;

/// <summary>Construction, options, environment, identity, model list and health.</summary>
public sealed class MistralProviderConstructionTests : MistralProviderTestBase
{
    [Test]
    public void Provider_reports_mistral_kind_name_and_honest_capabilities()
    {
        var provider = CreateProvider();
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Mistral));
        Assert.That(provider.Name, Is.EqualTo("mistral"));
        Assert.That(provider.IsLocal, Is.False);
        var expected = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools | LlmCapabilities.ParallelToolCalls |
            LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema | LlmCapabilities.Reasoning |
            LlmCapabilities.Embeddings | LlmCapabilities.ModelListing;
        Assert.That(provider.Capabilities, Is.EqualTo(expected));
        Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.PromptCaching), Is.False);
        Assert.That(provider.ToString(), Is.EqualTo("mistral (mistral, https://api.mistral.ai/v1)"));
        Assert.That(provider.ToString(), Does.Not.Contain(Key[4..]));
    }

    [Test]
    public void Capabilities_option_replaces_the_defaults()
    {
        Assert.That(CreateProvider(o => o.Capabilities = LlmCapabilities.Chat).Capabilities, Is.EqualTo(LlmCapabilities.Chat));
    }

    [Test]
    public void Missing_key_throws_naming_the_option_and_the_variable()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MistralProvider(new MistralProviderOptions(), null, "mistral", null, null, new MistralEnvironment(_ => null)));
        Assert.That(ex!.Message, Does.Contain("LlmProviders:mistral: ApiKey is missing. Set MISTRAL_API_KEY or MistralProviderOptions.ApiKey"));
    }

    [Test]
    public async Task Key_and_base_url_come_from_the_environment_when_unset()
    {
        var environment = new Dictionary<string, string> { ["MISTRAL_API_KEY"] = "env-key-0000000000001", ["MISTRAL_BASE_URL"] = "https://codestral.mistral.ai/v1/" };
        var options = new MistralProviderOptions();
        var provider = new MistralProvider(options, new HttpClient(Handler), "mistral", Time, null, new MistralEnvironment(n => environment.GetValueOrDefault(n)));

        Handler.Response = CannedResponse.Json(MistralWire.Completion("ok"));
        await provider.ChatAsync(Ask());

        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://codestral.mistral.ai/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer env-key-0000000000001"));
        Assert.That(options.ApiKey, Is.Null, "the caller's options are not changed");
    }

    [Test]
    public async Task Options_set_in_code_win_over_the_environment()
    {
        var provider = CreateProvider(environment: n => n == "MISTRAL_API_KEY" ? "env-key" : n == "MISTRAL_BASE_URL" ? "https://elsewhere.example/v1" : null);
        Handler.Response = CannedResponse.Json(MistralWire.Completion("ok"));
        await provider.ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
        Assert.That(Handler.LastRequest.Uri.Host, Is.EqualTo("elsewhere.example"), "BaseUrl was unset in code, so the environment fills it");
    }

    [Test]
    public void Invalid_base_url_from_the_environment_throws_naming_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateProvider(environment: n => n == "MISTRAL_BASE_URL" ? "not a url" : null));
        Assert.That(ex!.Message, Does.Contain("MISTRAL_BASE_URL"));
    }

    // Edge case #28: the model list, with Mistral's capabilities.
    [Test]
    public async Task List_models_gets_v1_models_with_capabilities_and_context_window()
    {
        Handler.Response = CannedResponse.Json(MistralWire.Models("mistral-small-latest", "mistral-large-latest"));
        var models = await CreateProvider().ListModelsAsync();

        Assert.That(Handler.LastRequest.Method, Is.EqualTo(HttpMethod.Get));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.mistral.ai/v1/models")));
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "mistral-small-latest", "mistral-large-latest" }));
        Assert.That(models[0].ContextWindow, Is.EqualTo(32768));
        var capabilities = (LlmCapabilities)models[0].AdditionalProperties![MistralModelsParser.CapabilitiesKey]!;
        Assert.That(capabilities.HasFlag(LlmCapabilities.Tools), Is.True);
        Assert.That(capabilities.HasFlag(LlmCapabilities.Vision), Is.False);
    }

    [Test]
    public async Task Health_check_lists_models_and_reports_an_unauthorized_key_as_unhealthy()
    {
        Handler.Response = CannedResponse.Json("""{"detail":"Unauthorized"}""", System.Net.HttpStatusCode.Unauthorized);
        var health = await CreateProvider().CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
        Assert.That(health.Error, Is.TypeOf<ProviderAuthenticationException>());
        Assert.That(Handler.LastRequest.Method, Is.EqualTo(HttpMethod.Get));
    }
}
