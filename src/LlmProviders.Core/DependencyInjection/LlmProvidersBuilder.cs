using System;
using System.Collections.Generic;
using System.Threading;
using LlmProviders;
using LlmProviders.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers LLM providers and routing with an <see cref="IServiceCollection"/>. Satellite packages add their
/// <c>AddXxx</c> extension methods to this type.
/// </summary>
/// <remarks>
/// What the builder has registered is kept in the service collection itself, so calling
/// <see cref="LlmProvidersServiceCollectionExtensions.AddLlmProviders(IServiceCollection, Action{LlmProvidersBuilder})"/>
/// more than once adds to the same registrations (and a name used in one call cannot be reused in another).
/// </remarks>
public sealed class LlmProvidersBuilder
{
    private const string HttpClientNamePrefix = "LlmProviders.";

    internal LlmProvidersBuilder(IServiceCollection services)
    {
        Services = services;
        State = LlmProvidersState.GetOrAdd(services);
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the names registered so far (providers and chains), in registration order.</summary>
    public IReadOnlyCollection<string> ProviderNames => State.Names;

    internal LlmProvidersState State { get; }

    /// <summary>Gets the name of the <see cref="System.Net.Http.HttpClient"/> a provider registration uses with <see cref="System.Net.Http.IHttpClientFactory"/>.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <returns>The client name.</returns>
    public static string GetHttpClientName(string providerName) => HttpClientNamePrefix + providerName;

    /// <summary>
    /// Registers a provider under <paramref name="name"/> as a keyed singleton <see cref="ILlmProvider"/>. Satellite packages
    /// call this from their <c>AddXxx</c> methods; applications may call it for a provider of their own.
    /// </summary>
    /// <param name="name">The registration name, unique in the application (case-insensitive) among providers and chains.</param>
    /// <param name="kind">The provider kind (see <see cref="LlmProviderKinds"/>).</param>
    /// <param name="factory">Creates the provider; receives the service provider and the registration name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A provider or chain with that name is already registered.</exception>
    public LlmProvidersBuilder AddProvider(string name, string kind, Func<IServiceProvider, string, ILlmProvider> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(factory);
        var registration = State.Add(name, kind);
        Services.AddKeyedSingleton<ILlmProvider>(name, (sp, key) => factory(sp, (string)key!));

        // The same instance as an IEmbeddingProvider, for the providers that offer embeddings.
        Services.AddKeyedSingleton<IEmbeddingProvider>(name, (sp, key) =>
            sp.GetRequiredKeyedService<ILlmProvider>(key) as IEmbeddingProvider
            ?? throw new InvalidOperationException(
                $"The provider '{key}' ({kind}) does not offer embeddings. Register a provider that does (OpenAI, Azure OpenAI, Gemini, Ollama, Mistral, an OpenAI-compatible endpoint) and resolve that name."));
        Services.AddSingleton(registration);

        // The same provider as a Microsoft.Extensions.AI IChatClient under its name (SPEC RT8, D1).
        Services.AddKeyedSingleton<Microsoft.Extensions.AI.IChatClient>(name, static (sp, key) =>
            sp.GetRequiredKeyedService<ILlmProvider>(key).AsIChatClient(sp.GetService<TimeProvider>()));
        return this;
    }

    /// <summary>
    /// Registers a provider as <see cref="AddProvider(string, string, Func{IServiceProvider, string, ILlmProvider})"/> does, and
    /// makes it follow its named <typeparamref name="TOptions"/>: when those options have a change source for
    /// <paramref name="name"/> (bound from a reloading configuration, e.g. by <c>AddLlmProviders(configuration)</c>), a change
    /// rebuilds the provider for the next request (key rotation without a restart) while running requests finish on the old one.
    /// Without a change source the provider is registered as it is.
    /// </summary>
    /// <typeparam name="TOptions">The provider's options type, named by registration name.</typeparam>
    /// <param name="name">The registration name, unique in the application (case-insensitive) among providers and chains.</param>
    /// <param name="kind">The provider kind (see <see cref="LlmProviderKinds"/>).</param>
    /// <param name="factory">Creates the provider from the current options; receives the service provider and the registration name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A provider or chain with that name is already registered.</exception>
    public LlmProvidersBuilder AddProvider<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(string name, string kind, Func<IServiceProvider, string, ILlmProvider> factory)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        return AddProvider(name, kind, (sp, key) => LlmProviders.Configuration.ReloadingLlmProvider.CreateIfReloadable<TOptions>(sp, key, factory));
    }

