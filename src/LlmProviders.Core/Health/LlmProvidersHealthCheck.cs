using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmProviders.Health;

/// <summary>
/// The ASP.NET Core health check (SPEC H2) over the health monitor's statuses: healthy when every provider is; degraded when
/// some are not but at least one is healthy; the registration's failure status (unhealthy by default) when none is healthy, or
/// as soon as one is unhealthy with <see cref="HealthMonitorOptions.UnhealthyWhenAnyProviderIsUnhealthy"/>. The data holds each
/// provider's <see cref="LlmProviderHealth"/> by name. It never calls a provider: it reads the monitor's latest results.
/// </summary>
/// <param name="monitor">The health monitor.</param>
/// <param name="options">The monitor's options.</param>
internal sealed class LlmProvidersHealthCheck(ILlmHealthMonitor monitor, HealthMonitorOptions options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = monitor.GetAll();
        var data = new Dictionary<string, object>(all.Count, StringComparer.Ordinal);
        int healthy = 0, unhealthy = 0;
        foreach (var health in all)
        {
            data[health.ProviderName] = health;
            if (health.Status == LlmHealthStatus.Healthy)
            {
                healthy++;
            }
            else if (health.Status == LlmHealthStatus.Unhealthy)
            {
                unhealthy++;
            }
        }

        var failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        string summary = string.Create(CultureInfo.InvariantCulture, $"{healthy} of {all.Count} LLM provider(s) healthy, {unhealthy} unhealthy.");
        HealthCheckResult result;
        if (all.Count == 0)
        {
            result = new HealthCheckResult(failure, "No LLM provider is registered.", data: data);
        }
        else if (healthy == all.Count)
        {
            result = HealthCheckResult.Healthy(summary, data);
        }
        else if (healthy == 0 || (unhealthy > 0 && options.UnhealthyWhenAnyProviderIsUnhealthy))
        {
            result = new HealthCheckResult(failure, summary, data: data);
        }
        else
        {
            result = HealthCheckResult.Degraded(summary, data: data);
        }

        return Task.FromResult(result);
    }
}
