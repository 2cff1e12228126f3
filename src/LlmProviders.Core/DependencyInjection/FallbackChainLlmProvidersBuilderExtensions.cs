using System;
using System.Collections.Generic;
using LlmProviders;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers fallback chains and routes (SPEC RT1, RT2): a route is a fallback chain that requests name with <see cref="ChatRequest.RouteName"/>.</summary>
public static class FallbackChainLlmProvidersBuilderExtensions
{
    /// <summary>Registers the chain named <c>default</c>. See <see cref="AddFallbackChain(LlmProvidersBuilder, string, Action{FallbackChainOptions})"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adds the targets, e.g. <c>c =&gt; c.AddTarget("openai", "gpt-4o-mini").AddTarget("backup")</c>.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddFallbackChain(this LlmProvidersBuilder builder, Action<FallbackChainOptions> configure) =>
        AddFallbackChain(builder, LlmProvidersState.DefaultChainName, configure);

    /// <summary>
    /// Registers a fallback chain: its targets are tried in order until one answers, failing over on rate limits, overloads,
    /// timeouts, outages, auth or model errors of one provider, and the like; never on caller cancellation or an invalid
    /// request. The chain is a keyed <see cref="ILlmProvider"/> and <see cref="ILlmRouter"/> named <paramref name="name"/>
    /// (so chains can be targets of other chains). The chain named <c>default</c> — else the first chain added — is also the
    /// unkeyed <see cref="ILlmRouter"/> and <see cref="ILlmProvider"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The chain's name, unique among providers and chains.</param>
    /// <param name="configure">Adds the targets, by provider (or chain) name with an optional model.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Validated at start: a chain needs a target, and every target must name a registered provider or chain, without cycles.</remarks>
    /// <exception cref="InvalidOperationException">The name is already registered.</exception>
    public static LlmProvidersBuilder AddFallbackChain(this LlmProvidersBuilder builder, string name, Action<FallbackChainOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddProvider(name, LlmProviderKinds.Router, static (sp, chainName) => LlmProvidersState.CreateChain(
            sp,
            chainName,
            sp.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>().Get(chainName)));
        builder.State.MarkChain(name);
        builder.Services.AddKeyedSingleton<ILlmRouter>(name, static (sp, key) => (ILlmRouter)sp.GetRequiredKeyedService<ILlmProvider>(key));
        builder.Services.AddOptionsWithValidateOnStart<FallbackChainOptions>(name).Configure(configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FallbackChainOptions>, FallbackChainOptionsValidator>());
        return builder;
    }

    /// <summary>
    /// Registers a named route (SPEC RT2, seed 001's <c>strategies:</c>): a request whose <see cref="ChatRequest.RouteName"/> is
    /// <paramref name="name"/> goes to it; <c>default</c> is the route of requests without a name. A route is a fallback chain:
    /// this is <see cref="AddFallbackChain(LlmProvidersBuilder, string, Action{FallbackChainOptions})"/> under that name.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The route's name (e.g. <c>default</c>, <c>code_generation</c>, <c>local_development</c>, <c>cost_optimized</c>), unique among providers and chains.</param>
    /// <param name="configure">Adds the targets and sets the strategy, filters and failover.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">The name is already registered.</exception>
    public static LlmProvidersBuilder AddRoute(this LlmProvidersBuilder builder, string name, Action<FallbackChainOptions> configure) =>
        AddFallbackChain(builder, name, configure);

    /// <summary>
    /// Registers a named route as a primary target and its fallbacks, in order, each <c>"provider"</c> or <c>"provider/model"</c>
    /// (the provider's registration name; the model may contain <c>/</c>, as in <c>"together/meta-llama/Llama-3.3-70B-Instruct-Turbo"</c>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The route's name, unique among providers and chains.</param>
    /// <param name="primary">The first target, e.g. <c>"openai/gpt-5"</c>.</param>
    /// <param name="fallbacks">The targets tried next, in order, e.g. <c>"anthropic/claude-sonnet-4-5", "ollama"</c>.</param>
    /// <returns>The builder.</returns>
    /// <example><c>builder.AddRoute("code_generation", "anthropic/claude-sonnet-4-5", "openai/gpt-5", "ollama/codellama")</c></example>
    /// <exception cref="ArgumentException">A target is blank, or has an empty provider or model around its <c>/</c>.</exception>
    /// <exception cref="InvalidOperationException">The name is already registered.</exception>
    public static LlmProvidersBuilder AddRoute(this LlmProvidersBuilder builder, string name, string primary, params string[] fallbacks)
    {
        ArgumentNullException.ThrowIfNull(fallbacks);
        var targets = new List<(string Provider, string? Model)>(fallbacks.Length + 1) { ParseTarget(name, primary, nameof(primary)) };
        foreach (var fallback in fallbacks)
        {
            targets.Add(ParseTarget(name, fallback, nameof(fallbacks)));
        }

        return AddFallbackChain(builder, name, c =>
        {
            foreach (var (provider, model) in targets)
            {
                c.AddTarget(provider, model);
            }
        });
    }

    /// <summary>
    /// Registers a predefined chain (<see cref="PredefinedChains"/>): current catalog models on the providers' default registration
    /// names; targets whose provider is not registered are skipped at call time (<see cref="CandidateSkipReason.NotRegistered"/>).
    /// It is a route like any chain: set <see cref="ChatRequest.RouteName"/> to its name.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="predefined">One of the <see cref="PredefinedChains"/> constants, e.g. <see cref="PredefinedChains.CostOptimized"/>.</param>
    /// <param name="name">The chain's name; <see langword="null"/> for the predefined name (e.g. <c>cost_optimized</c>). Pass <c>default</c> to make it the default route.</param>
    /// <param name="configure">Changes the predefined options (runs after them), e.g. <c>c =&gt; c.Timeout = TimeSpan.FromSeconds(30)</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="predefined"/> is no predefined chain.</exception>
    /// <exception cref="InvalidOperationException">The name is already registered.</exception>
    public static LlmProvidersBuilder AddPredefinedChain(this LlmProvidersBuilder builder, string predefined, string? name = null, Action<FallbackChainOptions>? configure = null)
    {
        var canonical = PredefinedChains.Canonical(predefined);
        return AddFallbackChain(builder, name ?? canonical, c =>
        {
            PredefinedChains.Configure(canonical, c);
            configure?.Invoke(c);
        });
    }

    /// <summary>Registers the five predefined chains under their names (<see cref="PredefinedChains.Names"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">One of the names is already registered.</exception>
    public static LlmProvidersBuilder AddPredefinedChains(this LlmProvidersBuilder builder)
    {
        foreach (var predefined in PredefinedChains.Names)
        {
            AddPredefinedChain(builder, predefined);
        }

        return builder;
    }

    private static (string Provider, string? Model) ParseTarget(string route, string target, string parameter)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new ArgumentException($"Route '{route}': a target is blank; write \"provider\" or \"provider/model\", e.g. \"openai/gpt-5\".", parameter);
        }

        target = target.Trim();
        int slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (target, null);
        }

        string provider = target[..slash].Trim();
        string model = target[(slash + 1)..].Trim();
        if (provider.Length == 0 || model.Length == 0)
        {
            throw new ArgumentException(
                $"Route '{route}': target '{target}' has an empty {(provider.Length == 0 ? "provider" : "model")}; write \"provider\" or \"provider/model\", e.g. \"openai/gpt-5\".", parameter);
        }

        return (provider, model);
    }
}
