using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.OpenAI.Tests.DependencyInjection;

/// <summary><see cref="OpenAIProviderFactory"/>: registered once by <c>AddOpenAI</c>, it lets the manager enable OpenAI from a key at run time.</summary>
public sealed class OpenAIProviderFactoryTests : OpenAIProviderTestBase
{
    [Test]
    public Task AddOpenAI_registers_the_factory_once_and_EnableProvider_builds_a_openai_provider_that_sends_the_key() =>
        RuntimeFactoryScenario.RunAsync<OpenAIProviderFactory, OpenAIProvider>(
            Time,
            Handler,
            LlmProviderKinds.OpenAI,
            "openai",
            Key,
            (services, b) =>
            {
                services.AddSingleton(new OpenAIEnvironment(_ => null));
                b.AddOpenAI("configured", o => o.ApiKey = "configured-key-000000001")
                 .AddOpenAI("configured-2", o => o.ApiKey = "configured-key-000000002");
            },
            CannedResponse.Json(OpenAIWire.Completion("Hello from a runtime provider")),
            Ask(),
            "Authorization",
            "Bearer " + Key);
}
