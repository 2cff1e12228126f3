using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Routing;

/// <summary>
/// The application's router (SPEC RT2, RT8): the unkeyed <see cref="ILlmRouter"/>, <see cref="ILlmProvider"/> and
/// <see cref="IEmbeddingProvider"/>. Each call goes to one route, chosen by <see cref="ChatRequest.RouteName"/>: <see langword="null"/>
/// (or <c>default</c>) is the default route; another name is the chain (route) registered under it; an unknown name is an
/// <see cref="InvalidChatRequestException"/> (never transient, never a failover) listing the routes there are.
/// </summary>
/// <remarks>
/// <para>The default route is the chain named <c>default</c> when one is registered. Otherwise it is a chain built over every
/// provider the <see cref="ProviderRegistry"/> lists that is not itself a router — the registry's default provider first, then
/// listing order (configured providers, then those added at run time) — with the environment's knobs (<c>LLM_ENABLE_FALLBACK</c>,
/// <c>LLM_ROUTING_STRATEGY</c>, <c>LLM_PREFER_LOCAL</c>, <c>LLM_MAX_LATENCY_MS</c>). That chain is rebuilt only when the registry's
/// <see cref="ProviderRegistry.Version"/> changes (a provider added or removed, the default changed) and swapped in atomically;
/// a call in flight finishes on the chain it started with.</para>
/// <para>Hot path: a frozen-dictionary lookup (named route) or a version comparison (default route); no lock, no LINQ, no
/// allocation beyond the chain's own.</para>
/// </remarks>
internal sealed class LlmRouter : ILlmRouter
{
    /// <summary>The router's name, and the name of the default route.</summary>
    public const string DefaultRouteName = "default";

    private readonly FrozenDictionary<string, int> _routeIndex;
    private readonly string[] _routeNames;
    private readonly ILlmRouter?[] _routes;
    private readonly Func<string, ILlmRouter> _resolveRoute;
    private readonly int _defaultChain;
    private readonly ProviderRegistry _registry;
    private readonly Func<string, FallbackChainOptions, ILlmRouter> _createChain;
    private readonly bool _enableFallback;
    private readonly RoutingStrategyKind? _strategy;
    private readonly bool _preferLocal;
    private readonly TimeSpan? _maxLatency;
    private DynamicRoute? _dynamic;

    /// <summary>Initializes the router.</summary>
    /// <param name="routeNames">The names of the registered chains (each a route), in registration order.</param>
    /// <param name="resolveRoute">Returns the chain registered under a name (the keyed <see cref="ILlmRouter"/>); called once per route, on first use.</param>
    /// <param name="registry">The providers, for the dynamic default route.</param>
    /// <param name="environment">The environment knobs of the dynamic default route; checked here.</param>
    /// <param name="createChain">Builds a chain from a name and options (the dynamic default route).</param>
    /// <exception cref="InvalidOperationException">A knob of <paramref name="environment"/> is invalid; the message names it and the accepted values.</exception>
    public LlmRouter(
        IReadOnlyList<string> routeNames, Func<string, ILlmRouter> resolveRoute, ProviderRegistry registry, RouterEnvironment environment,
        Func<string, FallbackChainOptions, ILlmRouter> createChain)
    {
        ArgumentNullException.ThrowIfNull(routeNames);
        ArgumentNullException.ThrowIfNull(resolveRoute);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(createChain);
        environment.ThrowIfInvalid();
        _enableFallback = environment.EnableFallback ?? true;
        _strategy = environment.Strategy;
        _preferLocal = environment.PreferLocal ?? false;
        _maxLatency = environment.MaxLatency;

        _routeNames = new string[routeNames.Count];
        _routes = new ILlmRouter?[_routeNames.Length];
        var index = new Dictionary<string, int>(_routeNames.Length, StringComparer.Ordinal);
        _defaultChain = -1;
        for (int i = 0; i < _routeNames.Length; i++)
        {
            _routeNames[i] = routeNames[i];
            index.Add(routeNames[i], i);
            if (string.Equals(routeNames[i], DefaultRouteName, StringComparison.Ordinal))
            {
                _defaultChain = i;
            }
        }

        _routeIndex = index.ToFrozenDictionary(StringComparer.Ordinal);
        _resolveRoute = resolveRoute;
        _registry = registry;
        _createChain = createChain;
    }

