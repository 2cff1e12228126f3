using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Anthropic.Tests.DependencyInjection;

/// <summary><see cref="AnthropicProviderFactory"/>: registered once by <c>AddAnthropic</c>, it lets the manager enable Anthropic from a key at run time.</summary>
public sealed class AnthropicProviderFactoryTests : AnthropicProviderTestBase
{
    [Test]
    public Task AddAnthropic_registers_the_factory_once_and_EnableProvider_builds_a_anthropic_provider_that_sends_the_key() =>
        RuntimeFactoryScenario.RunAsync<AnthropicProviderFactory, AnthropicProvider>(
            Time,
            Handler,
            LlmProviderKinds.Anthropic,
            "anthropic",
            Key,
            (services, b) =>
            {
                services.AddSingleton(new AnthropicEnvironment(_ => null));
                b.AddAnthropic("configured", o => o.ApiKey = "configured-key-000000001")
                 .AddAnthropic("configured-2", o => o.ApiKey = "configured-key-000000002");
            },
            CannedResponse.Json(AnthropicWire.TextMessage("Hello from a runtime provider")),
            Ask(),
            "x-api-key",
            Key);
}
