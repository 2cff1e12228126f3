using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace LlmProviders.Telemetry;

/// <summary>The telemetry of one call of a route: its router span (when traced) and the factory of its attempts' telemetry.</summary>
internal sealed class RouterCall
{
    private readonly RouterTelemetry _owner;
    private readonly string _route;
    private readonly string _operation;
    private int _attempts;
    private string? _chosen;
    private string? _errorType;
    private int _ended;

    internal RouterCall(RouterTelemetry owner, Activity? activity, string route, string operation)
    {
        _owner = owner;
        Activity = activity;
        _route = route;
        _operation = operation;
    }

    /// <summary>Gets the router span, or <see langword="null"/> when not traced.</summary>
    public Activity? Activity { get; }

    /// <summary>Starts the telemetry of one attempt: a client span <c>{operation} {model}</c> and the in-flight count.</summary>
    /// <param name="providerName">The target's registration name.</param>
    /// <param name="provider">The provider (its kind and endpoint give the convention's attributes).</param>
    /// <param name="model">The model sent, or <see langword="null"/> for the provider's default.</param>
    /// <param name="request">The chat request (parameters and, with sensitive data on, its messages); <see langword="null"/> for embeddings.</param>
    /// <param name="hedged">Whether the attempt runs beside another one (hedging).</param>
    /// <returns>The attempt's telemetry; <see langword="null"/> for a nested router (it records its own attempts).</returns>
    public AttemptTelemetry? StartAttempt(string providerName, ILlmProvider provider, string? model, ChatRequest? request, bool hedged = false)
    {
        if (string.Equals(provider.Kind, LlmProviderKinds.Router, StringComparison.Ordinal))
        {
            return null;
        }

        Interlocked.Increment(ref _attempts);
        return new AttemptTelemetry(_owner, this, _route, _operation, providerName, provider, model, request, hedged);
    }

    /// <summary>Records a failover from <paramref name="providerName"/> after <paramref name="error"/>: an event on the router span and the fallback counter.</summary>
    /// <param name="providerName">The target that failed.</param>
    /// <param name="error">Its error.</param>
    public void Failover(string providerName, LlmProviderException error)
    {
        string type = TelemetryNames.ErrorTypeOf(error.Kind);
        if (_owner.Fallbacks.Enabled)
        {
            _owner.Fallbacks.Add(1, new TagList
            {
                { TelemetryNames.Route, _route },
                { TelemetryNames.Provider, providerName },
                { TelemetryNames.OperationName, _operation },
                { TelemetryNames.ErrorType, type },
            });
        }

        Activity?.AddEvent(new ActivityEvent(TelemetryNames.FailoverEvent, tags: new ActivityTagsCollection
        {
            { TelemetryNames.Provider, providerName },
            { TelemetryNames.ErrorType, type },
        }));
    }

    /// <summary>Notes the target that answered.</summary>
    /// <param name="providerName">Its registration name.</param>
    public void Succeeded(string providerName) => _chosen = providerName;

    /// <summary>Notes the call's failure; returns <see langword="false"/> so it can be used as an exception filter.</summary>
    /// <param name="error">The exception the call ends with.</param>
    /// <returns>Always <see langword="false"/>.</returns>
    public bool Fail(Exception error)
    {
        _errorType = error is LlmProviderException llm ? TelemetryNames.ErrorTypeOf(llm.Kind)
            : error is OperationCanceledException ? TelemetryNames.Cancelled
            : error.GetType().FullName ?? "_OTHER";
        return false;
    }

    /// <summary>Notes <paramref name="error"/> as the call's failure (when <paramref name="call"/> is not null) and returns it, to throw.</summary>
    /// <param name="call">The call's telemetry, or <see langword="null"/>.</param>
    /// <param name="error">The exception the call ends with.</param>
    /// <returns><paramref name="error"/>.</returns>
    public static Exception Failing(RouterCall? call, Exception error)
    {
        call?.Fail(error);
        return error;
    }

    /// <summary>Notes the last attempt's error, used when the call ends without <see cref="Succeeded"/> or <see cref="Fail"/>.</summary>
    internal string? LastAttemptError { get; set; }

    /// <summary>Ends the router span: attempts, chosen provider, skipped candidates (as events), error.</summary>
    /// <param name="trace">The call's decision trace.</param>
    public void End(RoutingTrace trace)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        var activity = Activity;
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TelemetryNames.Attempts, trace.Attempts.Count);
            activity.SetTag(TelemetryNames.Provider, _chosen);
            foreach (var candidate in trace.Candidates)
            {
                if (!candidate.WasSkipped)
                {
                    continue;
                }

                var tags = new ActivityTagsCollection
                {
                    { TelemetryNames.Provider, candidate.ProviderName },
                    { TelemetryNames.SkipReason, candidate.SkipReason.ToString() },
                };
                if (candidate.Detail is not null)
                {
                    tags.Add(TelemetryNames.SkipDetail, candidate.Detail);
                }

                activity.AddEvent(new ActivityEvent(TelemetryNames.CandidateSkippedEvent, tags: tags));
            }
        }

        string? errorType = _chosen is null ? _errorType ?? LastAttemptError : null;
        if (errorType is not null)
        {
            activity.SetTag(TelemetryNames.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error, errorType);
        }

        activity.Stop();
    }
}
