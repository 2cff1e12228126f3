using System;
using System.Collections.Concurrent;

namespace LlmProviders.Resilience;

/// <summary>
/// Hands out the rate-limit quota of each target: shared by name when registrations name the same
/// <see cref="TargetRateLimitOptions.QuotaGroup"/> (one upstream key), else one per provider. Owns the quotas' timers.
/// </summary>
internal sealed class RateLimitQuotaRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, TargetRateLimitQuota> _quotas = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="time">The clock of every quota's timers.</param>
    public RateLimitQuotaRegistry(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Gets how many quotas exist.</summary>
    public int Count => _quotas.Count;

    /// <summary>Gets the quota of a target: its group's when it names one (the group's first registration sets the limits), else its own.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="options">The target's rate-limit options.</param>
    /// <returns>The quota.</returns>
    public TargetRateLimitQuota GetOrCreate(string providerName, TargetRateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        ArgumentNullException.ThrowIfNull(options);
        string key = string.IsNullOrEmpty(options.QuotaGroup) ? "provider:" + providerName : "group:" + options.QuotaGroup;
        if (_quotas.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var created = new TargetRateLimitQuota(options.QuotaGroup ?? providerName, options, _time);
        var winner = _quotas.GetOrAdd(key, created);
        if (!ReferenceEquals(winner, created))
        {
            created.Dispose();
        }

        return winner;
    }

    /// <summary>Forgets a provider's own quota (when it is removed at run time); group quotas stay.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    public void Remove(string providerName)
    {
        if (_quotas.TryRemove("provider:" + providerName, out var quota))
        {
            quota.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var pair in _quotas)
        {
            pair.Value.Dispose();
        }

        _quotas.Clear();
    }
}
