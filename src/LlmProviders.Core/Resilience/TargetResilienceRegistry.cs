using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Resilience;

/// <summary>
/// The resilience of every provider registration, one <see cref="TargetResilience"/> per name, shared by every route that uses
/// the provider (its circuit, rate limits and concurrency are the provider's, not a route's). Created on first use.
/// </summary>
internal sealed class TargetResilienceRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, TargetResilience> _targets = new(StringComparer.Ordinal);
    private readonly Func<string, TargetResilienceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggers;
    private readonly RateLimitQuotaRegistry _quotas;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">The options of a provider registration name.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggers">Creates the loggers.</param>
    public TargetResilienceRegistry(Func<string, TargetResilienceOptions> options, TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _loggers = loggers;
        _quotas = new RateLimitQuotaRegistry(time);
    }

    /// <summary>Gets the resilience of a provider, creating it on first use.</summary>
    /// <param name="provider">The provider (its name and whether it is local choose the options and the default timeouts).</param>
    /// <returns>The provider's resilience.</returns>
    public TargetResilience Get(ILlmProvider provider)
    {
        if (_targets.TryGetValue(provider.Name, out var existing))
        {
            return existing;
        }

        return _targets.GetOrAdd(provider.Name, static (name, state) => new TargetResilience(
            name,
            state.Provider.IsLocal,
            state.Self._options(name),
            state.Self._time,
            state.Self._loggers?.CreateLogger(typeof(TargetResilience).FullName!) ?? NullLogger.Instance,
            state.Self._quotas), (Self: this, Provider: provider));
    }

    /// <summary>Finds the resilience of a provider name, if it was used.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The resilience, or <see langword="null"/>.</returns>
    public TargetResilience? Find(string name) => _targets.GetValueOrDefault(name);

    /// <summary>Gets the resilience of every provider used so far (a snapshot; for the telemetry's observable instruments).</summary>
    public ICollection<TargetResilience> All => _targets.Values;

    /// <inheritdoc />
    public void Dispose() => _quotas.Dispose();
}
