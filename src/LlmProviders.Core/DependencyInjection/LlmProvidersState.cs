using System;
using System.Collections.Generic;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Everything the builder knows about one service collection: the names registered (providers and chains, in order)
/// and which of them are chains. One instance per <see cref="IServiceCollection"/>, kept in the collection itself so that
/// calling <c>AddLlmProviders</c> several times shares it (and so the duplicate-name check).
/// </summary>
internal sealed class LlmProvidersState
{
    /// <summary>The name of the default route: the chain registered under it, else the implicit chain over every provider.</summary>
    public const string DefaultChainName = LlmRouter.DefaultRouteName;

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<LlmProviderRegistration> _registrations = [];
    private readonly List<string> _namesInOrder = [];
    private readonly List<string> _chains = [];
    private readonly HashSet<string> _httpClients = new(StringComparer.Ordinal);

    /// <summary>Gets every registration (providers and chains), in registration order.</summary>
    public IReadOnlyList<LlmProviderRegistration> Registrations => _registrations;

    /// <summary>Gets every registered name, in registration order.</summary>
    public IReadOnlyList<string> Names => _namesInOrder;

    /// <summary>Gets the names of the fallback chains, in registration order.</summary>
    public IReadOnlyList<string> Chains => _chains;

    /// <summary>Gets what <c>AddLlmProviders(configuration)</c> bound: binders, problems found, settings kept for the health monitor and cache.</summary>
    public LlmProviders.Configuration.LlmProvidersConfigurationState Configuration { get; } = new();

    /// <summary>Gets the providers bound from configuration (name, kind, health-check interval, caching), for the health monitor and response cache.</summary>
    public IReadOnlyList<LlmProviders.Configuration.ConfiguredProvider> ConfiguredProviders => Configuration.Providers;

