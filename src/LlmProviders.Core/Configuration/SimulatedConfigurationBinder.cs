using System;
using System.Collections.Generic;
using LlmProviders.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Configuration;

/// <summary>Binds <c>"Type": "simulated"</c> providers into <see cref="SimulatedProviderOptions"/> (Core's own provider; no key).</summary>
internal sealed class SimulatedConfigurationBinder : ILlmProviderConfigurationBinder
{
    public static readonly SimulatedConfigurationBinder Instance = new();

    /// <inheritdoc />
    public bool IsApiKeyRequired(string type) => false;

    /// <inheritdoc />
    public IReadOnlyList<string> GetApiKeyVariables(string type) => [];

    /// <inheritdoc />
    public void AddProvider(LlmProviderConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section;
        context.Builder.AddSimulated(context.Name, o => section.Bind(o));
        context.WatchOptions<SimulatedProviderOptions>();
    }
}
