using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Mistral.Tests.DependencyInjection;

/// <summary><c>AddMistral</c>: keyed registration (chat and embeddings), named options validated at start, environment fallback through an injected reader.</summary>
public sealed class MistralLlmProvidersBuilderExtensionsTests : MistralProviderTestBase
{
    private ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new MistralEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(configure);
        return services.BuildServiceProvider();
    }

    private void UseScriptedServer(LlmProvidersBuilder builder, string name) =>
        builder.ConfigureHttpClient(name, http => http.ConfigurePrimaryHttpMessageHandler(() => Handler));

    [Test]
    public async Task AddMistral_registers_a_keyed_provider_that_calls_mistral()
    {
        using var sp = Build(b =>
        {
            b.AddMistral(configure: o => o.ApiKey = Key);
            UseScriptedServer(b, "mistral");
        });
        sp.GetRequiredService<IStartupValidator>().Validate();

        var provider = sp.GetRequiredKeyedService<ILlmProvider>("mistral");
        Assert.That(provider, Is.TypeOf<MistralProvider>());
        Assert.That(provider.Name, Is.EqualTo("mistral"));
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Mistral));
        Assert.That(sp.GetServices<LlmProviderRegistration>().Single(), Is.EqualTo(new LlmProviderRegistration("mistral", LlmProviderKinds.Mistral)));

        Handler.Response = CannedResponse.Json(MistralWire.Completion("Bonjour from DI"));
        var result = await provider.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Bonjour from DI"));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.mistral.ai/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
    }

    [Test]
    public async Task Key_comes_from_MISTRAL_API_KEY_through_the_injected_reader()
    {
        using var sp = Build(
            b =>
            {
                b.AddMistral();
                UseScriptedServer(b, "mistral");
            },
            new Dictionary<string, string> { ["MISTRAL_API_KEY"] = "env-mistral-key-000001" });
        sp.GetRequiredService<IStartupValidator>().Validate();

        Assert.That(sp.GetRequiredService<IOptionsMonitor<MistralProviderOptions>>().Get("mistral").ApiKey, Is.EqualTo("env-mistral-key-000001"));
        Handler.Response = CannedResponse.Json(MistralWire.Completion("ok"));
        await sp.GetRequiredKeyedService<ILlmProvider>("mistral").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer env-mistral-key-000001"));
    }

    [Test]
    public async Task Base_url_comes_from_MISTRAL_BASE_URL()
    {
        using var sp = Build(
            b =>
            {
                b.AddMistral("codestral");
                UseScriptedServer(b, "codestral");
            },
            new Dictionary<string, string> { ["MISTRAL_API_KEY"] = Key, ["MISTRAL_BASE_URL"] = "https://codestral.mistral.ai/v1" });
        Handler.Response = CannedResponse.Json(MistralWire.Completion("ok"));
        await sp.GetRequiredKeyedService<ILlmProvider>("codestral").ChatAsync(Ask());
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://codestral.mistral.ai/v1/chat/completions")));
    }

    [Test]
    public async Task Keyed_embedding_provider_resolves_to_mistral_and_embeds()
    {
        using var sp = Build(b =>
        {
            b.AddMistral(configure: o => o.ApiKey = Key);
            UseScriptedServer(b, "mistral");
        });

        var embedder = sp.GetRequiredKeyedService<IEmbeddingProvider>("mistral");
        Assert.That(embedder, Is.TypeOf<MistralProvider>());
        Handler.Response = CannedResponse.Json("""{"id":"e1","object":"list","data":[{"object":"embedding","embedding":[0.25,0.5],"index":0}],"model":"mistral-embed","usage":{"prompt_tokens":2,"total_tokens":2,"completion_tokens":0}}""");
        var result = await embedder.EmbedAsync(new EmbeddingRequest("hello"));
        Assert.That(result.Embeddings[0].Vector.ToArray(), Is.EqualTo(new[] { 0.25f, 0.5f }));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.mistral.ai/v1/embeddings")));
    }

    [Test]
    public void Missing_key_fails_validation_at_start_with_a_message_naming_the_option_and_the_fix()
    {
        using var sp = Build(b => b.AddMistral());
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:mistral: ApiKey is missing. Set MISTRAL_API_KEY or MistralProviderOptions.ApiKey"));
    }

    [Test]
    public void Missing_key_of_a_named_registration_names_that_registration()
    {
        using var sp = Build(b => b.AddMistral("mistral-eu"));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("LlmProviders:mistral-eu: ApiKey is missing"));
    }

    [Test]
    public void Invalid_base_url_from_the_environment_fails_validation_naming_it()
    {
        using var sp = Build(b => b.AddMistral(), new Dictionary<string, string> { ["MISTRAL_API_KEY"] = Key, ["MISTRAL_BASE_URL"] = "not a url" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("BaseUrl"));
        Assert.That(ex.Message, Does.Contain("MISTRAL_BASE_URL"));
    }

    [Test]
    public void Non_positive_request_timeout_fails_validation()
    {
        using var sp = Build(b => b.AddMistral(configure: o => { o.ApiKey = Key; o.RequestTimeout = TimeSpan.Zero; }));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("RequestTimeout"));
    }

    [Test]
    public void Two_registrations_coexist_with_their_own_options()
    {
        using var sp = Build(b => b
            .AddMistral("mistral", o => o.ApiKey = "key-one-000000000001")
            .AddMistral("codestral", o => { o.ApiKey = "key-two-000000000002"; o.BaseUrl = MistralProviderOptions.CodestralBaseUrl; o.SafePrompt = true; }));

        Assert.That(sp.GetRequiredKeyedService<ILlmProvider>("mistral"), Is.Not.SameAs(sp.GetRequiredKeyedService<ILlmProvider>("codestral")));
        var monitor = sp.GetRequiredService<IOptionsMonitor<MistralProviderOptions>>();
        Assert.That(monitor.Get("codestral").SafePrompt, Is.True);
        Assert.That(monitor.Get("mistral").SafePrompt, Is.False);
    }

    [Test]
    public void Registering_the_same_name_twice_is_refused()
    {
        var services = new ServiceCollection();
        Assert.Throws<InvalidOperationException>(() => services.AddLlmProviders(b => b.AddMistral().AddMistral()));
    }
}