    /// <summary>
    /// Registers a factory that builds providers of its <see cref="ILlmProviderFactory.Kind"/> from an API key, for
    /// <see cref="ILlmProviderManager.EnableProvider"/>. The satellite packages' <c>AddXxx</c> methods register theirs; call this
    /// to enable a kind at run time without configuring a provider of it at start (e.g.
    /// <c>builder.AddProviderFactory(new OpenAIProviderFactory())</c>), or for a provider of your own.
    /// </summary>
    /// <param name="factory">The factory.</param>
    /// <returns>This builder.</returns>
    /// <remarks>Idempotent per kind (ignoring case): when a factory of that kind is already registered, the first one stays and this call does nothing.</remarks>
    /// <exception cref="ArgumentException">The factory's kind is empty.</exception>
    public LlmProvidersBuilder AddProviderFactory(ILlmProviderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrWhiteSpace(factory.Kind))
        {
            throw new ArgumentException("The factory's Kind is empty; a factory must name the provider kind it builds (e.g. \"openai\").", nameof(factory));
        }

        foreach (var descriptor in Services)
        {
            if (descriptor.ServiceType == typeof(ILlmProviderFactory) && !descriptor.IsKeyedService &&
                descriptor.ImplementationInstance is ILlmProviderFactory existing &&
                string.Equals(existing.Kind, factory.Kind, StringComparison.OrdinalIgnoreCase))
            {
                return this;
            }
        }

        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>
    /// Registers the named <see cref="System.Net.Http.HttpClient"/> of a provider registration, with an infinite
    /// <see cref="System.Net.Http.HttpClient.Timeout"/> (the library's own timeouts rule).
    /// </summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <returns>The HTTP client builder, to add handlers or a primary handler.</returns>
    public IHttpClientBuilder AddHttpClient(string providerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        var client = Services.AddHttpClient(GetHttpClientName(providerName), static client => client.Timeout = Timeout.InfiniteTimeSpan);
        if (State.MarkHttpClient(providerName))
        {
            // Once per client: the provider's rate-limit headers narrow its headroom in the router (RS3).
            client.AddHttpMessageHandler(sp => new LlmProviders.Resilience.RateLimitHeadersHandler(
                providerName, sp.GetRequiredService<LlmProviders.Resilience.TargetResilienceRegistry>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));

            // R6: IHttpClientFactory's default loggers put the raw request headers (the API key included) in the structured
            // state of their Trace-level header logs, whatever RedactLoggedHeaders says for the message text; they are removed
            // (the providers log each request themselves). Headers logged by loggers added later show credentials as "*".
            client.RemoveAllLoggers();
            client.RedactLoggedHeaders(IsCredentialHeader);
        }

        return client;
    }

    /// <summary>Whether a header can carry a credential (Authorization, api-key, x-api-key, x-goog-api-key, cookies, tokens …).</summary>
    /// <param name="name">The header name.</param>
    /// <returns><see langword="true"/> to log the header's value as <c>*</c>.</returns>
    internal static bool IsCredentialHeader(string name) =>
        name.Contains("auth", StringComparison.OrdinalIgnoreCase) || name.Contains("key", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Contains("cookie", StringComparison.OrdinalIgnoreCase) ||
        name.Contains("secret", StringComparison.OrdinalIgnoreCase) || name.Contains("signature", StringComparison.OrdinalIgnoreCase);

    /// <summary>Configures the <see cref="System.Net.Http.HttpClient"/> of a provider registration (handlers, proxy, a test handler …).</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="configure">Configures the client builder.</param>
    /// <returns>This builder.</returns>
    public LlmProvidersBuilder ConfigureHttpClient(string providerName, Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(AddHttpClient(providerName));
        return this;
    }
}

/// <summary>A provider registered with <see cref="LlmProvidersBuilder.AddProvider"/>: its name and kind.</summary>
/// <param name="Name">The registration name.</param>
/// <param name="Kind">The provider kind.</param>
public sealed record LlmProviderRegistration(string Name, string Kind);
