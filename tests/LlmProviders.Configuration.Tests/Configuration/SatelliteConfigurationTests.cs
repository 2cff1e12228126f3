using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using LlmProviders.Configuration;
using LlmProviders.OpenAI;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.Configuration;

public sealed class SatelliteConfigurationTests
{
    [TestCase("openai", LlmProviderKinds.OpenAI)]
    [TestCase("azure_openai", LlmProviderKinds.AzureOpenAI)]
    [TestCase("azure-openai", LlmProviderKinds.AzureOpenAI)]
    [TestCase("anthropic", LlmProviderKinds.Anthropic)]
    [TestCase("gemini", LlmProviderKinds.Google)]
    [TestCase("google", LlmProviderKinds.Google)]
    [TestCase("ollama", LlmProviderKinds.Ollama)]
    [TestCase("mistral", LlmProviderKinds.Mistral)]
    [TestCase("together", LlmProviderKinds.TogetherAI)]
    [TestCase("openrouter", LlmProviderKinds.OpenRouter)]
    [TestCase("vllm", LlmProviderKinds.Vllm)]
    [TestCase("localai", LlmProviderKinds.LocalAI)]
    [TestCase("openai-compatible", LlmProviderKinds.OpenAICompatible)]
    [TestCase("custom", LlmProviderKinds.OpenAICompatible)]
    [TestCase("simulated", LlmProviderKinds.Simulated)]
    public async Task Every_provider_type_binds_from_configuration(string type, string kind)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LlmProviders:Providers:p:Type"] = type,
            ["LlmProviders:Providers:p:ApiKey"] = "test-key",
            ["LlmProviders:Providers:p:ApiVersion"] = "2024-10-21",
        };
        if (type is "azure_openai" or "azure-openai" or "openai-compatible" or "custom")
        {
            settings["LlmProviders:Providers:p:BaseUrl"] = "https://llm.example.com/v1";
        }

        await using var services = ConfigurationFiles.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.GetRequiredService<IStartupValidator>().Validate();

        var provider = services.GetRequiredKeyedService<ILlmProvider>("p");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.Kind, Is.EqualTo(kind));
            Assert.That(provider.Name, Is.EqualTo("p"));
        }
    }

    [Test]
    public async Task Provider_specific_options_bind_into_the_satellites_options()
    {
        await using var services = ConfigurationFiles.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlmProviders:Providers:router:Type"] = "openrouter",
            ["LlmProviders:Providers:router:api_key"] = "k",
            ["LlmProviders:Providers:router:site_url"] = "https://myapp.example",
            ["LlmProviders:Providers:router:app_name"] = "My App",
            ["LlmProviders:Providers:router:request_timeout"] = "45",
            ["LlmProviders:Providers:router:default_model"] = "openai/gpt-4o",
        }).Build());
        services.GetRequiredService<IStartupValidator>().Validate();

        var options = services.GetRequiredService<IOptionsMonitor<OpenRouterProviderOptions>>().Get("router");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.SiteUrl, Is.EqualTo(new Uri("https://myapp.example")));
            Assert.That(options.AppName, Is.EqualTo("My App"));
            Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(45)), "durations may be written in seconds");
            Assert.That(options.DefaultModel, Is.EqualTo("openai/gpt-4o"));
        }
    }

    [Test]
    public async Task A_custom_endpoint_without_a_base_url_is_reported()
    {
        await using var services = ConfigurationFiles.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlmProviders:Providers:mine:Type"] = "custom",
            ["LlmProviders:Providers:mine:ApiKey"] = "k",
        }).Build());

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Failures, Has.One.StartsWith("LlmProviders:Providers:mine: the OpenAI-compatible provider needs a BaseUrl;"));
    }

    [Test]
    public async Task With_no_providers_configured_the_provider_tables_environment_variables_register_providers()
    {
        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = "sk-env",
            ["ANTHROPIC_API_KEY"] = "sk-ant-env",
            ["GEMINI_API_KEY"] = "g-env",
            ["MISTRAL_API_KEY"] = "m-env",
            ["AZURE_OPENAI_API_KEY"] = "az-env",
            ["AZURE_OPENAI_ENDPOINT"] = "https://contoso.openai.azure.com",
            ["OLLAMA_BASE_URL"] = "http://localhost:11434",
            ["TOGETHER_API_KEY"] = "t-env",
            ["OPENROUTER_API_KEY"] = "or-env",
            ["VLLM_URL"] = "http://localhost:8000/v1",
            ["LOCALAI_URL"] = "http://localhost:8080/v1",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LlmProviders:DefaultStrategy"] = "priority" }).Build();

        await using var services = ConfigurationFiles.Build(configuration, environment, b => b.AddSimulated("openai"));

        var kinds = new Dictionary<string, string>();
        foreach (var registration in services.GetRequiredService<LlmProvidersState>().Registrations)
        {
            kinds[registration.Name] = registration.Kind;
        }

        Assert.That(kinds, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["openai"] = LlmProviderKinds.Simulated, // registered in code first: the environment does not register the name again
            ["anthropic"] = LlmProviderKinds.Anthropic,
            ["gemini"] = LlmProviderKinds.Google,
            ["mistral"] = LlmProviderKinds.Mistral,
            ["azure-openai"] = LlmProviderKinds.AzureOpenAI,
            ["ollama"] = LlmProviderKinds.Ollama,
            ["together"] = LlmProviderKinds.TogetherAI,
            ["openrouter"] = LlmProviderKinds.OpenRouter,
            ["vllm"] = LlmProviderKinds.Vllm,
            ["localai"] = LlmProviderKinds.LocalAI,
        }));
    }

    [Test]
    public async Task Models_give_the_default_model_only_when_DefaultModel_is_unset()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlmProviders:Providers:listed:Type"] = "mistral",
            ["LlmProviders:Providers:listed:ApiKey"] = "key",
            ["LlmProviders:Providers:listed:Models:0"] = "mistral-small-latest",
            ["LlmProviders:Providers:listed:Models:1"] = "mistral-large-latest",
            ["LlmProviders:Providers:explicit:Type"] = "mistral",
            ["LlmProviders:Providers:explicit:ApiKey"] = "key",
            ["LlmProviders:Providers:explicit:DefaultModel"] = "codestral-latest",
            ["LlmProviders:Providers:explicit:Models:0"] = "mistral-small-latest",
        }).Build();

        await using var services = ConfigurationFiles.Build(configuration);
        var options = services.GetRequiredService<IOptionsMonitor<LlmProviders.Mistral.MistralProviderOptions>>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Get("listed").DefaultModel, Is.EqualTo("mistral-small-latest"));
            Assert.That(options.Get("explicit").DefaultModel, Is.EqualTo("codestral-latest"));
        }
    }

    [Test]
    public async Task A_providers_section_turns_the_environment_registration_off()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LlmProviders:Providers:sim:Type"] = "simulated" }).Build();

        await using var services = ConfigurationFiles.Build(configuration, new() { ["OPENAI_API_KEY"] = "sk-env", ["OLLAMA_BASE_URL"] = "http://localhost:11434" });

        Assert.That(services.GetRequiredService<LlmProvidersState>().Names, Is.EqualTo(new[] { "sim" }), "what the configuration lists is all there is");
    }

    [Test]
    public async Task A_configured_provider_describes_its_endpoint_and_default_model_to_diagnostics_and_its_IChatClient()
    {
        var handler = new ScriptedHttpHandler
        {
            Responder = _ => CannedResponse.Json("""{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","owned_by":"openai"},{"id":"gpt-4o","object":"model","owned_by":"openai"}]}"""),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlmProviders:Providers:openai:Type"] = "openai",
            ["LlmProviders:Providers:openai:ApiKey"] = "key-A",
            ["LlmProviders:Providers:openai:BaseUrl"] = "https://llm.example.com/v1",
            ["LlmProviders:Providers:openai:DefaultModel"] = "gpt-4o-mini",
        }).Build();
        await using var services = ConfigurationFiles.Build(
            configuration,
            configure: b => b.ConfigureHttpClient("openai", http => http.ConfigurePrimaryHttpMessageHandler(() => handler)));
        services.GetRequiredService<IStartupValidator>().Validate();

        var report = await services.GetRequiredService<LlmProviders.Health.ILlmProviderDiagnostics>().TestProviderAsync("openai");
        var metadata = services.GetRequiredKeyedService<Microsoft.Extensions.AI.IChatClient>("openai").GetService(typeof(Microsoft.Extensions.AI.ChatClientMetadata)) as Microsoft.Extensions.AI.ChatClientMetadata;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Model, Is.EqualTo("gpt-4o-mini"), "without a model, the provider's default model is checked");
            Assert.That(report.Passed, Is.True, string.Join("; ", report.Checks));
            Assert.That(report.Checks[^1].Message, Does.Contain("'gpt-4o-mini'"));
            Assert.That(metadata!.ProviderName, Is.EqualTo("openai"));
            Assert.That(metadata.ProviderUri, Is.EqualTo(new Uri("https://llm.example.com/v1")));
            Assert.That(metadata.DefaultModelId, Is.EqualTo("gpt-4o-mini"));
        }
    }

    [Test]
    public async Task A_rotated_key_is_sent_by_the_next_request_while_a_running_stream_finishes_on_the_old_key()
    {
        var handler = new ScriptedHttpHandler
        {
            Responder = request => request.BodyText.Contains("\"stream\":true", StringComparison.Ordinal)
                ? CannedResponse.DataEvents(Chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}"), Chunk("{\"content\":\"lo\"}", "\"stop\""), "[DONE]")
                : CannedResponse.Json(Completion),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlmProviders:Providers:openai:Type"] = "openai",
            ["LlmProviders:Providers:openai:ApiKey"] = "key-A",
        }).Build();
        await using var services = ConfigurationFiles.Build(
            configuration,
            configure: b => b.ConfigureHttpClient("openai", http => http.ConfigurePrimaryHttpMessageHandler(() => handler)));
        services.GetRequiredService<IStartupValidator>().Validate();
        var provider = services.GetRequiredKeyedService<ILlmProvider>("openai");

        await using var stream = provider.StreamAsync(new ChatRequest("stream me")).GetAsyncEnumerator();
        Assert.That(await stream.MoveNextAsync(), Is.True, "the stream has started on key A");

        configuration["LlmProviders:Providers:openai:ApiKey"] = "key-B";
        configuration.Reload();
        var answer = await provider.ChatAsync(new ChatRequest("after rotation"));

        var text = stream.Current.Text;
        while (await stream.MoveNextAsync())
        {
            text += stream.Current.Text;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Requests[0].Header("Authorization"), Is.EqualTo("Bearer key-A"));
            Assert.That(handler.Requests[1].Header("Authorization"), Is.EqualTo("Bearer key-B"), "the next request uses the new key, without a restart");
            Assert.That(handler.Requests, Has.Count.EqualTo(2));
            Assert.That(text, Is.EqualTo("Hello"), "the running stream finished on its own key");
            Assert.That(answer.Text, Is.EqualTo("rotated"));
            Assert.That(((ReloadingLlmProvider)provider).GetService(typeof(OpenAIProvider)), Is.InstanceOf<OpenAIProvider>());
        }
    }

    private const string Completion =
        """{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"rotated"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";

    private static string Chunk(string delta, string finishReason = "null") =>
        $$"""{"id":"c2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{finishReason}}}]}""";
}
