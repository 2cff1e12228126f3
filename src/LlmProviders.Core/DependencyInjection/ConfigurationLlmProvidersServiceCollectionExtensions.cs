using System;
using LlmProviders.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds LlmProviders from configuration (SPEC D1 second form, D2, D3): <c>services.AddLlmProviders(configuration.GetSection("LlmProviders"))</c>.</summary>
public static class ConfigurationLlmProvidersServiceCollectionExtensions
{
    /// <summary>
    /// Adds LLM providers, routes, the router's settings, budgets, catalog overrides and cost tracking from a configuration section
    /// (e.g. <c>LlmProviders</c> in appsettings.json). <c>Providers</c> is an object keyed by name or an array of entries with a
    /// <c>Name</c>; each has a <c>Type</c> (<c>openai</c>, <c>azure_openai</c>, <c>anthropic</c>, <c>gemini</c>, <c>ollama</c>,
    /// <c>mistral</c>, <c>together</c>, <c>openrouter</c>, <c>vllm</c>, <c>localai</c>, <c>openai-compatible</c>, <c>simulated</c>,
    /// or one a package declares), and every option of that provider's options type. Keys match ignoring case, <c>_</c> and
    /// <c>-</c> (<c>api_key</c> is <c>ApiKey</c>); values may be <c>env:NAME</c> or contain <c>${NAME}</c>, resolved whenever the
    /// options are built, so a reloaded key is used by the next request.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("LlmProviders")</c>.</param>
    /// <returns>The services.</returns>
    /// <remarks>
    /// Every problem of the configuration (an unknown type, a route naming nothing registered, a cloud provider without a key, a
    /// negative limit, a malformed URL, an unknown strategy, a bad duration) fails the start together, in one
    /// <see cref="OptionsValidationException"/> whose messages name the configuration path and the fix. Without a host, call
    /// <c>serviceProvider.GetRequiredService&lt;IStartupValidator&gt;().Validate()</c>.
    /// </remarks>
    public static IServiceCollection AddLlmProviders(this IServiceCollection services, IConfiguration configuration) =>
        AddLlmProviders(services, configuration, null);

    /// <summary>
    /// Adds LLM providers from a configuration section (see <see cref="AddLlmProviders(IServiceCollection, IConfiguration)"/>),
    /// then runs <paramref name="configure"/> for additions in code (providers of your own, chains over configured providers …).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("LlmProviders")</c>.</param>
    /// <param name="configure">Additions in code, run after binding; <see langword="null"/> for none.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLlmProviders(this IServiceCollection services, IConfiguration configuration, Action<LlmProvidersBuilder>? configure) =>
        AddLlmProviders(services, configuration, configure, Environment.GetEnvironmentVariable);

    internal static IServiceCollection AddLlmProviders(IServiceCollection services, IConfiguration configuration, Action<LlmProvidersBuilder>? configure, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var builder = new LlmProvidersBuilder(services);
        services.AddOptions<LlmProvidersConfigurationCheck>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmProvidersConfigurationCheck>, LlmProvidersConfigurationValidator>());
        LlmProvidersConfigurationLoader.Load(builder, configuration, environment);
        configure?.Invoke(builder);
        LlmProvidersConfigurationLoader.AddEnvironmentProviders(builder, environment);
        return services;
    }

    /// <summary>
    /// Registers a configuration binder for provider types of your own: a provider whose <c>Type</c> is one of
    /// <paramref name="types"/> is registered by <paramref name="binder"/>. Call it before <c>AddLlmProviders(configuration)</c>,
    /// e.g. <c>services.AddLlmProviders(b =&gt; b.AddConfigurationBinder(new MyBinder(), "my-llm"))</c>; it wins over a binder an
    /// assembly declares for the same type.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="binder">The binder.</param>
    /// <param name="types">The provider types it binds (matched ignoring case, <c>_</c> and <c>-</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">No type is given.</exception>
    public static LlmProvidersBuilder AddConfigurationBinder(this LlmProvidersBuilder builder, ILlmProviderConfigurationBinder binder, params string[] types)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(binder);
        ArgumentNullException.ThrowIfNull(types);
        if (types.Length == 0)
        {
            throw new ArgumentException("Name at least one provider type the binder binds, e.g. \"my-llm\".", nameof(types));
        }

        builder.State.Configuration.EnsureDiscovered();
        builder.State.Configuration.AddBinder(binder, types, replace: true);
        return builder;
    }
}
