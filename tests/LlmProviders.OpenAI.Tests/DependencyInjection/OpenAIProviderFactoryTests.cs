using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.OpenAI.Tests.DependencyInjection;

/// <summary><see cref="OpenAIProviderFactory"/>: registered once by <c>AddOpenAI</c>, it lets the manager enable OpenAI from a key at run time.</summary>
public sealed class OpenAIProviderFactoryTests : OpenAIProviderTestBase
{
    [Test]
    public async Task AddOpenAI_registers_the_factory_once_and_EnableProvider_builds_a_openai_provider_that_sends_the_key()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new OpenAIEnvironment(_ => null));
        services.AddLlmProviders(b => b
            .AddOpenAI("configured", o => o.ApiKey = "configured-key-000000001")
            .AddOpenAI("configured-2", o => o.ApiKey = "configured-key-000000002")
            .ConfigureHttpClient("openai", http => http.ConfigurePrimaryHttpMessageHandler(() => Handler)));
        using var sp = services.BuildServiceProvider();

        var factory = sp.GetServices<ILlmProviderFactory>().Single();
        Assert.That(factory, Is.TypeOf<OpenAIProviderFactory>());
        Assert.That(factory.Kind, Is.EqualTo(LlmProviderKinds.OpenAI));

        var provider = sp.GetRequiredService<ILlmProviderManager>().EnableProvider(LlmProviderKinds.OpenAI, Key);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider, Is.TypeOf<OpenAIProvider>());
            Assert.That(provider.Name, Is.EqualTo("openai"));
            Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.OpenAI));
            Assert.That(provider.ToString(), Does.Not.Contain(Key));
        }

        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("Hello from a runtime provider"));
        var result = await sp.GetRequiredService<ILlmProviderManager>().GetProvider("openai")!.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Hello from a runtime provider"));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
    }
}
