using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Mistral.Tests.DependencyInjection;

/// <summary><see cref="MistralProviderFactory"/>: registered once by <c>AddMistral</c>, it lets the manager enable Mistral from a key at run time.</summary>
public sealed class MistralProviderFactoryTests : MistralProviderTestBase
{
    [Test]
    public Task AddMistral_registers_the_factory_once_and_EnableProvider_builds_a_mistral_provider_that_sends_the_key() =>
        RuntimeFactoryScenario.RunAsync<MistralProviderFactory, MistralProvider>(
            Time,
            Handler,
            LlmProviderKinds.Mistral,
            "mistral",
            Key,
            (services, b) =>
            {
                services.AddSingleton(new MistralEnvironment(_ => null));
                b.AddMistral("configured", o => o.ApiKey = "configured-key-000000001")
                 .AddMistral("configured-2", o => o.ApiKey = "configured-key-000000002");
            },
            CannedResponse.Json(MistralWire.Completion("Hello from a runtime provider")),
            Ask(),
            "Authorization",
            "Bearer " + Key);
}
