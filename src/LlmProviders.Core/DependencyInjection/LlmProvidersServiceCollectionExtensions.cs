using System;
using LlmProviders;
using LlmProviders.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds LlmProviders to an <see cref="IServiceCollection"/>.</summary>
public static class LlmProvidersServiceCollectionExtensions
{
    /// <summary>
    /// Adds LLM providers and routing, configured in code. Each provider is a keyed <see cref="ILlmProvider"/> under its
    /// name; each chain (route) a keyed <see cref="ILlmProvider"/> and <see cref="ILlmRouter"/> under its name; the unkeyed
    /// <see cref="ILlmRouter"/> (and unkeyed <see cref="ILlmProvider"/> and <see cref="IEmbeddingProvider"/>) sends each request to the
    /// route named by <see cref="ChatRequest.RouteName"/>, else to the default route: the chain named <c>default</c>, else a chain over
    /// every provider (the default provider first, then registration order, then those added at run time).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds providers and chains, e.g. <c>b =&gt; b.AddOpenAI().AddSimulated("backup")</c>.</param>
    /// <returns>The services.</returns>
    /// <remarks>
    /// Options are validated when the application starts (<c>ValidateOnStart</c>): a host does it on start; without a host,
    /// call <c>serviceProvider.GetRequiredService&lt;IStartupValidator&gt;().Validate()</c>. May be called more than once;
    /// the calls add to the same registrations.
    /// </remarks>
    public static IServiceCollection AddLlmProviders(this IServiceCollection services, Action<LlmProvidersBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new LlmProvidersBuilder(services));
        return services;
    }
}