    /// <summary>Gets <c>default</c>.</summary>
    public string Name => DefaultRouteName;

    /// <inheritdoc />
    public string Kind => LlmProviderKinds.Router;

    /// <summary>Gets the capabilities of the default route (the union of its targets').</summary>
    public LlmCapabilities Capabilities => DefaultRoute().Capabilities;

    /// <summary>Gets a value indicating whether every target of the default route is local.</summary>
    public bool IsLocal => DefaultRoute().IsLocal;

    /// <summary>Gets the names of the routes: <c>default</c> first, then every registered chain, in registration order.</summary>
    public IReadOnlyList<string> RouteNames
    {
        get
        {
            var names = new List<string>(_routeNames.Length + 1) { DefaultRouteName };
            foreach (var name in _routeNames)
            {
                if (!string.Equals(name, DefaultRouteName, StringComparison.Ordinal))
                {
                    names.Add(name);
                }
            }

            return names;
        }
    }

    /// <summary>Gets the targets of a route.</summary>
    /// <param name="routeName">The route; <see langword="null"/> (or <c>default</c>) for the default route.</param>
    /// <returns>A snapshot of the route's targets, in configured order.</returns>
    /// <exception cref="KeyNotFoundException">No route has that name; the message lists the routes.</exception>
    public IReadOnlyList<ChainTarget> GetTargets(string? routeName = null) =>
        TryGetRoute(routeName, out var route) ? route.GetTargets() : throw new KeyNotFoundException(DescribeUnknown(routeName!));

