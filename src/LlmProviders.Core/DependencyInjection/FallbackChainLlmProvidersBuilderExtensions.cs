using System;
using LlmProviders;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers fallback chains (SPEC RT1).</summary>
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
}