    /// <summary>Finds the state of <paramref name="services"/>, or adds it with the services every registration needs.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The state.</returns>
    public static LlmProvidersState GetOrAdd(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(LlmProvidersState) && !descriptor.IsKeyedService &&
                descriptor.ImplementationInstance is LlmProvidersState existing)
            {
                return existing;
            }
        }

        var state = new LlmProvidersState();
        services.AddSingleton(state);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new CostCalculator(
            sp.GetService<IModelCatalog>() ?? ModelCatalog.Default, sp.GetService<ILogger<CostCalculator>>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        CostsLlmProvidersBuilderExtensions.AddCostServices(services, state);
        ResilienceLlmProvidersBuilderExtensions.AddResilienceServices(services);
        TelemetryLlmProvidersBuilderExtensions.AddTelemetryServices(services);
        services.TryAddSingleton(static sp => new CostAccounting(sp.GetRequiredService<CostCalculator>(), sp.GetService<IBudgetGuard>(), sp.GetService<ICostTracker>()));
        services.TryAddSingleton(RouterEnvironment.Process);
        services.TryAddSingleton(sp => new ProviderRegistry(
            sp,
            state.Registrations,
            sp.GetServices<ILlmProviderFactory>(),
            sp.GetRequiredService<RouterEnvironment>().DefaultProvider,
            sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(ProviderRegistry).FullName!) ?? NullLogger.Instance));
        services.TryAddSingleton<ILlmProviderManager>(static sp => sp.GetRequiredService<ProviderRegistry>());
        services.TryAddSingleton<LlmProviders.Health.ILlmProviderDiagnostics>(static sp => new LlmProviders.Health.LlmProviderDiagnostics(
            sp.GetRequiredService<ProviderRegistry>(), sp.GetRequiredService<IOptions<LlmProviders.Health.HealthMonitorOptions>>().Value.Timeout, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<FallbackChainOptions>, FallbackChainEnvironmentPostConfigure>());
        services.AddOptions<RouterEnvironmentCheck>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RouterEnvironmentCheck>, RouterEnvironmentValidator>());
        services.TryAddSingleton<ILlmRouter>(sp => state.CreateRouter(sp));
        services.TryAddSingleton<ILlmProvider>(static sp => sp.GetRequiredService<ILlmRouter>());
        services.TryAddSingleton<IEmbeddingProvider>(static sp => sp.GetRequiredService<ILlmRouter>());
        // Over the unkeyed ILlmProvider: the router, or the tool loop over it when AddToolInvocation is used.
        services.TryAddSingleton<Microsoft.Extensions.AI.IChatClient>(static sp => sp.GetRequiredService<ILlmProvider>().AsIChatClient(sp.GetService<TimeProvider>()));
        return state;
    }

    /// <summary>Reserves a name.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="kind">The provider kind.</param>
    /// <returns>The registration.</returns>
    /// <exception cref="InvalidOperationException">The name is taken (case-insensitive).</exception>
    public LlmProviderRegistration Add(string name, string kind)
    {
        if (!_names.Add(name))
        {
            string existing = name;
            foreach (var n in _namesInOrder)
            {
                if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
                {
                    existing = n;
                    break;
                }
            }

            throw new InvalidOperationException(
                $"A provider or chain named '{existing}' is already registered, so '{name}' cannot be added (names are unique, ignoring case). " +
                $"Give each registration its own name, e.g. '{name}-2'.");
        }

        var registration = new LlmProviderRegistration(name, kind);
        _namesInOrder.Add(name);
        _registrations.Add(registration);
        return registration;
    }

    /// <summary>Records that the registration <paramref name="name"/> is a fallback chain (with <see cref="FallbackChainOptions"/>).</summary>
    /// <param name="name">The chain's registration name.</param>
    public void MarkChain(string name) => _chains.Add(name);

    /// <summary>Records that the named provider's HttpClient was configured; <see langword="false"/> when it already was.</summary>
    public bool MarkHttpClient(string name) => _httpClients.Add(name);

    /// <summary>Determines whether <paramref name="name"/> is registered with exactly that spelling.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when a provider or chain has that name.</returns>
    public bool IsRegistered(string name)
    {
        foreach (var n in _namesInOrder)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Determines whether <paramref name="name"/> is a chain.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> for a chain.</returns>
    public bool IsChain(string name)
    {
        foreach (var n in _chains)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Creates a chain provider that resolves its targets from <paramref name="services"/>.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="name">The chain's name.</param>
    /// <param name="options">The chain's options.</param>
    /// <returns>The chain.</returns>
    internal static FallbackChainProvider CreateChain(IServiceProvider services, string name, FallbackChainOptions options)
    {
        var loggerFactory = services.GetService<ILoggerFactory>();
        var registry = services.GetRequiredService<ProviderRegistry>();
        var environment = services.GetService<RouterEnvironment>();
        return new FallbackChainProvider(
            name,
            options,
            registry.Resolve,
            services.GetService<TimeProvider>(),
            loggerFactory?.CreateLogger(typeof(FallbackChainProvider).FullName!),
            services.GetService<CostAccounting>(),
            services.GetService<LlmProviders.Resilience.TargetResilienceRegistry>(),
            environment?.RoutingStrategy is { } strategy && RoutingStrategies.TryParse(strategy, out var kind) ? kind : null,
            services.GetService<LlmProviders.Caching.ResponseCache>(),
            services.GetService<LlmProviders.Telemetry.RouterTelemetry>())
        {
            HealthRecorder = services.GetService<LlmProviders.Health.LlmHealthRecorder>(),
        };
    }

    // The unkeyed router: routes by ChatRequest.RouteName over the chains registered here; its default route is the chain named
    // "default", else a chain over every provider the registry lists (rebuilt when the registry changes).
    private LlmRouter CreateRouter(IServiceProvider services) => new(
        _chains.ToArray(),
        name => services.GetRequiredKeyedService<ILlmRouter>(name),
        services.GetRequiredService<ProviderRegistry>(),
        services.GetRequiredService<RouterEnvironment>(),
        (name, options) => CreateChain(services, name, options));
}
