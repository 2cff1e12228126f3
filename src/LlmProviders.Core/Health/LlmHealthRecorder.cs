using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace LlmProviders.Health;

/// <summary>
/// Passive health from real traffic: the routers report each attempt's outcome here (success or failure, error kind, latency);
/// the health monitor reads it and adds its checks. Lock-free; one dictionary lookup and a few interlocked writes per attempt.
/// </summary>
internal sealed class LlmHealthRecorder
{
    private readonly ConcurrentDictionary<string, ProviderHealthState> _states = new(StringComparer.Ordinal);
    private readonly Func<string, ProviderHealthState> _create;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="windowSize">The number of recent calls kept per provider.</param>
    /// <param name="historySize">The number of check results kept per provider.</param>
    public LlmHealthRecorder(TimeProvider time, int windowSize = 100, int historySize = 100)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _create = name => new ProviderHealthState(name, windowSize, historySize);
    }

    /// <summary>Determines whether a failure of <paramref name="kind"/> says something about the provider's health.</summary>
    /// <param name="kind">The failure's kind.</param>
    /// <returns><see langword="false"/> for the caller's own errors (invalid request, content filter, budget, cancellation …).</returns>
    public static bool CountsAgainstProvider(LlmErrorKind kind) => kind switch
    {
        LlmErrorKind.InvalidRequest or LlmErrorKind.ContextLengthExceeded or LlmErrorKind.ContentFiltered or LlmErrorKind.ModelNotFound or
        LlmErrorKind.BudgetExceeded or LlmErrorKind.Cancelled or LlmErrorKind.NoProviderAvailable or LlmErrorKind.AllProvidersFailed => false,
        _ => true,
    };

    /// <summary>Records one attempt's outcome.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="error">The failure, or <see langword="null"/> on success.</param>
    /// <param name="latency">How long the attempt took.</param>
    public void Record(string providerName, LlmProviderException? error, TimeSpan latency)
    {
        if (error is not null && !CountsAgainstProvider(error.Kind))
        {
            return;
        }

        Get(providerName).RecordTraffic(error is null, error?.Kind ?? LlmErrorKind.Unknown, latency, error is null ? _time.GetUtcNow().UtcTicks : 0);
    }

    /// <summary>Records one attempt that may have ended without an outcome (a stream the caller stopped or cancelled).</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="succeeded">Whether the attempt completed.</param>
    /// <param name="error">The failure, if it failed; with <paramref name="succeeded"/> false and no error, nothing is recorded.</param>
    /// <param name="latency">How long the attempt took.</param>
    public void Record(string providerName, bool succeeded, LlmProviderException? error, TimeSpan latency)
    {
        if (succeeded || error is not null)
        {
            Record(providerName, succeeded ? null : error, latency);
        }
    }

    /// <summary>Records every attempt of a call (abandoned hedged attempts are left out).</summary>
    /// <param name="trace">The call's trace.</param>
    public void Record(RoutingTrace trace)
    {
        var attempts = trace.Attempts;
        for (int i = 0; i < attempts.Count; i++)
        {
            var attempt = attempts[i];
            if (!attempt.Abandoned)
            {
                Record(attempt.ProviderName, attempt.Error, attempt.Duration);
            }
        }
    }

    /// <summary>Gets the score of the provider's last check (1 healthy, 0.5 degraded, 0 unhealthy), for the health strategy.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <returns>The score, or <see langword="null"/> when it was never checked.</returns>
    public double? ScoreOf(string providerName) => _states.TryGetValue(providerName, out var state) ? state.Score : null;

    /// <summary>Gets the state of a provider, creating it on first use.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <returns>The state.</returns>
    public ProviderHealthState Get(string providerName) =>
        _states.TryGetValue(providerName, out var state) ? state : _states.GetOrAdd(providerName, _create);

    /// <summary>Finds the state of a provider.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <returns>The state, or <see langword="null"/>.</returns>
    public ProviderHealthState? Find(string providerName) => _states.GetValueOrDefault(providerName);

    /// <summary>Forgets the providers not in <paramref name="keep"/> (removed at run time).</summary>
    /// <param name="keep">The names still registered.</param>
    public void Prune(HashSet<string> keep)
    {
        foreach (var pair in _states)
        {
            if (!keep.Contains(pair.Key))
            {
                _states.TryRemove(pair.Key, out _);
            }
        }
    }
}
