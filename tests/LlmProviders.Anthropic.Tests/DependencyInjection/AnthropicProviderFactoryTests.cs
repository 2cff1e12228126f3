using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Anthropic.Tests.DependencyInjection;

/// <summary><see cref="AnthropicProviderFactory"/>: registered once by <c>AddAnthropic</c>, it lets the manager enable Anthropic from a key at run time.</summary>
public sealed class AnthropicProviderFactoryTests : AnthropicProviderTestBase
{
    [Test]
    public async Task AddAnthropic_registers_the_factory_once_and_EnableProvider_builds_a_anthropic_provider_that_sends_the_key()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new AnthropicEnvironment(_ => null));
        services.AddLlmProviders(b => b
            .AddAnthropic("configured", o => o.ApiKey = "configured-key-000000001")
            .AddAnthropic("configured-2", o => o.ApiKey = "configured-key-000000002")
            .ConfigureHttpClient("anthropic", http => http.ConfigurePrimaryHttpMessageHandler(() => Handler)));
        using var sp = services.BuildServiceProvider();

        var factory = sp.GetServices<ILlmProviderFactory>().Single();
        Assert.That(factory, Is.TypeOf<AnthropicProviderFactory>());
        Assert.That(factory.Kind, Is.EqualTo(LlmProviderKinds.Anthropic));

        var provider = sp.GetRequiredService<ILlmProviderManager>().EnableProvider(LlmProviderKinds.Anthropic, Key);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider, Is.TypeOf<AnthropicProvider>());
            Assert.That(provider.Name, Is.EqualTo("anthropic"));
            Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Anthropic));
            Assert.That(provider.ToString(), Does.Not.Contain(Key));
        }

        Handler.Response = CannedResponse.Json(AnthropicWire.TextMessage("Hello from a runtime provider"));
        var result = await sp.GetRequiredService<ILlmProviderManager>().GetProvider("anthropic")!.ChatAsync(Ask());
        Assert.That(result.Text, Is.EqualTo("Hello from a runtime provider"));
        Assert.That(Handler.LastRequest.Header("x-api-key"), Is.EqualTo(Key));
    }
}