    /// <inheritdoc />
    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryGetRoute(request.RouteName, out var route)
            ? route.ChatAsync(request, cancellationToken)
            : Task.FromException<ChatResult>(UnknownRoute(request.RouteName!, request.Model));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryGetRoute(request.RouteName, out var route)
            ? route.StreamAsync(request, cancellationToken)
            : FailedStream(UnknownRoute(request.RouteName!, request.Model));
    }

    /// <summary>Embeds through the route <see cref="EmbeddingRequest.RouteName"/> names (the default route when none).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The embeddings.</returns>
    public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return EmbedAsync(request.RouteName, request, cancellationToken);
    }

    /// <summary>Embeds through the route named <paramref name="routeName"/>.</summary>
    /// <param name="routeName">The route; <see langword="null"/> (or <c>default</c>) for the default route.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The embeddings.</returns>
    /// <exception cref="InvalidChatRequestException">No route has that name (in the returned task).</exception>
    public Task<EmbeddingResult> EmbedAsync(string? routeName, EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryGetRoute(routeName, out var route)
            ? route.EmbedAsync(request, cancellationToken)
            : Task.FromException<EmbeddingResult>(UnknownRoute(routeName!, request.Model));
    }

    /// <summary>Lists the models of the default route.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models.</returns>
    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        DefaultRoute().ListModelsAsync(cancellationToken);

    /// <summary>Checks the health of the default route.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The outcome.</returns>
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        DefaultRoute().CheckHealthAsync(cancellationToken);

    /// <summary>Finds a route: <see langword="null"/> or <c>default</c> → the default route; a registered chain's name → that chain.</summary>
    /// <param name="routeName">The route name (exact spelling).</param>
    /// <param name="route">The route, when found.</param>
    /// <returns><see langword="true"/> when the route exists.</returns>
    internal bool TryGetRoute(string? routeName, out ILlmRouter route)
    {
        if (routeName is null)
        {
            route = DefaultRoute();
            return true;
        }

        if (_routeIndex.TryGetValue(routeName, out int i))
        {
            route = Volatile.Read(ref _routes[i]) ?? ResolveRoute(i);
            return true;
        }

        if (string.Equals(routeName, DefaultRouteName, StringComparison.Ordinal))
        {
            route = DefaultRoute();
            return true;
        }

        route = null!;
        return false;
    }

    /// <summary>Gets the default route: the chain named <c>default</c>, else the dynamic route for the registry's current version.</summary>
    /// <returns>The route.</returns>
    internal ILlmRouter DefaultRoute()
    {
        if (_defaultChain >= 0)
        {
            return Volatile.Read(ref _routes[_defaultChain]) ?? ResolveRoute(_defaultChain);
        }

        var current = Volatile.Read(ref _dynamic);
        return current is not null && current.Version == _registry.Version ? current.Chain : Rebuild(current);
    }

    private ILlmRouter ResolveRoute(int i)
    {
        var route = _resolveRoute(_routeNames[i]);
        Volatile.Write(ref _routes[i], route);
        return route;
    }

    // Rare (start, and after each registry change): lists the providers and builds the chain over them.
    private ILlmRouter Rebuild(DynamicRoute? seen)
    {
        // The version is read before the listing, so a change made meanwhile makes the next call rebuild again.
        long version = _registry.Version;
        string? preferred = _registry.DefaultProvider;
        var providers = _registry.ListProviders();
        var options = new FallbackChainOptions
        {
            EnableFallback = _enableFallback,
            Strategy = _strategy,
            PreferLocal = _preferLocal,
            MaxLatency = _maxLatency,
        };

        if (preferred is not null)
        {
            foreach (var status in providers)
            {
                if (string.Equals(status.Name, preferred, StringComparison.Ordinal))
                {
                    options.AddTarget(status.Name);
                    break;
                }
            }
        }

        foreach (var status in providers)
        {
            if (!status.IsRouter && !string.Equals(status.Name, preferred, StringComparison.Ordinal))
            {
                options.AddTarget(status.Name);
            }
        }

        var next = new DynamicRoute(version, _createChain(DefaultRouteName, options));
        var installed = Interlocked.CompareExchange(ref _dynamic, next, seen);
        return ReferenceEquals(installed, seen) || installed is null || installed.Version != version ? next.Chain : installed.Chain;
    }

    private InvalidChatRequestException UnknownRoute(string routeName, string? model) =>
        new(DescribeUnknown(routeName)) { ProviderName = DefaultRouteName, Model = model };

    private string DescribeUnknown(string routeName)
    {
        var routes = RouteNames;
        string? differentCase = null;
        foreach (var name in routes)
        {
            if (string.Equals(name, routeName, StringComparison.OrdinalIgnoreCase))
            {
                differentCase = name;
            }
        }

        var message = new StringBuilder()
            .Append("No route named '").Append(routeName).Append("' is registered (ChatRequest.RouteName). ");
        if (differentCase is not null)
        {
            message.Append("Did you mean '").Append(differentCase).Append("'? Route names match exactly. ");
        }
        else if (_registry.GetProvider(routeName) is not null)
        {
            message.Append('\'').Append(routeName).Append("' is a provider, not a route: to send the request to it, set ChatRequest.PinnedProvider. ");
        }

        return message.Append("Routes: ").AppendJoin(", ", routes)
            .Append(". Set RouteName to one of them (or null for the default route), or register the route with builder.AddRoute(\"")
            .Append(routeName).Append("\", ...).").ToString();
    }

    private static async IAsyncEnumerable<ChatStreamUpdate> FailedStream(LlmProviderException error)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        if (error is not null)
        {
            throw error;
        }

        yield break;
    }

    private sealed class DynamicRoute(long version, ILlmRouter chain)
    {
        public long Version { get; } = version;

        public ILlmRouter Chain { get; } = chain;
    }
}
