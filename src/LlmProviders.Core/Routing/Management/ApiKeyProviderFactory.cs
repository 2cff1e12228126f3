using System;
using System.Net.Http;
using System.Threading;
using LlmProviders.Costs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Routing;

/// <summary>
/// The base of the satellites' <see cref="ILlmProviderFactory"/> implementations: checks the name and key, and gathers what a
/// provider needs from the services (the named <see cref="HttpClient"/>, the clock, the cost calculator, loggers).
/// </summary>
public abstract class ApiKeyProviderFactory : ILlmProviderFactory
{
    private readonly string _serviceName;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="kind">The provider kind the factory builds.</param>
    /// <param name="serviceName">The service's name, for messages (e.g. <c>OpenAI</c>).</param>
    protected ApiKeyProviderFactory(string kind, string serviceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        Kind = kind;
        _serviceName = serviceName;
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    /// <remarks>
    /// The <see cref="HttpClient"/> comes from <see cref="IHttpClientFactory"/> when registered (the client named
    /// <c>LlmProvidersBuilder.GetHttpClientName(name)</c>, with an infinite timeout: the provider's own timeouts rule), else the
    /// provider's shared client; the <see cref="TimeProvider"/>, the <see cref="CostCalculator"/> and the loggers come from
    /// <paramref name="services"/> when registered.
    /// </remarks>
    /// <exception cref="ArgumentException">The name or the key is empty, or the options are invalid (the message names the option, never the key).</exception>
    public ILlmProvider Create(string name, string apiKey, IServiceProvider services)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(services);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException($"The API key is empty; pass the {_serviceName} key.", nameof(apiKey));
        }

        var http = services.GetService<IHttpClientFactory>()?.CreateClient(LlmProvidersBuilder.GetHttpClientName(name));
        if (http is not null)
        {
            http.Timeout = Timeout.InfiniteTimeSpan;
        }

        return Create(new ProviderFactoryContext(name, apiKey, http, services));
    }

    /// <summary>Builds the provider.</summary>
    /// <param name="context">The name, key and services.</param>
    /// <returns>The provider.</returns>
    protected abstract ILlmProvider Create(ProviderFactoryContext context);
}

/// <summary>What an <see cref="ApiKeyProviderFactory"/> builds a provider from.</summary>
public sealed class ProviderFactoryContext
{
    internal ProviderFactoryContext(string name, string apiKey, HttpClient? httpClient, IServiceProvider services)
    {
        Name = name;
        ApiKey = apiKey;
        HttpClient = httpClient;
        Services = services;
        TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        CostCalculator = services.GetService<CostCalculator>();
    }

    /// <summary>Gets the registration name.</summary>
    public string Name { get; }

    /// <summary>Gets the API key (never logged, never in a message).</summary>
    public string ApiKey { get; }

    /// <summary>Gets the named <see cref="System.Net.Http.HttpClient"/>, or <see langword="null"/> for the provider's shared one.</summary>
    public HttpClient? HttpClient { get; }

    /// <summary>Gets the services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the cost calculator, or <see langword="null"/> for the built-in catalog's.</summary>
    public CostCalculator? CostCalculator { get; }

    /// <summary>Creates the logger of a provider type.</summary>
    /// <param name="providerType">The provider's type (its full name is the category).</param>
    /// <returns>The logger, or <see langword="null"/> without logging.</returns>
    public ILogger? CreateLogger(Type providerType)
    {
        ArgumentNullException.ThrowIfNull(providerType);
        return Services.GetService<ILoggerFactory>()?.CreateLogger(providerType.FullName!);
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(ProviderFactoryContext)} for '{Name}'";
}
