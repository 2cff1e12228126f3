using System;
using System.Collections.Generic;
using LlmProviders.Health;
using LlmProviders.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Tests.Health;

/// <summary>A service provider with test providers, the health monitor and a manual clock.</summary>
internal sealed class HealthTestKit : IDisposable
{
    public HealthTestKit(Action<HealthMonitorOptions>? configure = null, Action<LlmProvidersBuilder>? more = null, params string[] names)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddLlmProviders(builder =>
        {
            foreach (var name in names.Length == 0 ? ["alpha"] : names)
            {
                var provider = new HealthTestProvider(name, Time);
                Providers[name] = provider;
                builder.AddProvider(name, provider.Kind, (_, _) => provider);
            }

            builder.AddHealthMonitoring(configure);
            more?.Invoke(builder);
        });
        Services = services.BuildServiceProvider();
    }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    public Dictionary<string, HealthTestProvider> Providers { get; } = new(StringComparer.Ordinal);

    public ServiceProvider Services { get; }

    public ILlmHealthMonitor Monitor => Services.GetRequiredService<ILlmHealthMonitor>();

    /// <summary>Gets the latest background round, to await after advancing the clock.</summary>
    public System.Threading.Tasks.Task LastRound => ((LlmHealthMonitor)Monitor).LastRound;

    public HealthTestProvider this[string name] => Providers[name];

    public void Dispose() => Services.Dispose();
}
