using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Resilience;

namespace LlmProviders.Telemetry;

/// <summary>
/// The router's metrics and spans (SPEC H3), one instance per service provider. The chain calls <see cref="StartCall"/> once per
/// call and the returned <see cref="RouterCall"/> for each attempt; both are <see langword="null"/> when nobody listens (no
/// <see cref="ActivityListener"/> for <see cref="LlmProvidersTelemetry.ActivitySourceName"/> and no enabled instrument), so a call
/// costs a few flag reads and allocates nothing for telemetry then.
/// </summary>
/// <remarks>
/// Instruments (meter <see cref="LlmProvidersTelemetry.MeterName"/>): the GenAI conventions' <c>gen_ai.client.operation.duration</c>,
/// <c>gen_ai.client.token.usage</c> and <c>gen_ai.client.operation.time_to_first_chunk</c> (per attempt, with the conventions'
/// bucket advice); ours: <c>llmproviders.requests</c> (attempts by provider and outcome), <c>llmproviders.retries</c> (observable,
/// from each target's resilience), <c>llmproviders.fallbacks</c>, <c>llmproviders.circuit.state</c> (observable),
/// <c>llmproviders.cost</c> (USD), <c>llmproviders.budget.remaining</c> (observable) and <c>llmproviders.requests.in_flight</c>.
/// </remarks>
internal sealed class RouterTelemetry : IDisposable
{
    /// <summary>The source of the router span (<c>route {name}</c>, internal) and the attempt spans (<c>chat {model}</c>, client).</summary>
    internal static readonly ActivitySource Source = new(LlmProvidersTelemetry.ActivitySourceName);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly TargetResilienceRegistry? _resilience;
    private readonly BudgetManager? _budgets;
    private IReadOnlyList<BudgetStatus>? _lastBudgets;
    private int _budgetRefreshing;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">What is recorded; <see langword="null"/> for the defaults (no content).</param>
    /// <param name="meterFactory">Creates the meter; <see langword="null"/> for a meter of this instance's own.</param>
    /// <param name="resilience">The targets' resilience, observed for retries and circuit states; <see langword="null"/> for none.</param>
    /// <param name="budgets">The budgets, observed for their remaining amounts; <see langword="null"/> for none.</param>
    public RouterTelemetry(LlmTelemetryOptions? options = null, IMeterFactory? meterFactory = null, TargetResilienceRegistry? resilience = null, BudgetManager? budgets = null)
    {
        EnableSensitiveData = options?.EnableSensitiveData ?? false;
        _resilience = resilience;
        _budgets = budgets;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(LlmProvidersTelemetry.MeterName) ?? new Meter(LlmProvidersTelemetry.MeterName);
        Duration = _meter.CreateHistogram(TelemetryNames.OperationDuration, "s", "GenAI operation duration (one attempt of the router).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TelemetryNames.DurationBuckets });
        Tokens = _meter.CreateHistogram(TelemetryNames.TokenUsage, "{token}", "Number of input and output tokens used.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TelemetryNames.TokenBuckets });
        TimeToFirstChunk = _meter.CreateHistogram(TelemetryNames.TimeToFirstChunk, "s", "Time from the start of a streaming attempt to its first chunk.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TelemetryNames.DurationBuckets });
        Requests = _meter.CreateCounter<long>(TelemetryNames.Requests, "{request}", "Attempts sent to providers, by provider and outcome.");
        Fallbacks = _meter.CreateCounter<long>(TelemetryNames.Fallbacks, "{fallback}", "Failovers from a failed target to the next one.");
        Cost = _meter.CreateCounter<double>(TelemetryNames.Cost, "USD", "Money spent on attempts whose cost is known.");
        InFlight = _meter.CreateUpDownCounter<long>(TelemetryNames.InFlight, "{request}", "Attempts in progress.");
        if (resilience is not null)
        {
            _meter.CreateObservableCounter(TelemetryNames.Retries, ObserveRetries, "{retry}", "Retries made by the targets' resilience.");
            _meter.CreateObservableGauge(TelemetryNames.CircuitState, ObserveCircuits, "{state}", "Each target's circuit: 0 closed, 1 open, 2 half-open, 3 isolated.");
        }

        if (budgets is { HasBudgets: true })
        {
            _meter.CreateObservableGauge(TelemetryNames.BudgetRemaining, ObserveBudgets, "USD", "Money left in each budget's current period.");
        }
    }

    /// <summary>Gets a value indicating whether spans carry message content.</summary>
    public bool EnableSensitiveData { get; }

    internal Histogram<double> Duration { get; }

    internal Histogram<long> Tokens { get; }

    internal Histogram<double> TimeToFirstChunk { get; }

    internal Counter<long> Requests { get; }

    internal Counter<long> Fallbacks { get; }

    internal Counter<double> Cost { get; }

    internal UpDownCounter<long> InFlight { get; }

    /// <summary>Gets a value indicating whether any per-call instrument has a listener.</summary>
    internal bool MetricsEnabled =>
        Duration.Enabled || Requests.Enabled || Tokens.Enabled || TimeToFirstChunk.Enabled || Fallbacks.Enabled || Cost.Enabled || InFlight.Enabled;

    /// <summary>Starts the telemetry of one call of a route: the router span when traced; <see langword="null"/> when nobody listens.</summary>
    /// <param name="route">The route (chain) name.</param>
    /// <param name="operation"><c>chat</c> or <c>embeddings</c>.</param>
    /// <param name="strategy">The routing strategy, or <see langword="null"/> (a custom one).</param>
    /// <param name="model">The requested model, or <see langword="null"/>.</param>
    /// <returns>The call, or <see langword="null"/>.</returns>
    public RouterCall? StartCall(string route, string operation, Routing.RoutingStrategyKind? strategy, string? model)
    {
        bool tracing = Source.HasListeners();
        if (!tracing && !MetricsEnabled)
        {
            return null;
        }

        Activity? activity = tracing ? Source.StartActivity("route " + route, ActivityKind.Internal) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryNames.Route, route);
            activity.SetTag(TelemetryNames.OperationName, operation);
            activity.SetTag(TelemetryNames.Strategy, strategy?.ToString());
            activity.SetTag(TelemetryNames.RequestModel, model);
        }

        return new RouterCall(this, activity, route, operation);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private IEnumerable<Measurement<long>> ObserveRetries()
    {
        foreach (var target in _resilience!.All)
        {
            yield return new Measurement<long>(target.RetryCount, new KeyValuePair<string, object?>(TelemetryNames.Provider, target.ProviderName));
        }
    }

    private IEnumerable<Measurement<int>> ObserveCircuits()
    {
        foreach (var target in _resilience!.All)
        {
            var state = target.CircuitState;
            yield return new Measurement<int>(
                (int)state,
                new KeyValuePair<string, object?>(TelemetryNames.Provider, target.ProviderName),
                new KeyValuePair<string, object?>(TelemetryNames.CircuitStateName, StateName(state)));
        }
    }

    private static string StateName(TargetCircuitState state) => state switch
    {
        TargetCircuitState.Closed => "closed",
        TargetCircuitState.Open => "open",
        TargetCircuitState.HalfOpen => "half_open",
        TargetCircuitState.Isolated => "isolated",
        _ => "unknown",
    };

    // Observable callbacks are synchronous: the in-memory store answers at once; a slower store's answer is kept for the next
    // observation (refreshed in the background, one refresh at a time).
    private IEnumerable<Measurement<double>> ObserveBudgets()
    {
        var pending = _budgets!.GetStatusAsync();
        if (pending.IsCompletedSuccessfully)
        {
            _lastBudgets = pending.Result;
        }
        else if (Interlocked.Exchange(ref _budgetRefreshing, 1) == 0)
        {
            _ = RefreshAsync(pending);
        }
        else
        {
            _ = pending.AsTask().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        var statuses = _lastBudgets;
        if (statuses is null)
        {
            yield break;
        }

        foreach (var status in statuses)
        {
            yield return new Measurement<double>(
                (double)status.Remaining,
                new KeyValuePair<string, object?>(TelemetryNames.Budget, status.BudgetName),
                new KeyValuePair<string, object?>(TelemetryNames.BudgetPeriod, status.Period.ToString()));
        }
    }

    private async Task RefreshAsync(ValueTask<IReadOnlyList<BudgetStatus>> pending)
    {
        try
        {
            _lastBudgets = await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The gauge keeps its last answer; the store's own logging reports its failures.
        }
        finally
        {
            Volatile.Write(ref _budgetRefreshing, 0);
        }
    }
}
