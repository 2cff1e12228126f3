using System;
using System.Collections.Generic;
using LlmProviders.Health;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the health monitor (SPEC H1), its ASP.NET Core health check (H2) and the provider diagnostics (H5).
/// </summary>
public static class HealthLlmProvidersBuilderExtensions
{
    /// <summary>
    /// Adds the health monitor: <see cref="ILlmHealthMonitor"/>, fed by background checks of every provider (started with the
    /// host, or by hand with <see cref="ILlmHealthMonitor.StartAsync"/>) and by the routers' real traffic. Calling it again
    /// only adds the configuration.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options; bind a configuration section with <c>services.Configure&lt;HealthMonitorOptions&gt;(section)</c>.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddHealthMonitoring(this LlmProvidersBuilder builder, Action<HealthMonitorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddHealthServices(builder.Services);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Adds a health check reporting the LLM providers' health from the health monitor (added too when missing): healthy when
    /// every provider is, degraded when some are, <paramref name="failureStatus"/> when none is.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The health check's name.</param>
    /// <param name="failureStatus">The status when no provider is healthy; <see langword="null"/> for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter health checks with.</param>
    /// <returns>The health checks builder.</returns>
    public static IHealthChecksBuilder AddLlmProviders(this IHealthChecksBuilder builder, string name = "llm-providers", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        AddHealthServices(builder.Services);
        return builder.Add(new HealthCheckRegistration(
            name,
            static sp => new LlmProvidersHealthCheck(sp.GetRequiredService<ILlmHealthMonitor>(), sp.GetRequiredService<IOptions<HealthMonitorOptions>>().Value),
            failureStatus,
            tags));
    }

    /// <summary>Registers the health services once.</summary>
    /// <param name="services">The services.</param>
    internal static void AddHealthServices(IServiceCollection services)
    {
        LlmProvidersState.GetOrAdd(services);
        services.AddOptions<HealthMonitorOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthMonitorOptions>>(HealthMonitorOptionsValidator.Instance));
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<HealthMonitorOptions>>().Value;
            return new LlmHealthRecorder(sp.GetService<TimeProvider>() ?? TimeProvider.System, options.TrafficWindowSize, options.HistorySize);
        });
        services.TryAddSingleton<ILlmHealthMonitor>(static sp => new LlmHealthMonitor(
            sp.GetRequiredService<ProviderRegistry>(),
            sp.GetRequiredService<LlmHealthRecorder>(),
            sp.GetRequiredService<IOptions<HealthMonitorOptions>>().Value,
            sp.GetService<TargetResilienceRegistry>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(ILlmHealthMonitor).FullName!)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HealthMonitorHostedService>());
    }
}
