using System;
using LlmProviders.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the resilience of each provider as the routers use it (SPEC RS1–RS5): retries, circuit breaker, rate limits,
/// timeouts and a concurrency limit. Every provider gets the defaults without any call here.
/// </summary>
public static class ResilienceLlmProvidersBuilderExtensions
{
    /// <summary>Configures the resilience of one provider registration.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="configure">Changes its options.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder ConfigureResilience(this LlmProvidersBuilder builder, string providerName, Action<TargetResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TargetResilienceOptions>(providerName).Configure(configure).ValidateOnStart();
        return builder;
    }

    /// <summary>Configures the resilience of every provider (applied before the per-provider configuration).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options of every provider.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder ConfigureResilience(this LlmProvidersBuilder builder, Action<TargetResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.ConfigureAll(configure);
        return builder;
    }

    /// <summary>Registers the resilience services once (called by <c>AddLlmProviders</c>).</summary>
    /// <param name="services">The services.</param>
    internal static void AddResilienceServices(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TargetResilienceOptions>>(TargetResilienceOptionsValidator.Instance));
        services.TryAddSingleton(static sp =>
        {
            var monitor = sp.GetRequiredService<IOptionsMonitor<TargetResilienceOptions>>();
            return new TargetResilienceRegistry(monitor.Get, sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetService<Logging.ILoggerFactory>());
        });
    }
}
