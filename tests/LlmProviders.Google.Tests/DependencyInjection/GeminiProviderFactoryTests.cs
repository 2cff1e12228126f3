using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Google.Tests.DependencyInjection;

/// <summary><see cref="GeminiProviderFactory"/>: registered once by <c>AddGemini</c>, it lets the manager enable Gemini from a key at run time.</summary>
public sealed class GeminiProviderFactoryTests : GeminiProviderTestBase
{
    [Test]
    public async Task AddGemini_registers_the_factory_once_and_EnableProvider_builds_a_gemini_provider_that_sends_the_key()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new GeminiEnvironment(_ => null));
        services.AddLlmProviders(b => b
            .AddGemini("configured", o => o.ApiKey = "configured-key-000000001")
            .AddGemini("configured-2", o => o.ApiKey = "configured-key-000000002")
            .ConfigureHttpClient("gemini", http => http.ConfigurePrimaryHttpMessageHandler(() => Handler)));
        using var sp = services.BuildServiceProvider();

        var factory = sp.GetServices<ILlmProviderFactory>().Single();
        Assert.That(factory, Is.TypeOf<GeminiProviderFactory>());
        Assert.That(factory.Kind, Is.EqualTo(LlmProviderKinds.Google));

        var provider = sp.GetRequiredService<ILlmProviderManager>().EnableProvider(LlmProviderKinds.Google, Key);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider, Is.TypeOf<GeminiProvider>());
            Assert.That(provider.Name, Is.EqualTo("gemini"));
            Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Google));
            Assert.That(provider.ToString(), Does.Not.Contain(Key));
        }

        Handler.Response = CannedResponse.Json(GeminiWire.Completion("Hello from a runtime provider"));
        var result = await sp.GetRequiredService<ILlmProviderManager>().GetProvider("gemini")!.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Hello from a runtime provider"));
        Assert.That(Handler.LastRequest.Header("x-goog-api-key"), Is.EqualTo(Key));
    }
}
