using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Health;

/// <summary>
/// The health monitor: one timer from the injected <see cref="TimeProvider"/>, rescheduled after each round to the next
/// provider due; each round checks the providers due (in parallel, each with <see cref="HealthMonitorOptions.Timeout"/>).
/// </summary>
internal sealed class LlmHealthMonitor : ILlmHealthMonitor, IDisposable
{
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(100);

    private readonly ProviderRegistry _registry;
    private readonly LlmHealthRecorder _recorder;
    private readonly HealthMonitorOptions _options;
    private readonly TargetResilienceRegistry? _resilience;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private CancellationTokenSource? _stopping;
    private Task _round = Task.CompletedTask;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="registry">The registered providers.</param>
    /// <param name="recorder">The shared health state, fed by real traffic too.</param>
    /// <param name="options">The options.</param>
    /// <param name="resilience">The providers' circuit breakers, if any.</param>
    /// <param name="time">The clock and timers.</param>
    /// <param name="logger">The logger.</param>
    public LlmHealthMonitor(ProviderRegistry registry, LlmHealthRecorder recorder, HealthMonitorOptions options, TargetResilienceRegistry? resilience, TimeProvider time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _registry = registry;
        _recorder = recorder;
        _options = options;
        _resilience = resilience;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the options.</summary>
    public HealthMonitorOptions Options => _options;

    /// <summary>Gets the latest background round (for tests: advance the clock, then await it).</summary>
    internal Task LastRound
    {
        get
        {
            lock (_gate)
            {
                return _round;
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<LlmProviderHealth> GetAll()
    {
        var list = new List<LlmProviderHealth>();
        foreach (var status in _registry.ListProviders())
        {
            if (!status.IsRouter)
            {
                list.Add(Build(status.Name, status.Kind));
            }
        }

        return list;
    }

    /// <inheritdoc />
    public LlmProviderHealth? GetHealth(string providerName)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        var provider = _registry.Resolve(providerName);
        return provider is null || string.Equals(provider.Kind, LlmProviderKinds.Router, StringComparison.Ordinal) ? null : Build(provider.Name, provider.Kind);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LlmProviderHealth>> CheckNowAsync(string? providerName = null, CancellationToken cancellationToken = default)
    {
        if (providerName is not null)
        {
            var provider = _registry.Resolve(providerName) ?? throw new ArgumentException(
                $"No provider named '{providerName}' is registered, so it cannot be checked. Pass a name from ILlmProviderManager.ListProviders() (names match exactly).",
                nameof(providerName));
            await CheckAsync(provider, _recorder.Get(provider.Name), cancellationToken, cancellationToken).ConfigureAwait(false);
            return [Build(provider.Name, provider.Kind)];
        }

        var checks = new List<Task>();
        foreach (var provider in Providers())
        {
            checks.Add(CheckAsync(provider, _recorder.Get(provider.Name), cancellationToken, cancellationToken));
        }

        await Task.WhenAll(checks).ConfigureAwait(false);
        return GetAll();
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_timer is not null || !_options.Enabled)
            {
                return Task.CompletedTask;
            }

            _stopping = new CancellationTokenSource();
            _timer = _time.CreateTimer(static state => ((LlmHealthMonitor)state!).RunRound(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        HealthLog.Started(_logger, _options.Interval);
        RunRound();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task round;
        lock (_gate)
        {
            if (_timer is null)
            {
                return;
            }

            _timer.Dispose();
            _timer = null;
            _stopping!.Cancel();
            round = _round;
        }

        try
        {
            await round.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The round ended because it was stopped.
        }

        HealthLog.Stopped(_logger);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            _stopping?.Cancel();
            _stopping?.Dispose();
            _stopping = null;
        }
    }

    private void RunRound()
    {
        lock (_gate)
        {
            if (_timer is null)
            {
                return;
            }

            _round = RoundAsync(_stopping!.Token);
        }
    }

    private async Task RoundAsync(CancellationToken stopping)
    {
        long now = _time.GetUtcNow().UtcTicks;
        long nextDue = now + _options.Interval.Ticks;
        List<Task>? checks = null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var status in _registry.ListProviders())
        {
            names.Add(status.Name); // routers too: a chain used as another chain's target is recorded under its name
        }

        foreach (var provider in Providers())
        {
            var overrides = Override(provider.Name);
            if (overrides?.Enabled == false)
            {
                continue;
            }

            var state = _recorder.Get(provider.Name);
            if (state.NextDueTicks <= now && state.TryBeginCheck())
            {
                state.NextDueTicks = now + (overrides?.Interval ?? _options.Interval).Ticks;
                (checks ??= []).Add(CheckAndReleaseAsync(provider, state, stopping));
            }

            nextDue = Math.Min(nextDue, state.NextDueTicks);
        }

        _recorder.Prune(names);
        lock (_gate)
        {
            _timer?.Change(TimeSpan.FromTicks(Math.Max(nextDue - now, MinimumDelay.Ticks)), Timeout.InfiniteTimeSpan);
        }

        if (checks is not null)
        {
            await Task.WhenAll(checks).ConfigureAwait(false);
        }
    }

    private async Task CheckAndReleaseAsync(ILlmProvider provider, ProviderHealthState state, CancellationToken stopping)
    {
        try
        {
            await CheckAsync(provider, state, stopping, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            state.EndCheck();
        }
    }

    // Runs one check with the timeout and records it; throws only when the caller (or stopping) cancels.
    private async Task CheckAsync(ILlmProvider provider, ProviderHealthState state, CancellationToken stopping, CancellationToken caller)
    {
        var overrides = Override(provider.Name);
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, caller, timeout.Token);
        var checkedAt = _time.GetUtcNow();
        long start = _time.GetTimestamp();
        ProviderHealthResult result;
        try
        {
            result = overrides?.ProbeWithCompletion == true
                ? await ProbeWithCompletionAsync(provider, overrides.ProbeModel, checkedAt, start, linked.Token).ConfigureAwait(false)
                : await provider.CheckHealthAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested || caller.IsCancellationRequested)
        {
            caller.ThrowIfCancellationRequested();
            return;
        }
        catch (OperationCanceledException ex)
        {
            string message = string.Create(CultureInfo.InvariantCulture,
                $"The check did not answer within {_options.Timeout.TotalSeconds:0.###} s (Health:Timeout).");
            result = new ProviderHealthResult(provider.Name, LlmHealthStatus.Unhealthy, checkedAt, _time.GetElapsedTime(start), message,
                new ProviderTimeoutException(message, ex) { ProviderName = provider.Name });
        }
        catch (LlmProviderException ex)
        {
            result = new ProviderHealthResult(provider.Name, LlmHealthStatus.Unhealthy, checkedAt, _time.GetElapsedTime(start), ex.Message, ex);
        }

        var previous = state.LastCheck?.Status;
        state.RecordCheck(result);
        HealthLog.Checked(_logger, provider.Name, result.Status, result.Latency.TotalMilliseconds);
        if (previous != result.Status && (previous is not null || result.Status != LlmHealthStatus.Healthy))
        {
            HealthLog.StatusChanged(_logger, provider.Name, previous, result.Status, result.Message);
        }
    }

    private async Task<ProviderHealthResult> ProbeWithCompletionAsync(ILlmProvider provider, string? model, DateTimeOffset checkedAt, long start, CancellationToken cancellationToken)
    {
        var request = new ChatRequest("ping") { Model = model, MaxOutputTokens = 1 };
        var answer = await provider.ChatAsync(request, cancellationToken).ConfigureAwait(false);
        return new ProviderHealthResult(provider.Name, LlmHealthStatus.Healthy, checkedAt, _time.GetElapsedTime(start),
            $"A one-token completion from {answer.Model ?? model ?? "the default model"} answered.");
    }

    private List<ILlmProvider> Providers()
    {
        var list = new List<ILlmProvider>();
        foreach (var status in _registry.ListProviders())
        {
            if (!status.IsRouter && _registry.Resolve(status.Name) is { } provider)
            {
                list.Add(provider);
            }
        }

        return list;
    }

    private ProviderHealthMonitorOptions? Override(string name) =>
        _options.Providers.TryGetValue(name, out var overrides) ? overrides : null;

    private LlmProviderHealth Build(string name, string kind)
    {
        var state = _recorder.Find(name);
        var circuit = _resilience?.Find(name)?.CircuitState ?? TargetCircuitState.Closed;
        if (state is null)
        {
            var (noDataStatus, noDataMessage) = circuit switch
            {
                TargetCircuitState.Open or TargetCircuitState.Isolated => (LlmHealthStatus.Unhealthy, CircuitMessage(circuit)),
                TargetCircuitState.HalfOpen => (LlmHealthStatus.Degraded, CircuitMessage(circuit)),
                _ => (LlmHealthStatus.Healthy, "Not checked yet, and no traffic seen."),
            };
            return new LlmProviderHealth { ProviderName = name, Kind = kind, Status = noDataStatus, Message = noDataMessage, CircuitState = circuit };
        }

        state.ReadWindow(out int samples, out double? successRate, out TimeSpan? averageLatency);
        var history = state.CopyHistory();
        var last = state.LastCheck;
        double? uptime = null;
        if (history.Length > 0)
        {
            int up = 0;
            foreach (var check in history)
            {
                if (check.Status != LlmHealthStatus.Unhealthy)
                {
                    up++;
                }
            }

            uptime = (double)up / history.Length;
        }

        var (status, message) = Judge(state, circuit, last, samples, successRate, averageLatency);
        return new LlmProviderHealth
        {
            ProviderName = name,
            Kind = kind,
            Status = status,
            Message = message,
            HasData = last is not null || state.Requests > 0,
            LastCheckedAt = last?.CheckedAt,
            LastCheckStatus = last?.Status,
            LastCheckLatency = last?.Latency,
            Uptime = uptime,
            ConsecutiveFailedChecks = state.ConsecutiveFailedChecks,
            SuccessRate = successRate,
            AverageLatency = averageLatency,
            Requests = state.Requests,
            Failures = state.Failures,
            ConsecutiveFailures = state.ConsecutiveFailures,
            LastErrorKind = state.LastErrorKind,
            CircuitState = circuit,
            History = history,
        };
    }

    // The rules documented on LlmProviderHealth: first match wins.
    private (LlmHealthStatus Status, string Message) Judge(ProviderHealthState state, TargetCircuitState circuit, ProviderHealthResult? last, int samples, double? successRate, TimeSpan? averageLatency)
    {
        var o = _options;
        if (circuit is TargetCircuitState.Open or TargetCircuitState.Isolated)
        {
            return (LlmHealthStatus.Unhealthy, CircuitMessage(circuit));
        }

        bool succeededSinceCheck = last is not null && state.LastSuccessAt is { } success && success > last.CheckedAt;
        if (last is { Status: LlmHealthStatus.Unhealthy } && !succeededSinceCheck)
        {
            return (LlmHealthStatus.Unhealthy, "The last check failed: " + (last.Message ?? last.Error?.Kind.ToString() ?? "no detail"));
        }

        int consecutive = state.ConsecutiveFailures;
        if (consecutive >= o.UnhealthyAfterConsecutiveFailures)
        {
            return (LlmHealthStatus.Unhealthy, string.Create(CultureInfo.InvariantCulture,
                $"{consecutive} calls failed in a row (last: {state.LastErrorKind}); the limit is {o.UnhealthyAfterConsecutiveFailures} (Health:UnhealthyAfterConsecutiveFailures)."));
        }

        if (circuit == TargetCircuitState.HalfOpen)
        {
            return (LlmHealthStatus.Degraded, CircuitMessage(circuit));
        }

        if (last is { Status: LlmHealthStatus.Degraded } && !succeededSinceCheck)
        {
            return (LlmHealthStatus.Degraded, "The last check found it degraded: " + (last.Message ?? "no detail"));
        }

        if (successRate is { } rate && samples >= o.MinimumTrafficSamples && rate < o.DegradedBelowSuccessRate)
        {
            return (LlmHealthStatus.Degraded, string.Create(CultureInfo.InvariantCulture,
                $"{rate:P0} of the last {samples} calls succeeded, below {o.DegradedBelowSuccessRate:P0} (Health:DegradedBelowSuccessRate)."));
        }

        if (o.DegradedAboveLatency is { } limit)
        {
            if (last is not null && last.Latency > limit)
            {
                return (LlmHealthStatus.Degraded, string.Create(CultureInfo.InvariantCulture,
                    $"The last check took {last.Latency.TotalMilliseconds:0} ms, above {limit.TotalMilliseconds:0} ms (Health:DegradedAboveLatency)."));
            }

            if (averageLatency is { } average && samples >= o.MinimumTrafficSamples && average > limit)
            {
                return (LlmHealthStatus.Degraded, string.Create(CultureInfo.InvariantCulture,
                    $"Calls took {average.TotalMilliseconds:0} ms on average, above {limit.TotalMilliseconds:0} ms (Health:DegradedAboveLatency)."));
            }
        }

        if (last is not null)
        {
            return (LlmHealthStatus.Healthy, last.Status == LlmHealthStatus.Healthy
                ? last.Message ?? "The last check passed."
                : "Calls succeeded after the last check found a problem.");
        }

        return (LlmHealthStatus.Healthy, string.Create(CultureInfo.InvariantCulture, $"Not checked yet; {state.Requests} call(s) seen."));
    }

    private static string CircuitMessage(TargetCircuitState circuit) => circuit switch
    {
        TargetCircuitState.Open => "The circuit is open: calls are refused until the break ends.",
        TargetCircuitState.Isolated => "The circuit was opened by hand (isolated): calls are refused until it is closed.",
        TargetCircuitState.HalfOpen => "The circuit is half-open: the next call is a probe.",
        _ => "The circuit is closed.",
    };
}
