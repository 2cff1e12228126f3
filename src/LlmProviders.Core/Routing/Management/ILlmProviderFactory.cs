using System;

namespace LlmProviders.Routing;

/// <summary>
/// Builds a provider of one kind from an API key, for <see cref="ILlmProviderManager.EnableProvider"/>. The satellite packages
/// register theirs (<c>AddOpenAI</c>, <c>AddAnthropic</c>, <c>AddGemini</c>, <c>AddMistral</c>); register one of your own with
/// <c>LlmProvidersBuilder.AddProviderFactory</c>.
/// </summary>
public interface ILlmProviderFactory
{
    /// <summary>Gets the kind of provider built (see <see cref="LlmProviderKinds"/>), e.g. <c>openai</c>.</summary>
    string Kind { get; }

    /// <summary>Builds a provider from default options and <paramref name="apiKey"/>.</summary>
    /// <param name="name">The registration name the provider must report as its <see cref="ILlmProvider.Name"/>.</param>
    /// <param name="apiKey">The API key. Never put it in a message, a log or a <see cref="object.ToString"/>.</param>
    /// <param name="services">The application's services (HTTP client factory, <see cref="TimeProvider"/>, logging …).</param>
    /// <returns>The provider.</returns>
    ILlmProvider Create(string name, string apiKey, IServiceProvider services);
}
