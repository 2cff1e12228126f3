using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Google.Tests.DependencyInjection;

/// <summary><see cref="GeminiProviderFactory"/>: registered once by <c>AddGemini</c>, it lets the manager enable Gemini from a key at run time.</summary>
public sealed class GeminiProviderFactoryTests : GeminiProviderTestBase
{
    [Test]
    public Task AddGemini_registers_the_factory_once_and_EnableProvider_builds_a_gemini_provider_that_sends_the_key() =>
        RuntimeFactoryScenario.RunAsync<GeminiProviderFactory, GeminiProvider>(
            Time,
            Handler,
            LlmProviderKinds.Google,
            "gemini",
            Key,
            (services, b) =>
            {
                services.AddSingleton(new GeminiEnvironment(_ => null));
                b.AddGemini("configured", o => o.ApiKey = "configured-key-000000001")
                 .AddGemini("configured-2", o => o.ApiKey = "configured-key-000000002");
            },
            CannedResponse.Json(GeminiWire.Completion("Hello from a runtime provider")),
            Ask(),
            "x-goog-api-key",
            Key);
}
