using System;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds LlmProviders to an <see cref="IServiceCollection"/>.</summary>
public static class LlmProvidersServiceCollectionExtensions
{
    /// <summary>Adds LLM providers and routing, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds providers and chains, e.g. <c>b =&gt; b.AddOpenAI().AddSimulated("backup")</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLlmProviders(this IServiceCollection services, Action<LlmProvidersBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new LlmProvidersBuilder(services);
        builder.EnsureCoreServices();
        configure(builder);
        return services;
    }
}
