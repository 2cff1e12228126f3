using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Mistral.Tests.DependencyInjection;

/// <summary><see cref="MistralProviderFactory"/>: registered once by <c>AddMistral</c>, it lets the manager enable Mistral from a key at run time.</summary>
public sealed class MistralProviderFactoryTests : MistralProviderTestBase
{
    [Test]
    public async Task AddMistral_registers_the_factory_once_and_EnableProvider_builds_a_mistral_provider_that_sends_the_key()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new MistralEnvironment(_ => null));
        services.AddLlmProviders(b => b
            .AddMistral("configured", o => o.ApiKey = "configured-key-000000001")
            .AddMistral("configured-2", o => o.ApiKey = "configured-key-000000002")
            .ConfigureHttpClient("mistral", http => http.ConfigurePrimaryHttpMessageHandler(() => Handler)));
        using var sp = services.BuildServiceProvider();

        var factory = sp.GetServices<ILlmProviderFactory>().Single();
        Assert.That(factory, Is.TypeOf<MistralProviderFactory>());
        Assert.That(factory.Kind, Is.EqualTo(LlmProviderKinds.Mistral));

        var provider = sp.GetRequiredService<ILlmProviderManager>().EnableProvider(LlmProviderKinds.Mistral, Key);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider, Is.TypeOf<MistralProvider>());
            Assert.That(provider.Name, Is.EqualTo("mistral"));
            Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Mistral));
            Assert.That(provider.ToString(), Does.Not.Contain(Key));
        }

        Handler.Response = CannedResponse.Json(MistralWire.Completion("Hello from a runtime provider"));
        var result = await sp.GetRequiredService<ILlmProviderManager>().GetProvider("mistral")!.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Hello from a runtime provider"));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
    }
}
