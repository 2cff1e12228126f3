using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace LlmProviders.Configuration;

/// <summary>A provider bound from configuration, with the settings other features read (the health monitor, the response cache).</summary>
/// <param name="Name">The registration name.</param>
/// <param name="Kind">The provider kind (<see cref="LlmProviderKinds"/>).</param>
/// <param name="HealthCheckInterval">The provider's <c>HealthCheckInterval</c> (seed 002 <c>health_check_interval</c>, seconds or a duration), else the top-level one, else <see langword="null"/>.</param>
/// <param name="EnableCaching">The provider's <c>EnableCaching</c> (seed 002 <c>enable_caching</c>), else <see langword="null"/>.</param>
/// <param name="Priority">The provider's <c>Priority</c> (lower first; 0 when unset).</param>
/// <param name="Models">The provider's <c>Models</c>.</param>
internal sealed record ConfiguredProvider(string Name, string Kind, TimeSpan? HealthCheckInterval, bool? EnableCaching, int Priority, IReadOnlyList<string> Models);

/// <summary>What configuration binding keeps in <c>LlmProvidersState</c>.</summary>
internal sealed class LlmProvidersConfigurationState
{
    private bool _discovered;

    /// <summary>Gets the binders by canonical type key (<see cref="ConfigurationKeys.Canonical"/>): the declared type and the binder.</summary>
    public Dictionary<string, (string Type, ILlmProviderConfigurationBinder Binder)> Binders { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the providers bound, in registration order.</summary>
    public List<ConfiguredProvider> Providers { get; } = [];

    /// <summary>Gets the problems found while binding; reported together at start.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Gets the references to check at start, when code registrations are done: (configuration path, name referenced).</summary>
    public List<(string Path, string Name)> References { get; } = [];

    /// <summary>Gets the optional providers skipped for lack of a key: (configuration path, type, variables that would supply it).</summary>
    public List<(string Path, string Type, string Variables)> Skipped { get; } = [];

    /// <summary>Gets the routes left out because every target was a skipped optional provider.</summary>
    public List<string> SkippedRoutes { get; } = [];

    /// <summary>Gets or sets the top-level <c>HealthCheckInterval</c> (seed 002 <c>health_check_interval</c>).</summary>
    public TimeSpan? HealthCheckInterval { get; set; }

    /// <summary>Gets or sets the top-level <c>Health</c> section, for the health monitor.</summary>
    public IConfigurationSection? Health { get; set; }

    /// <summary>Gets or sets the top-level <c>Cache</c> section, for the response cache.</summary>
    public IConfigurationSection? Cache { get; set; }

    /// <summary>Gets or sets the root section bound last.</summary>
    public IConfiguration? Root { get; set; }

    /// <summary>Adds a binder for <paramref name="types"/>; a type already bound keeps its first binder unless <paramref name="replace"/>.</summary>
    public void AddBinder(ILlmProviderConfigurationBinder binder, IEnumerable<string> types, bool replace)
    {
        foreach (var type in types)
        {
            if (string.IsNullOrWhiteSpace(type))
            {
                continue;
            }

            var key = ConfigurationKeys.Canonical(type);
            if (replace || !Binders.ContainsKey(key))
            {
                Binders[key] = (type, binder);
            }
        }
    }

    /// <summary>Adds the built-in binder and the binders declared by the loaded <c>LlmProviders.*</c> assemblies, once.</summary>
    public void EnsureDiscovered()
    {
        if (_discovered)
        {
            return;
        }

        _discovered = true;
        AddBinder(SimulatedConfigurationBinder.Instance, [LlmProviderKinds.Simulated], replace: false);
        ConfigurationBinderDiscovery.Discover(this);
    }

    /// <summary>Gets the known types, for messages.</summary>
    public string KnownTypes()
    {
        var types = new List<string>(Binders.Count);
        foreach (var entry in Binders.Values)
        {
            types.Add(entry.Type);
        }

        types.Sort(StringComparer.Ordinal);
        return string.Join(", ", types);
    }
}
