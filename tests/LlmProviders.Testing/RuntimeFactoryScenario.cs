using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmProviders.Testing;

/// <summary>
/// The scenario every satellite's <see cref="ILlmProviderFactory"/> must pass: its <c>Add…</c> registers the factory once (two
/// registrations, one factory), <see cref="ILlmProviderManager.EnableProvider"/> builds a provider of the right type, kind and
/// default name from a key, the key never shows in its <c>ToString()</c>, and the provider answers on the scripted server
/// sending that key.
/// </summary>
public static class RuntimeFactoryScenario
{
    /// <summary>Runs the scenario.</summary>
    /// <typeparam name="TFactory">The satellite's factory type.</typeparam>
    /// <typeparam name="TProvider">The provider type it builds.</typeparam>
    /// <param name="time">The test clock, registered as the container's <see cref="TimeProvider"/>.</param>
    /// <param name="handler">The scripted server, used as the runtime provider's HTTP handler.</param>
    /// <param name="kind">The provider kind.</param>
    /// <param name="defaultName">The name the enabled provider gets.</param>
    /// <param name="key">The API key to enable it with.</param>
    /// <param name="configure">Registers the satellite's environment and two configured providers with the given names and keys.</param>
    /// <param name="answer">The server's answer.</param>
    /// <param name="request">The request sent through the enabled provider.</param>
    /// <param name="authHeader">The header that carries the key.</param>
    /// <param name="expectedAuth">That header's expected value.</param>
    /// <returns>A task that completes when the scenario has run.</returns>
    public static async Task RunAsync<TFactory, TProvider>(
        ManualTimeProvider time, ScriptedHttpHandler handler, string kind, string defaultName, string key,
        Action<IServiceCollection, LlmProvidersBuilder> configure, CannedResponse answer, ChatRequest request, string authHeader, string expectedAuth)
        where TFactory : ILlmProviderFactory
        where TProvider : ILlmProvider
    {
        ArgumentNullException.ThrowIfNull(configure);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLlmProviders(b =>
        {
            configure(services, b);
            b.ConfigureHttpClient(defaultName, http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
        });
        using var sp = services.BuildServiceProvider();

        var factory = sp.GetServices<ILlmProviderFactory>().Single();
        Assert.That(factory, Is.TypeOf<TFactory>());
        Assert.That(factory.Kind, Is.EqualTo(kind));

        var manager = sp.GetRequiredService<ILlmProviderManager>();
        var provider = manager.EnableProvider(kind, key);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider, Is.TypeOf<TProvider>());
            Assert.That(provider.Name, Is.EqualTo(defaultName));
            Assert.That(provider.Kind, Is.EqualTo(kind));
            Assert.That(provider.ToString(), Does.Not.Contain(key));
        }

        handler.Response = answer;
        var result = await manager.GetProvider(defaultName)!.ChatAsync(request).ConfigureAwait(false);
        Assert.That(result.Text, Is.EqualTo("Hello from a runtime provider"));
        Assert.That(handler.LastRequest.Header(authHeader), Is.EqualTo(expectedAuth));
    }
}
