using System;
using System.Diagnostics.Metrics;
using LlmProviders.Costs;
using LlmProviders.Resilience;
using LlmProviders.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the router's telemetry (SPEC H3): metrics on the meter <see cref="LlmProvidersTelemetry.MeterName"/> and spans on
/// the source <see cref="LlmProvidersTelemetry.ActivitySourceName"/>. Telemetry is always registered and costs nothing until a
/// listener (e.g. OpenTelemetry) subscribes; this call only changes what it records.
/// </summary>
public static class TelemetryLlmProvidersBuilderExtensions
{
    /// <summary>Configures what the telemetry records (e.g. <see cref="LlmTelemetryOptions.EnableSensitiveData"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder ConfigureTelemetry(this LlmProvidersBuilder builder, Action<LlmTelemetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the telemetry once (called by <c>AddLlmProviders</c>).</summary>
    /// <param name="services">The services.</param>
    internal static void AddTelemetryServices(IServiceCollection services)
    {
        services.AddOptions<LlmTelemetryOptions>();
        services.TryAddSingleton(static sp => new RouterTelemetry(
            sp.GetService<IOptions<LlmTelemetryOptions>>()?.Value,
            sp.GetService<IMeterFactory>(),
            sp.GetService<TargetResilienceRegistry>(),
            sp.GetService<IBudgetGuard>() as BudgetManager));
    }
}
