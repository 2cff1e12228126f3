using System;
using LlmProviders;
using LlmProviders.Simulation;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="SimulatedProvider"/> instances.</summary>
public static class SimulatedLlmProvidersBuilderExtensions
{
    /// <summary>
    /// Registers a simulated provider under <paramref name="name"/>: scripted latency, failures and stream cuts, a fixed or
    /// echoed answer, usage and cost, deterministic with a seed. Its options (named <paramref name="name"/>) are validated
    /// at start.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name, unique among providers and chains.</param>
    /// <param name="configure">Configures the provider, e.g. <c>o =&gt; { o.Seed = 42; o.FailureRate = 0.4; }</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">The name is already registered.</exception>
    public static LlmProvidersBuilder AddSimulated(this LlmProvidersBuilder builder, string name = "simulated", Action<SimulatedProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddProvider<SimulatedProviderOptions>(name, LlmProviderKinds.Simulated, static (sp, providerName) => new SimulatedProvider(
            sp.GetRequiredService<IOptionsMonitor<SimulatedProviderOptions>>().Get(providerName),
            providerName,
            sp.GetService<TimeProvider>()));
        var options = builder.Services.AddOptionsWithValidateOnStart<SimulatedProviderOptions, SimulatedProviderOptionsValidator>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }
}
