using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Buffers;
using LlmProviders.Costs;
using LlmProviders.Resilience;
using LlmProviders.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Routing;

/// <summary>
/// One route of the router (SPEC RT1–RT7): orders its targets with a strategy, filters each before it is tried, runs the
/// attempt inside the provider's resilience, fails over on the errors <see cref="FailoverPolicy"/> allows, accounts for money
/// around every attempt, and records every candidate and attempt in a <see cref="RoutingTrace"/>.
/// </summary>
/// <remarks>
/// <para>Per call: the strategy orders the targets (<see cref="IRoutingStrategy"/>; the per-request one wins; local first when
/// preferred); <see cref="SelectCandidate"/> skips a target that is not registered, not pinned, not local when the chain is
/// local-only, lacks a capability, has too small a context window, costs more than the request's MaxCost, is too slow, or has no
/// circuit, rate-limit or concurrency headroom; the budgets reserve its worst case; the attempt runs inside its
/// <see cref="TargetResilience"/> (retries, breaker, limits, timeouts); then the reservation is settled and the attempt recorded.
/// Optional hedging starts the next target when the first is slow; <see cref="StreamInterruptionPolicy"/> decides what happens
/// after a stream's first update.</para>
/// <para>Embeddings (<see cref="EmbedAsync"/>) try the targets whose provider implements <see cref="IEmbeddingProvider"/> and declares
/// <see cref="LlmCapabilities.Embeddings"/>, in order, with the same failover rules; a target's chat model and output cap are not
/// applied (the request's embedding model, or each provider's default embedding model, is used). Each embedding attempt reserves
/// its estimate (the inputs' estimated tokens at the model's input price) under the budgets, Block and Reroute as for chat, and
/// settles to the real cost.</para>
/// <para>Hot path: no LINQ, no locks; the order array is pooled; the call's scratch state and first attempt are reused by the
/// next call once a call succeeded; a tried target's trace entry is shared; per call one trace, its attempts and skipped
/// candidates, and a request copy only for a target with a model or max-token override (SPEC P3: 232 B with an instant provider).</para>
/// </remarks>
internal sealed class FallbackChainProvider : ILlmRouter
{
    private readonly Target[] _targets;
    private readonly ReadOnlyCollection<ChainTarget> _targetSnapshot;
    private readonly Func<string, ILlmProvider?> _resolve;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _enableFallback;
    private readonly bool _failoverOnContentFilter;
    private readonly CostAccounting? _costs;
    private readonly bool _localOnly;
    private readonly TimeSpan? _maxLatency;
    private readonly TimeSpan? _timeout;
    private readonly ChainHedgingOptions? _hedging;
    private readonly TargetResilienceRegistry? _resilience;
    private readonly IRoutingStrategy? _strategy;
    private readonly RoutingStrategyKind? _strategyKind;
    private readonly bool _preferLocal;
    private readonly RouterTelemetry? _telemetry;
    private const string UnregisteredKind = "unregistered";
    private RoutingTargetInfo[]? _infos;
    private readonly IRoutingStrategy?[] _strategies = new IRoutingStrategy?[Enum.GetValues<RoutingStrategyKind>().Length];
    private int _capabilities = -1;
    private int _isLocal = -1;
    private readonly LlmProviders.Caching.RouteResponseCache? _cache;
    private CallFacts? _spareFacts; // one call's scratch state, reused by the next call when the last one succeeded

    /// <summary>Initializes a new instance.</summary>
    /// <param name="name">The chain's name (its registration name).</param>
    /// <param name="options">The chain's configuration; copied, later changes are not seen.</param>
    /// <param name="resolve">Finds a provider by registration name; <see langword="null"/> when none is registered.</param>
    /// <param name="timeProvider">The clock for attempt timings.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="costs">Budgets and cost tracking around each attempt; <see langword="null"/> for none.</param>
    /// <param name="resilience">Each provider's retries, breaker, limits and timeouts; <see langword="null"/> for none.</param>
    /// <param name="defaultStrategy">The strategy when the options set none (<c>LLM_ROUTING_STRATEGY</c>).</param>
    /// <param name="responseCache">The response cache (SPEC D4), consulted at the chain's entry; <see langword="null"/> for none.</param>
    /// <param name="telemetry">Metrics and spans (SPEC H3); <see langword="null"/> for none.</param>
    public FallbackChainProvider(
        string name, FallbackChainOptions options, Func<string, ILlmProvider?> resolve, TimeProvider? timeProvider = null, ILogger? logger = null,
        CostAccounting? costs = null, TargetResilienceRegistry? resilience = null, RoutingStrategyKind? defaultStrategy = null,
        LlmProviders.Caching.ResponseCache? responseCache = null, RouterTelemetry? telemetry = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resolve);
        Name = name;
        _resolve = resolve;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _enableFallback = options.EnableFallback;
        _failoverOnContentFilter = options.FailoverOnContentFilter;
        _costs = costs;
        _localOnly = options.LocalOnly;
        _maxLatency = options.MaxLatency;
        _timeout = options.Timeout;
        _resilience = resilience;
        _telemetry = telemetry;
        _preferLocal = options.PreferLocal;
        _strategyKind = options.CustomStrategy is null ? options.Strategy ?? defaultStrategy ?? RoutingStrategyKind.Priority : null;
        // The priority strategy over equal priorities is the configured order: no strategy call needed then.
        _strategy = options.CustomStrategy ?? (_strategyKind is { } kind && (kind != RoutingStrategyKind.Priority || HasDistinctPriorities(options.Targets)) ? RoutingStrategies.Create(kind) : null);
        _hedging = options.Hedging is { } hedging
            ? new ChainHedgingOptions { Delay = hedging.Delay, UseObservedP95 = hedging.UseObservedP95, MinSamples = hedging.MinSamples }
            : null;
        _targets = new Target[options.Targets.Count];
        var snapshot = new ChainTarget[_targets.Length];
        for (int i = 0; i < _targets.Length; i++)
        {
            var t = options.Targets[i] ?? throw new ArgumentException($"Target {i + 1} of chain '{name}' is null.", nameof(options));
            _targets[i] = new Target(t.ProviderName, t.Model, t.MaxOutputTokens, t.Priority, t.Weight);
            snapshot[i] = new ChainTarget { ProviderName = t.ProviderName, Model = t.Model, MaxOutputTokens = t.MaxOutputTokens, Priority = t.Priority, Weight = t.Weight };
        }

        _targetSnapshot = new ReadOnlyCollection<ChainTarget>(snapshot);
        _cache = responseCache?.ForRoute(name, _targets.Length > 0 ? _targets[0].ProviderName : null, resolve, costs);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the passive health recorder each attempt's outcome is reported to (SPEC H1); <see langword="null"/> for none.</summary>
    internal Health.LlmHealthRecorder? HealthRecorder { get; init; }

    /// <inheritdoc />
    public string Kind => LlmProviderKinds.Router;

    /// <summary>Gets the union of the capabilities of the chain's registered targets (what some target can do).</summary>
    public LlmCapabilities Capabilities
    {
        get
        {
            int caps = Volatile.Read(ref _capabilities);
            if (caps < 0)
            {
                caps = ComputeTraits();
            }

            return (LlmCapabilities)caps;
        }
    }

    /// <summary>Gets a value indicating whether every registered target of the chain is local.</summary>
    public bool IsLocal
    {
        get
        {
            if (Volatile.Read(ref _capabilities) < 0)
            {
                ComputeTraits();
            }

            return Volatile.Read(ref _isLocal) == 1;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ChainTarget> GetTargets(string? routeName = null)
    {
        if (routeName is not null && !string.Equals(routeName, Name, StringComparison.Ordinal))
        {
            throw new KeyNotFoundException($"Chain '{Name}' has no route named '{routeName}'; a fallback chain has only its default route (pass null).");
        }

        return _targetSnapshot;
    }

    /// <inheritdoc />
    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return _cache is { } cache && cache.Applies(request, stream: false)
            ? cache.ChatAsync(request, ChatUncachedAsync, cancellationToken)
            : ChatUncachedAsync(request, cancellationToken);
    }

    private Task<ChatResult> ChatUncachedAsync(ChatRequest request, CancellationToken cancellationToken) =>
        _timeout is { } timeout ? ChatWithDeadlineAsync(request, timeout, cancellationToken) : ChatCoreAsync(request, cancellationToken);

    private async Task<ChatResult> ChatWithDeadlineAsync(ChatRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await ChatCoreAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw DeadlinePassed(timeout, request.Model, ex);
        }
    }

    private async Task<ChatResult> ChatCoreAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        long chainStart = _time.GetTimestamp();
        var trace = new RoutingTrace(Name, _targets.Length);
        bool allowFallback = request.AllowFallback ?? _enableFallback;
        List<LlmProviderException>? errors = null;
        BudgetReservation? refusal = null;
        var facts = Interlocked.Exchange(ref _spareFacts, null) ?? new CallFacts();
        bool reuseFacts = false;
        var call = facts.Telemetry = _telemetry?.StartCall(Name, TelemetryNames.Chat, request.RoutingStrategy ?? _strategyKind, request.Model);
        try
        {
        OrderTargets(request, facts);
        for (int i = 0; i < _targets.Length; i++)
        {
            var first = await TryStartAsync(i, request, trace, LlmCapabilities.None, facts, chainStart, cancellationToken).ConfigureAwait(false);
            if (first is null)
            {
                refusal = facts.Refusal ?? refusal;
                continue;
            }

            ChatAttempt? second = null;
            if (_hedging is { } hedging && i + 1 < _targets.Length)
            {
                second = await RunHedgedAsync(first, hedging, request, trace, facts, chainStart, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RunChatAttemptAsync(first, request.Tags, cancellationToken).ConfigureAwait(false);
            }

            if (first.CallerCancelled || second is { CallerCancelled: true })
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var winner = first.Result is not null ? first : second?.Result is not null ? second : null;
            int last = second?.Index ?? i;
            if (winner is not null)
            {
                var loser = ReferenceEquals(winner, first) ? second : first;
                if (loser is not null)
                {
                    trace.AddAttempt(loser.ToTrace(_time, abandoned: loser.Error is null));
                }

                trace.AddAttempt(winner.ToTrace(_time, abandoned: false));
                AddRemaining(trace, last + 1, CandidateSkipReason.NotReached, false, facts);
                winner.Target.Latencies.Record(winner.Duration);
                var result = winner.Result!;
                result.ProviderName ??= winner.Target.ProviderName;
                result.Trace = trace;
                result.Latency = _time.GetElapsedTime(chainStart);
                reuseFacts = true; // every attempt of this call has ended: nothing refers to its facts any more
                return result;
            }

            foreach (var failed in second is null ? [first] : new[] { first, second })
            {
                NoteOverflow(facts, failed.Provider, failed.Request.Model, failed.Error!);
                trace.AddAttempt(failed.ToTrace(_time, abandoned: false));
                errors = OnAttemptFailed(trace, failed.Index, failed.Target, failed.Error!, allowFallback, errors, cancellationToken, false, facts);
            }

            i = last;
        }

        throw CreateFailure(trace, errors, request.Model, refusal);
        }
        catch (Exception ex) when (call is not null && call.Fail(ex))
        {
            throw; // never reached: the filter only notes the failure for the router span
        }
        finally
        {
            HealthRecorder?.Record(trace);
            facts.ReturnOrder();
            call?.End(trace);
            if (reuseFacts)
            {
                facts.Clear();
                Volatile.Write(ref _spareFacts, facts);
            }
        }
    }

    /// <summary>
    /// Selects target <paramref name="index"/> (filters, budget reservation) and, when it may be tried, records it as a tried
    /// candidate and returns its attempt; <see langword="null"/> when it was skipped (a budget refusal is kept in <paramref name="facts"/>).
    /// </summary>
    private async ValueTask<ChatAttempt?> TryStartAsync(int index, ChatRequest request, RoutingTrace trace, LlmCapabilities required, CallFacts facts, long chainStart, CancellationToken cancellationToken)
    {
        int targetIndex = facts.Order[index];
        var target = _targets[targetIndex];
        facts.Refusal = null;
        var provider = SelectCandidate(target, request, trace, required, facts);
        if (provider is null)
        {
            return null;
        }

        var attemptRequest = target.Apply(request);
        var costs = Accounting(provider);
        var reservation = BudgetReservation.Unbudgeted;
        if (costs is { HasBudgets: true })
        {
            reservation = await costs.ReserveAsync(target.ProviderName, provider, attemptRequest, cancellationToken).ConfigureAwait(false);
            if (!reservation.IsGranted)
            {
                facts.Refusal = OnBudgetRefused(trace, index, target, attemptRequest, reservation, facts);
                return null;
            }
        }

        trace.AddCandidate(target.Accepted(attemptRequest.Model));
        var startedAt = _time.GetUtcNow();
        var info = facts.Infos?[targetIndex];
        info?.OnAttemptStarted(startedAt);
        var attempt = facts.NewAttempt();
        attempt.Begin(index, target, provider, attemptRequest, costs, reservation, startedAt, trace.AttemptCount == 0 ? chainStart : _time.GetTimestamp());
        attempt.Resilience = ResilienceOf(provider);
        attempt.Info = info;
        attempt.EstimatedTokens = facts.EstimatedTokens(request);
        attempt.Priority = request.Priority;
        attempt.Call = facts.Telemetry;
        return attempt;
    }

    /// <summary>Runs one attempt to its end: result or error, settled and recorded. Throws nothing; cancellation is noted.</summary>
    private async Task RunChatAttemptAsync(ChatAttempt attempt, IDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var telemetry = attempt.Call?.StartAttempt(attempt.Target.ProviderName, attempt.Provider, attempt.Request.Model, attempt.Request, attempt.Hedged);
        try
        {
            var result = attempt.Resilience is { } resilience
                ? await resilience.ExecuteAsync(static (a, ct) => a.CallAsync(ct), attempt, attempt.Priority, attempt.EstimatedTokens, cancellationToken).ConfigureAwait(false)
                : await attempt.Provider.ChatAsync(attempt.Request, cancellationToken).ConfigureAwait(false);
            attempt.Duration = _time.GetElapsedTime(attempt.Start);
            attempt.Result = result;
            telemetry?.Succeeded(attempt.Duration, result.Model, result.Usage, result.Cost, result.FinishReason, result.ResponseId, result.Message);
            long output = result.Usage?.OutputTokenCount ?? 0;
            long total = (result.Usage?.InputTokenCount ?? 0) + output;
            attempt.Resilience?.ReportUsage(total, attempt.EstimatedTokens);
            attempt.Info?.OnAttemptCompleted(_time.GetUtcNow(), true, null, attempt.Duration, output, total);
            if (attempt.Costs is not null)
            {
                await attempt.Costs.CompleteAsync(attempt.Reservation, CostAccounting.CreateRecord(
                    attempt.StartedAt, attempt.Target.ProviderName, attempt.Provider.Kind, result.Model ?? attempt.Request.Model, Name, result.Usage, result.Cost,
                    attempt.Duration, null, null, result.FromCache, tags)).ConfigureAwait(false);
            }

            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller cancelled (never a failover), or a hedged attempt beside this one answered first.
            attempt.CallerCancelled = true;
        }
        catch (LlmProviderException ex)
        {
            attempt.Error = ex;
        }
        catch (OperationCanceledException ex)
        {
            attempt.Error = CancelledWithoutCaller(attempt.Target, attempt.Request.Model, ex);
        }
        catch (Exception) when (EndAttempt(telemetry, attempt.Start, null))
        {
            throw; // never reached: the filter ends the attempt's span on an unexpected exception
        }

        attempt.Duration = _time.GetElapsedTime(attempt.Start);
        telemetry?.Failed(attempt.Duration, attempt.Error);
        attempt.Info?.OnAttemptCompleted(_time.GetUtcNow(), attempt.CallerCancelled, null, attempt.Duration, 0, 0);
        await CompleteFailedAsync(attempt.Costs, attempt.Reservation, attempt.StartedAt, attempt.Target, attempt.Provider, attempt.Request, attempt.Start, attempt.Error, tags).ConfigureAwait(false);
    }

    /// <summary>
    /// RT7: runs <paramref name="first"/>; when it has not answered within the hedging delay, starts the next target that may be
    /// tried beside it; the first answer wins and the other attempt is cancelled (both are settled and recorded). Returns the second
    /// attempt, or <see langword="null"/> when none was started.
    /// </summary>
    private async Task<ChatAttempt?> RunHedgedAsync(ChatAttempt first, ChainHedgingOptions hedging, ChatRequest request, RoutingTrace trace, CallFacts facts, long chainStart, CancellationToken cancellationToken)
    {
        using var firstCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstTask = RunChatAttemptAsync(first, request.Tags, firstCts.Token);
        using (var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var delay = Task.Delay(HedgeDelay(hedging, first.Target), _time, delayCts.Token);
            if (await Task.WhenAny(firstTask, delay).ConfigureAwait(false) == firstTask)
            {
                await delayCts.CancelAsync().ConfigureAwait(false);
                await firstTask.ConfigureAwait(false);
                return null;
            }
        }

        ChatAttempt? second = null;
        for (int j = first.Index + 1; j < _targets.Length && second is null && !firstTask.IsCompleted; j++)
        {
            second = await TryStartAsync(j, request, trace, LlmCapabilities.None, facts, chainStart, cancellationToken).ConfigureAwait(false);
        }

        if (second is null)
        {
            await firstTask.ConfigureAwait(false);
            return null;
        }

        second.Hedged = true;
        RoutingLog.Hedging(_logger, Name, first.Target.ProviderName, second.Target.ProviderName);
        using var secondCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var secondTask = RunChatAttemptAsync(second, request.Tags, secondCts.Token);
        var done = await Task.WhenAny(firstTask, secondTask).ConfigureAwait(false);
        var (doneAttempt, otherTask, otherCts) = done == firstTask ? (first, secondTask, secondCts) : (second, firstTask, firstCts);
        if (doneAttempt.Result is not null)
        {
            await otherCts.CancelAsync().ConfigureAwait(false); // the other attempt loses: cancelled, settled, recorded
        }

        await otherTask.ConfigureAwait(false);
        if (done != firstTask)
        {
            await firstTask.ConfigureAwait(false);
        }

        // A loser cancelled by us is abandoned, not the caller's cancellation.
        if (!cancellationToken.IsCancellationRequested)
        {
            first.CallerCancelled = false;
            second.CallerCancelled = false;
        }

        return second;
    }

    /// <summary>
    /// RT3: orders the targets for this call into <see cref="CallFacts.Order"/> (rented; returned by the caller): the request's
    /// strategy, else the chain's; then local targets first when the chain prefers local.
    /// </summary>
    private void OrderTargets(ChatRequest request, CallFacts facts, bool rent = true)
    {
        int n = _targets.Length;
        facts.CreateOrder(n, rent);
        var strategy = request.RoutingStrategy is { } kind && kind != _strategyKind ? StrategyFor(kind) : _strategy;
        if (strategy is null && !_preferLocal)
        {
            facts.Infos = _infos; // statistics still learn when a strategy used them before
            return;
        }

        var infos = facts.Infos = GetInfos();
        if (strategy is not null && n > 1)
        {
            if (_resilience is not null)
            {
                // The health strategy puts targets whose circuit is open last.
                for (int i = 0; i < n; i++)
                {
                    if (_resilience.Find(_targets[i].ProviderName) is { } resilience)
                    {
                        infos[i].SetAvailable(resilience.CircuitState is not (TargetCircuitState.Open or TargetCircuitState.Isolated));
                    }
                }
            }

            if (HealthRecorder is { } health)
            {
                // The health strategy's score is lowered by the health monitor's last check (1 healthy, 0.5 degraded, 0 unhealthy).
                for (int i = 0; i < n; i++)
                {
                    infos[i].SetHealthScore(health.ScoreOf(_targets[i].ProviderName));
                }
            }

            long prompt = facts.PromptTokens(request);
            int output = request.MaxOutputTokens ?? CostAccounting.DefaultMaxOutputTokens;
            strategy.Order(new RoutingStrategyContext(request, infos, prompt, output, _costs?.Calculator, _time.GetUtcNow()), facts.Order.AsSpan(0, n));
        }

        if (_preferLocal)
        {
            // Stable partition: local targets first, each group in the strategy's order.
            Span<int> scratch = n <= 64 ? stackalloc int[n] : new int[n];
            int w = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < n; k++)
                {
                    int i = facts.Order[k];
                    if (infos[i].IsLocal == (pass == 0))
                    {
                        scratch[w++] = i;
                    }
                }
            }

            scratch.CopyTo(facts.Order.AsSpan(0, n));
        }
    }

    private static bool HasDistinctPriorities(IList<ChainTarget> targets)
    {
        for (int i = 1; i < targets.Count; i++)
        {
            if (targets[i]?.Priority != targets[0]?.Priority)
            {
                return true;
            }
        }

        return false;
    }

    private IRoutingStrategy StrategyFor(RoutingStrategyKind kind)
    {
        var cache = _strategies;
        int slot = (int)kind;
        if ((uint)slot < (uint)cache.Length && cache[slot] is { } existing)
        {
            return existing;
        }

        var created = RoutingStrategies.Create(kind);
        if ((uint)slot < (uint)cache.Length)
        {
            Interlocked.CompareExchange(ref cache[slot], created, null);
            return cache[slot]!;
        }

        return created;
    }

    /// <summary>
    /// The long-lived statistics of the targets (built on first use; rebuilt only when a target that was not registered becomes
    /// resolvable, e.g. added at run time — the lookups to notice it allocate nothing).
    /// </summary>
    private RoutingTargetInfo[] GetInfos()
    {
        var infos = Volatile.Read(ref _infos);
        if (infos is not null && !AnyUnregisteredNowResolvable(infos))
        {
            return infos;
        }

        var previous = infos;
        infos = new RoutingTargetInfo[_targets.Length];
        var alpha = RoutingStrategies.GetEwmaAlpha(_strategy);
        for (int i = 0; i < infos.Length; i++)
        {
            var target = _targets[i];
            var provider = target.Resolve(_resolve);
            string kind = provider?.Kind ?? UnregisteredKind;
            var entry = provider is not null && target.Model is { } model && _costs is not null ? _costs.Calculator.Catalog.Find(kind, model) : null;
            infos[i] = new RoutingTargetInfo(target.ProviderName, kind, target.Model)
            {
                CatalogEntry = entry,
                IsLocal = provider?.IsLocal ?? false,
                Capabilities = provider?.Capabilities ?? LlmCapabilities.None,
                Priority = target.Priority,
                Weight = target.Weight,
                EwmaAlpha = alpha,
                TimeProvider = _time,
            };
        }

        var raced = Interlocked.CompareExchange(ref _infos, infos, previous);
        return ReferenceEquals(raced, previous) ? infos : raced!;
    }

    private bool AnyUnregisteredNowResolvable(RoutingTargetInfo[] infos)
    {
        for (int i = 0; i < infos.Length; i++)
        {
            if (ReferenceEquals(infos[i].Kind, UnregisteredKind) && _targets[i].Resolve(_resolve) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private TargetResilience? ResilienceOf(ILlmProvider provider) =>
        _resilience is null || string.Equals(provider.Kind, LlmProviderKinds.Router, StringComparison.Ordinal) ? null : _resilience.Get(provider);

    private static TimeSpan HedgeDelay(ChainHedgingOptions hedging, Target target) =>
        hedging.UseObservedP95 && target.Latencies.Count >= hedging.MinSamples && target.Latencies.GetPercentile(95) is { } p95 && p95 > TimeSpan.Zero
            ? p95
            : hedging.Delay;

    private ProviderTimeoutException DeadlinePassed(TimeSpan timeout, string? model, Exception inner) =>
        new($"Chain '{Name}' did not answer within its {timeout.TotalSeconds:0.###}-second deadline (FallbackChainOptions.Timeout), retries and failovers included. " +
            "Raise the deadline, or lower the targets' own timeouts so a failover can happen in time.", inner)
        {
            ProviderName = Name,
            Model = model,
            IsTransient = true,
        };

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) =>
        _cache is { } cache && request is not null && cache.Applies(request, stream: true)
            ? cache.StreamAsync(request, StreamUncachedAsync, cancellationToken)
            : StreamUncachedAsync(request!, cancellationToken);

    private async IAsyncEnumerable<ChatStreamUpdate> StreamUncachedAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        long chainStart = _time.GetTimestamp();
        var trace = new RoutingTrace(Name);
        bool allowFallback = request.AllowFallback ?? _enableFallback;
        List<LlmProviderException>? errors = null;
        BudgetReservation? refusal = null;
        var facts = new CallFacts();

        // RT6: what the caller holds across attempts, and how the next target resumes after a failure past the first update.
        int deliveredTotal = 0;
        StringBuilder? callerText = null;
        StreamResume? resume = null;
        LlmProviderException? interruption = null;
        string? interruptedProvider = null;
        var call = facts.Telemetry = _telemetry?.StartCall(Name, TelemetryNames.Chat, request.RoutingStrategy ?? _strategyKind, request.Model);
        try
        {
        OrderTargets(request, facts, rent: false);

        for (int i = 0; i < _targets.Length; i++)
        {
            int targetIndex = facts.Order[i];
            var target = _targets[targetIndex];
            var provider = SelectCandidate(target, request, trace, LlmCapabilities.Streaming, facts);
            if (provider is null)
            {
                continue;
            }

            if (resume is { Mode: StreamInterruptionPolicy.Continue } && !StreamResume.CanContinue(provider, request))
            {
                trace.AddCandidate(new RoutingCandidate(target.ProviderName, target.Model ?? request.Model, CandidateSkipReason.MissingCapability,
                    "Cannot continue a partial answer: needs assistant prefill and a request without tools."));
                continue;
            }

            var attemptRequest = target.Apply(request);
            if (resume is not null)
            {
                resume.BeginAttempt();
                if (resume.Mode == StreamInterruptionPolicy.Continue)
                {
                    attemptRequest = resume.CreateContinueRequest(attemptRequest);
                }
            }

            var costs = Accounting(provider);
            var reservation = BudgetReservation.Unbudgeted;
            if (costs is { HasBudgets: true })
            {
                reservation = await costs.ReserveAsync(target.ProviderName, provider, attemptRequest, cancellationToken).ConfigureAwait(false);
                if (!reservation.IsGranted)
                {
                    refusal = OnBudgetRefused(trace, i, target, attemptRequest, reservation, facts);
                    continue;
                }
            }

            trace.AddCandidate(new RoutingCandidate(target.ProviderName, attemptRequest.Model));
            var startedAt = _time.GetUtcNow();
            var resilience = ResilienceOf(provider);
            var info = facts.Infos?[targetIndex];
            int estimatedTokens = facts.EstimatedTokens(request);
            info?.OnAttemptStarted(startedAt);
            long attemptStart = _time.GetTimestamp();
            var telemetry = call?.StartAttempt(target.ProviderName, provider, attemptRequest.Model, attemptRequest);
            LlmProviderException? error = null;
            int delivered = 0;
            StringBuilder? partial = null;
            TimeSpan? timeToFirstUpdate = null;
            IAsyncEnumerator<ChatStreamUpdate>? stream = null;
            bool accounted = costs is null;
            bool completed = false;
            try
            {
                while (true)
                {
                    ChatStreamUpdate update;
                    try
                    {
                        // Resilience (RS1–RS5) applies until the first update: retries, breaker, limits, first-chunk timeout;
                        // after it, the idle-gap timeout guards every next update.
                        stream ??= resilience is null
                            ? provider.StreamAsync(attemptRequest, cancellationToken).GetAsyncEnumerator(cancellationToken)
                            : await resilience.OpenStreamAsync(ct => provider.StreamAsync(attemptRequest, ct), request.Priority, estimatedTokens, cancellationToken).ConfigureAwait(false);
                        if (!await stream.MoveNextAsync().ConfigureAwait(false))
                        {
                            error = new StreamInterruptedException($"The stream from '{target.ProviderName}' ended without its final update; the answer is incomplete.")
                            {
                                ProviderName = target.ProviderName,
                                Model = attemptRequest.Model,
                                PartialText = partial?.ToString() ?? string.Empty,
                                UpdatesDelivered = delivered,
                            };
                            break;
                        }

                        update = stream.Current;
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw; // The caller cancelled: never a failover.
                    }
                    catch (LlmProviderException ex)
                    {
                        error = ex;
                        break;
                    }
                    catch (OperationCanceledException ex)
                    {
                        error = CancelledWithoutCaller(target, attemptRequest.Model, ex);
                        break;
                    }

                    if (update.IsFinal)
                    {
                        var latency = _time.GetElapsedTime(chainStart);
                        var duration = _time.GetElapsedTime(attemptStart);
                        trace.AddAttempt(new RoutingAttempt(target.ProviderName, attemptRequest.Model, startedAt, duration, null));
                        AddRemaining(trace, i + 1, CandidateSkipReason.NotReached, false, facts);
                        update.ProviderName ??= target.ProviderName;
                        update.Trace = trace;
                        update.Latency = latency;
                        update.TimeToFirstToken = timeToFirstUpdate ?? latency;
                        target.Latencies.Record(timeToFirstUpdate ?? duration);
                        long output = update.Usage?.OutputTokenCount ?? 0;
                        long total = (update.Usage?.InputTokenCount ?? 0) + output;
                        resilience?.ReportUsage(total, estimatedTokens);
                        info?.OnAttemptCompleted(_time.GetUtcNow(), true, timeToFirstUpdate, duration, output, total);
                        completed = true;
                        telemetry?.Succeeded(duration, update.Model, update.Usage, update.Cost, update.FinishReason, update.ResponseId, null,
                            _telemetry!.EnableSensitiveData ? partial?.ToString() + update.Text : null);
                        if (resume is not null && resume.TryCompleteShort(out var restart))
                        {
                            yield return restart!;
                        }

                        if (!accounted)
                        {
                            accounted = true;
                            await costs!.CompleteAsync(reservation, CostAccounting.CreateRecord(
                                startedAt, target.ProviderName, provider.Kind, update.Model ?? attemptRequest.Model, Name, update.Usage, update.Cost,
                                duration, timeToFirstUpdate, null, update.FromCache, request.Tags)).ConfigureAwait(false);
                        }

                        yield return update;
                        yield break;
                    }

                    if (timeToFirstUpdate is null)
                    {
                        timeToFirstUpdate = _time.GetElapsedTime(chainStart);
                        telemetry?.FirstChunk(_time.GetElapsedTime(attemptStart));
                    }

                    if (resume is not null && resume.Filter(update) is null)
                    {
                        continue; // the caller already has this part of the answer (Restart)
                    }

                    if (update.RestartsAnswer)
                    {
                        callerText?.Clear();
                    }

                    if (!string.IsNullOrEmpty(update.Text))
                    {
                        (partial ??= new StringBuilder()).Append(update.Text);
                        (callerText ??= new StringBuilder()).Append(update.Text);
                    }

                    delivered++;
                    deliveredTotal++;
                    yield return update;
                }
            }
            finally
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }

                HealthRecorder?.Record(target.ProviderName, completed, error, _time.GetElapsedTime(attemptStart));
                if (!completed)
                {
                    completed = true;
                    info?.OnAttemptCompleted(_time.GetUtcNow(), error is null, timeToFirstUpdate, _time.GetElapsedTime(attemptStart), 0, 0);
                }

                telemetry?.Failed(_time.GetElapsedTime(attemptStart), error); // no-op after success; else failed, cancelled or abandoned

                if (!accounted)
                {
                    // A failure (error is set), the caller's cancellation, or the caller stopping the enumeration early: the
                    // reservation is settled and the attempt recorded exactly once.
                    accounted = true;
                    await CompleteFailedAsync(costs, reservation, startedAt, target, provider, attemptRequest, attemptStart, error, request.Tags, timeToFirstUpdate).ConfigureAwait(false);
                }
            }

            trace.AddAttempt(new RoutingAttempt(target.ProviderName, attemptRequest.Model, startedAt, _time.GetElapsedTime(attemptStart), error));
            if (deliveredTotal > 0)
            {
                // RT6: updates already reached the caller, so a silent switch would duplicate or garble the answer. The
                // request's StreamInterruptionPolicy decides: Fail throws with the partial text; Restart and Continue go on to
                // the next target (see StreamResume) when the error may fail over; none left → the same typed interruption.
                cancellationToken.ThrowIfCancellationRequested();
                RoutingLog.StreamInterrupted(_logger, Name, target.ProviderName, error!.Kind, deliveredTotal);
                interruption = error;
                interruptedProvider = target.ProviderName;
                if (request.StreamInterruption == StreamInterruptionPolicy.Fail || !allowFallback || !FailoverPolicy.ShouldFailOver(error, _failoverOnContentFilter))
                {
                    AddRemaining(trace, i + 1, CandidateSkipReason.NotReached, false, facts);
                    throw Interrupted(interruptedProvider, attemptRequest.Model, error, callerText, deliveredTotal);
                }

                (errors ??= new List<LlmProviderException>()).Add(error);
                resume = new StreamResume(request.StreamInterruption, callerText?.ToString() ?? string.Empty);
                call?.Failover(target.ProviderName, error);
                continue;
            }

            NoteOverflow(facts, provider, attemptRequest.Model, error!);
            errors = OnAttemptFailed(trace, i, target, error!, allowFallback, errors, cancellationToken, false, facts);
        }

        if (interruption is not null)
        {
            throw RouterCall.Failing(call, Interrupted(interruptedProvider!, request.Model, errors is { Count: > 0 } ? errors[^1] : interruption, callerText, deliveredTotal));
        }

        throw RouterCall.Failing(call, CreateFailure(trace, errors, request.Model, refusal));
        }
        finally
        {
            call?.End(trace);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Tries, in order, the targets whose provider implements <see cref="IEmbeddingProvider"/> and declares
    /// <see cref="LlmCapabilities.Embeddings"/> (the others are skipped as <see cref="CandidateSkipReason.MissingCapability"/>),
    /// with the chat failover rules. A target's <see cref="ChainTarget.Model"/> is a chat model and is not applied: the request's
    /// model, or each provider's default embedding model, is used.
    /// </remarks>
    public async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        Http.EmbeddingWire.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        long chainStart = _time.GetTimestamp();
        var trace = new RoutingTrace(Name);
        List<LlmProviderException>? errors = null;
        BudgetReservation? refusal = null;
        var call = _telemetry?.StartCall(Name, TelemetryNames.Embeddings, null, request.Model);
        try
        {
        for (int i = 0; i < _targets.Length; i++)
        {
            var target = _targets[i];
            var embedder = SelectEmbeddingCandidate(target, request, trace);
            if (embedder is null)
            {
                continue;
            }

            // Embeddings reserve their estimate (inputs at the model's input price) under the budgets, like chat attempts.
            var costs = embedder is ILlmProvider accounted ? Accounting(accounted) : null;
            var reservation = BudgetReservation.Unbudgeted;
            if (costs is { HasBudgets: true })
            {
                reservation = await costs.ReserveAsync(target.ProviderName, (ILlmProvider)embedder, request, cancellationToken).ConfigureAwait(false);
                if (!reservation.IsGranted)
                {
                    refusal = OnEmbeddingBudgetRefused(trace, i, target, request, reservation);
                    continue;
                }
            }

            trace.AddCandidate(new RoutingCandidate(target.ProviderName, request.Model));

            var startedAt = _time.GetUtcNow();
            long attemptStart = trace.AttemptCount == 0 ? chainStart : _time.GetTimestamp();
            var telemetry = call is not null && embedder is ILlmProvider embeddingProvider ? call.StartAttempt(target.ProviderName, embeddingProvider, request.Model, null) : null;
            LlmProviderException error;
            try
            {
                var result = await embedder.EmbedAsync(request, cancellationToken).ConfigureAwait(false);
                long end = _time.GetTimestamp();
                telemetry?.Succeeded(_time.GetElapsedTime(attemptStart, end), result.Model, result.Usage, result.Cost, null, null);
                trace.AddAttempt(new RoutingAttempt(target.ProviderName, result.Model ?? request.Model, startedAt, _time.GetElapsedTime(attemptStart, end), null));
                HealthRecorder?.Record(target.ProviderName, null, _time.GetElapsedTime(attemptStart, end));
                AddRemaining(trace, i + 1, CandidateSkipReason.NotReached, embeddings: true);
                result.ProviderName ??= target.ProviderName;
                result.Trace = trace;
                result.Latency = _time.GetElapsedTime(chainStart, end);
                if (costs is not null)
                {
                    // Recorded like chat calls, and the reservation settles to the real cost.
                    await costs.CompleteAsync(reservation, CostAccounting.CreateRecord(
                        startedAt, target.ProviderName, ((ILlmProvider)embedder).Kind, result.Model ?? request.Model, Name, result.Usage, result.Cost,
                        _time.GetElapsedTime(attemptStart, end), null, null, false, null)).ConfigureAwait(false);
                }

                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                telemetry?.Failed(_time.GetElapsedTime(attemptStart), null);
                await ReleaseEmbeddingAsync(costs, reservation, target, embedder, request.Model, null).ConfigureAwait(false);
                throw; // The caller cancelled: never a failover.
            }
            catch (LlmProviderException ex)
            {
                error = ex;
            }
            catch (OperationCanceledException ex)
            {
                error = CancelledWithoutCaller(target, request.Model, ex);
            }
            catch (Exception) when (EndAttempt(telemetry, attemptStart, null))
            {
                throw; // never reached: the filter ends the attempt's span on an unexpected exception
            }

            await ReleaseEmbeddingAsync(costs, reservation, target, embedder, request.Model, error).ConfigureAwait(false);
            telemetry?.Failed(_time.GetElapsedTime(attemptStart), error);
            trace.AddAttempt(new RoutingAttempt(target.ProviderName, request.Model, startedAt, _time.GetElapsedTime(attemptStart), error));
            HealthRecorder?.Record(target.ProviderName, error, _time.GetElapsedTime(attemptStart));
            errors = OnAttemptFailed(trace, i, target, error, _enableFallback, errors, cancellationToken, embeddings: true, call: call);
        }

        throw CreateFailure(trace, errors, request.Model, refusal, embeddings: true);
        }
        catch (Exception ex) when (call is not null && call.Fail(ex))
        {
            throw; // never reached: the filter only notes the failure for the router span
        }
        finally
        {
            call?.End(trace);
        }
    }

    // Ends an attempt's telemetry from an exception filter (always false: the exception goes on). Used when the attempt ends
    // in a way the normal path does not see (the caller's cancellation of an embedding, an unexpected exception).
    private bool EndAttempt(AttemptTelemetry? telemetry, long attemptStart, LlmProviderException? error)
    {
        telemetry?.Failed(_time.GetElapsedTime(attemptStart), error);
        return false;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = new List<LlmModelInfo>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in _targets)
        {
            var provider = target.Resolve(_resolve);
            if (provider is null)
            {
                continue;
            }

            if (target.Model is not null)
            {
                if (seen.Add(target.Model))
                {
                    models.Add(new LlmModelInfo(target.Model));
                }

                continue;
            }

            IReadOnlyList<LlmModelInfo> listed;
            try
            {
                listed = await provider.ListModelsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (LlmProviderException)
            {
                continue; // A target that cannot list its models now is left out; the others still answer.
            }

            foreach (var model in listed)
            {
                if (seen.Add(model.Id))
                {
                    models.Add(model);
                }
            }
        }

        return models;
    }

    /// <inheritdoc />
    public async Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var checkedAt = _time.GetUtcNow();
        long start = _time.GetTimestamp();
        int healthy = 0;
        int total = 0;
        StringBuilder? problems = null;
        foreach (var target in _targets)
        {
            total++;
            var provider = target.Resolve(_resolve);
            LlmHealthStatus status;
            if (provider is null)
            {
                status = LlmHealthStatus.Unhealthy;
            }
            else
            {
                try
                {
                    status = (await provider.CheckHealthAsync(cancellationToken).ConfigureAwait(false)).Status;
                }
                catch (LlmProviderException)
                {
                    status = LlmHealthStatus.Unhealthy;
                }
            }

            if (status == LlmHealthStatus.Healthy)
            {
                healthy++;
            }
            else
            {
                problems = (problems is null ? new StringBuilder() : problems.Append(", "))
                    .Append(target.ProviderName).Append(' ').Append(provider is null ? "not registered" : status.ToString());
            }
        }

        var overall = total > 0 && healthy == total ? LlmHealthStatus.Healthy : healthy > 0 ? LlmHealthStatus.Degraded : LlmHealthStatus.Unhealthy;
        string message = overall == LlmHealthStatus.Healthy
            ? $"All {total} targets are healthy."
            : $"{healthy} of {total} targets are healthy{(problems is null ? "." : ": " + problems + ".")}";
        return new ProviderHealthResult(Name, overall, checkedAt, _time.GetElapsedTime(start), message);
    }

    /// <summary>
    /// Decides whether <paramref name="target"/> may be tried and returns its provider, or <see langword="null"/> when it is
    /// skipped (recorded in the trace with the reason). Filters (RT4) go here; the caller records an accepted candidate.
    /// </summary>
    private ILlmProvider? SelectCandidate(Target target, ChatRequest request, RoutingTrace trace, LlmCapabilities required, CallFacts facts)
    {
        string? model = target.Model ?? request.Model;
        var provider = target.Resolve(_resolve);
        if (provider is null)
        {
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, CandidateSkipReason.NotRegistered, $"No provider named '{target.ProviderName}' is registered."));
            RoutingLog.TargetNotRegistered(_logger, Name, target.ProviderName);
            return null;
        }

        if (request.PinnedProvider is { } pinned && !string.Equals(pinned, target.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, CandidateSkipReason.NotPinned, $"The request is pinned to '{pinned}'."));
            return null;
        }

        if (_localOnly && !provider.IsLocal)
        {
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, CandidateSkipReason.NotLocal, "The chain allows local providers only."));
            return null;
        }

        required |= request.RequiredCapabilities;
        if (required != LlmCapabilities.None && (provider.Capabilities & required) != required)
        {
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, CandidateSkipReason.MissingCapability, $"Lacks {required & ~provider.Capabilities}."));
            return null;
        }

        // Filters that need the catalog: context window, the request's max cost, max latency.
        if (_costs is not null && model is not null && !string.Equals(provider.Kind, LlmProviderKinds.Router, StringComparison.Ordinal) && FilterByCatalog(target, provider, model, request, trace, facts))
        {
            return null;
        }

        // Circuit state, rate-limit headroom and concurrency (RS2, RS3, RS5): checked without taking anything.
        if (ResilienceOf(provider) is { } resilience && !resilience.TryCheckAvailable(facts.EstimatedTokens(request), out var reason, out var detail))
        {
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, reason, detail));
            return null;
        }

        // The budget filter needs an await and runs in the caller, which also records the accepted candidate.
        return provider;
    }

    /// <summary>Applies the catalog-based filters; returns <see langword="true"/> when the target is skipped (recorded in the trace).</summary>
    private bool FilterByCatalog(Target target, ILlmProvider provider, string model, ChatRequest request, RoutingTrace trace, CallFacts facts)
    {
        var costs = _costs!;
        var entry = costs.Calculator.Catalog.Find(provider.Kind, model);
        if (entry?.ContextWindow is int window)
        {
            if (facts.OverflowedWindow is int overflowed && window <= overflowed)
            {
                trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, CandidateSkipReason.ContextTooSmall,
                    $"Its {window:N0}-token window is not larger than the {overflowed:N0} tokens that were already too small."));
                return true;
            }

            long output = request.MaxOutputTokens ?? target.MaxOutputTokens ?? 0;
            long needed = facts.PromptTokens(request) + output;
            if (needed > window)
            {
                trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, CandidateSkipReason.ContextTooSmall,
                    $"About {needed:N0} tokens (prompt estimate + max output) exceed its {window:N0}-token window."));
                return true;
            }
        }

        if (request.MaxCost is decimal maxCost)
        {
            var attempt = target.Apply(request);
            decimal? worst = costs.EstimateWorstCase(target.ProviderName, provider, attempt);
            if (worst is null || worst > maxCost)
            {
                trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, CandidateSkipReason.OverBudget, worst is null
                    ? $"Its price is unknown, so the request's MaxCost of {maxCost:0.######} USD cannot be guaranteed."
                    : $"Its worst case, {worst:0.######} USD, is above the request's MaxCost of {maxCost:0.######} USD."));
                return true;
            }
        }

        if ((request.MaxLatency ?? _maxLatency) is TimeSpan maxLatency && entry?.TypicalLatency is TimeSpan typical && typical > maxLatency)
        {
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, model, CandidateSkipReason.TooSlow,
                $"Its typical latency, {typical.TotalMilliseconds:N0} ms, is above the {maxLatency.TotalMilliseconds:N0} ms allowed."));
            return true;
        }

        return false;
    }

    /// <summary>
    /// Like <see cref="SelectCandidate"/> for embeddings: the target's provider must implement <see cref="IEmbeddingProvider"/> and
    /// declare <see cref="LlmCapabilities.Embeddings"/>. The caller records the tried candidate once its budget is reserved.
    /// </summary>
    private IEmbeddingProvider? SelectEmbeddingCandidate(Target target, EmbeddingRequest request, RoutingTrace trace)
    {
        var provider = target.Resolve(_resolve);
        if (provider is null)
        {
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, request.Model, CandidateSkipReason.NotRegistered, $"No provider named '{target.ProviderName}' is registered."));
            RoutingLog.TargetNotRegistered(_logger, Name, target.ProviderName);
            return null;
        }

        if (provider is not IEmbeddingProvider embedder || (provider.Capabilities & LlmCapabilities.Embeddings) == 0)
        {
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, request.Model, CandidateSkipReason.MissingCapability, $"Lacks {LlmCapabilities.Embeddings}."));
            return null;
        }

        return embedder;
    }

    /// <summary>Applies the failover policy to a failed attempt: returns the errors so far to go on, or throws.</summary>
    private List<LlmProviderException> OnAttemptFailed(RoutingTrace trace, int index, Target target, LlmProviderException error, bool allowFallback, List<LlmProviderException>? errors, CancellationToken cancellationToken, bool embeddings = false, CallFacts? facts = null, RouterCall? call = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool failOver = FailoverPolicy.ShouldFailOver(error, _failoverOnContentFilter);
        if (!failOver || !allowFallback)
        {
            // The error stops the chain: thrown as is (with its original stack trace).
            AddRemaining(trace, index + 1, failOver ? CandidateSkipReason.FallbackDisabled : CandidateSkipReason.NotReached, embeddings, facts);
            ExceptionDispatchInfo.Throw(error);
        }

        errors ??= new List<LlmProviderException>(_targets.Length - index);
        errors.Add(error);
        if (index + 1 < _targets.Length)
        {
            RoutingLog.FailingOver(_logger, Name, target.ProviderName, error.Kind);
            (call ?? facts?.Telemetry)?.Failover(target.ProviderName, error);
        }

        return errors;
    }

    // Embeddings never apply a target's (chat) model, so their trace does not show it.
    private void AddRemaining(RoutingTrace trace, int from, CandidateSkipReason reason, bool embeddings = false, CallFacts? facts = null)
    {
        for (int k = from; k < _targets.Length; k++)
        {
            var target = _targets[facts is null ? k : facts.Order[k]];
            trace.AddCandidate(new RoutingCandidate(target.ProviderName, embeddings ? null : target.Model, reason));
        }
    }

    // RT5: after "context length exceeded", remember the window that overflowed so only larger ones are tried next.
    private void NoteOverflow(CallFacts facts, ILlmProvider provider, string? model, LlmProviderException error)
    {
        if (error.Kind == LlmErrorKind.ContextLengthExceeded && _costs is not null && model is not null &&
            _costs.Calculator.Catalog.Find(provider.Kind, model)?.ContextWindow is int window)
        {
            facts.OverflowedWindow = Math.Max(facts.OverflowedWindow ?? 0, window);
        }
    }

    private static StreamInterruptedException Interrupted(string providerName, string? model, LlmProviderException error, StringBuilder? callerText, int delivered) =>
        new($"The stream from '{providerName}' failed ({error.Kind}) after {delivered} updates had reached the caller, and the request's " +
            "StreamInterruption policy allowed no (further) resumption. PartialText holds what was received; retry the request, or set " +
            "StreamInterruption to Restart or Continue to let the router resume on the next target.",
            error)
        {
            ProviderName = providerName,
            Model = model,
            StatusCode = error.StatusCode,
            RequestId = error.RequestId,
            RetryAfter = error.RetryAfter,
            PartialText = callerText?.ToString() ?? string.Empty,
            UpdatesDelivered = delivered,
        };

    // A nested chain accounts for its own attempts: the outer chain must not reserve or record them a second time.
    private CostAccounting? Accounting(ILlmProvider provider) =>
        _costs is null || string.Equals(provider.Kind, LlmProviderKinds.Router, StringComparison.Ordinal) ? null : _costs;

    /// <summary>
    /// Records a target refused by a budget as skipped (<see cref="CandidateSkipReason.OverBudget"/>). A blocking budget refuses
    /// the whole call at once; a re-routing one lets the chain try the next target. Returns the refusal for the final error.
    /// </summary>
    private BudgetReservation OnBudgetRefused(RoutingTrace trace, int index, Target target, ChatRequest attemptRequest, BudgetReservation refusal, CallFacts facts)
    {
        trace.AddCandidate(new RoutingCandidate(
            target.ProviderName, attemptRequest.Model, CandidateSkipReason.OverBudget,
            $"Budget '{refusal.RefusedBy}': {refusal.Spent:0.######} of {refusal.Limit:0.######} USD spent or reserved; the worst case does not fit."));
        if (refusal.Action == BudgetLimitAction.Block)
        {
            AddRemaining(trace, index + 1, CandidateSkipReason.NotReached, false, facts);
            RoutingLog.BudgetRefused(_logger, Name, refusal.RefusedBy ?? string.Empty);
            throw refusal.CreateException(target.ProviderName, attemptRequest.Model);
        }

        return refusal;
    }

    /// <summary>Like <see cref="OnBudgetRefused"/> for an embedding attempt: a blocking budget refuses the call, a re-routing one skips the target.</summary>
    private BudgetReservation OnEmbeddingBudgetRefused(RoutingTrace trace, int index, Target target, EmbeddingRequest request, BudgetReservation refusal)
    {
        trace.AddCandidate(new RoutingCandidate(
            target.ProviderName, request.Model, CandidateSkipReason.OverBudget,
            $"Budget '{refusal.RefusedBy}': {refusal.Spent:0.######} of {refusal.Limit:0.######} USD spent or reserved; the estimate does not fit."));
        if (refusal.Action == BudgetLimitAction.Block)
        {
            AddRemaining(trace, index + 1, CandidateSkipReason.NotReached, embeddings: true);
            RoutingLog.BudgetRefused(_logger, Name, refusal.RefusedBy ?? string.Empty);
            throw refusal.CreateException(target.ProviderName, request.Model);
        }

        return refusal;
    }

    /// <summary>
    /// Settles the reservation of a failed or cancelled embedding attempt (to the usage it reported, else 0). Failed embedding
    /// attempts are not recorded in the cost tracker (as before); only the budgets are settled.
    /// </summary>
    private static ValueTask ReleaseEmbeddingAsync(CostAccounting? costs, BudgetReservation reservation, Target target, IEmbeddingProvider embedder, string? model, LlmProviderException? error)
    {
        if (costs is null || ReferenceEquals(reservation, BudgetReservation.Unbudgeted) || !reservation.IsGranted)
        {
            return default;
        }

        return costs.SettleAsync(reservation, error is null ? 0m : costs.PriceFailure(target.ProviderName, (ILlmProvider)embedder, model, error));
    }

    /// <summary>Settles and records a failed or cancelled attempt (<paramref name="error"/> null: the caller cancelled or stopped reading).</summary>
    private ValueTask CompleteFailedAsync(
        CostAccounting? costs, BudgetReservation reservation, DateTimeOffset startedAt, Target target, ILlmProvider provider, ChatRequest attemptRequest,
        long attemptStart, LlmProviderException? error, IDictionary<string, string>? tags, TimeSpan? timeToFirstToken = null)
    {
        if (costs is null)
        {
            return default;
        }

        decimal? cost = error is null ? 0m : costs.PriceFailure(target.ProviderName, provider, attemptRequest.Model, error);
        return costs.CompleteAsync(reservation, CostAccounting.CreateRecord(
            startedAt, target.ProviderName, provider.Kind, attemptRequest.Model, Name, error?.Usage, cost, _time.GetElapsedTime(attemptStart),
            timeToFirstToken, error?.Kind ?? LlmErrorKind.Cancelled, false, tags));
    }

    private static ProviderTimeoutException CancelledWithoutCaller(Target target, string? model, OperationCanceledException ex) =>
        new($"'{target.ProviderName}' cancelled the call although the caller did not (an internal timeout such as HttpClient.Timeout); treated as a timeout.", ex)
        {
            ProviderName = target.ProviderName,
            Model = model,
            IsTransient = true,
        };

    private LlmProviderException CreateFailure(RoutingTrace trace, List<LlmProviderException>? errors, string? model, BudgetReservation? refusal = null, bool embeddings = false)
    {
        if (errors is null && refusal is not null)
        {
            // Every target that could run was over a re-routing budget: the call is refused by the last budget that said no.
            var exceeded = refusal.CreateException(Name, model);
            RoutingLog.BudgetRefused(_logger, Name, exceeded.BudgetName ?? string.Empty);
            return exceeded;
        }

        if (errors is null)
        {
            return new NoProviderAvailableException(DescribeNoProvider(trace, embeddings))
            {
                ProviderName = Name,
                Model = model,
                Trace = trace,
            };
        }

        RoutingLog.AllFailed(_logger, Name, errors.Count);
        bool transient = true;
        bool everyRetryAfter = true;
        TimeSpan? retryAfter = null;
        foreach (var e in errors)
        {
            transient &= e.IsTransient;
            if (e.RetryAfter is { } wait)
            {
                retryAfter = retryAfter is null || wait < retryAfter ? wait : retryAfter;
            }
            else
            {
                everyRetryAfter = false;
            }
        }

        return new AllProvidersFailedException(DescribeAllFailed(trace, errors.Count), errors[^1])
        {
            ProviderName = Name,
            Model = model,
            Errors = errors,
            Trace = trace,
            IsTransient = transient,
            RetryAfter = everyRetryAfter ? retryAfter : null,
        };
    }

    private string DescribeAllFailed(RoutingTrace trace, int count)
    {
        var sb = new StringBuilder();
        sb.Append("All ").Append(count).Append(count == 1 ? " attempt" : " attempts").Append(" of chain '").Append(Name).Append("' failed: ");
        bool first = true;
        foreach (var attempt in trace.Attempts)
        {
            if (attempt.Error is not { } error)
            {
                continue;
            }

            sb.Append(first ? string.Empty : "; ").Append(attempt.ProviderName).Append('/').Append(attempt.Model ?? "default")
              .Append(": ").Append(error.Kind);
            if (error.StatusCode is { } status)
            {
                sb.Append(" (HTTP ").Append((int)status).Append(')');
            }

            first = false;
        }

        AppendSkipped(sb, trace, ". Skipped: ");
        sb.Append(". Errors holds each failure in order and Trace the decision trace; check those providers, or add another target to the chain.");
        return sb.ToString();
    }

    private string DescribeNoProvider(RoutingTrace trace, bool embeddings)
    {
        if (_targets.Length == 0)
        {
            return $"Chain '{Name}' has no targets. Register a provider (e.g. services.AddLlmProviders(b => b.AddSimulated())) or add targets to the chain.";
        }

        var sb = new StringBuilder();
        sb.Append("Chain '").Append(Name).Append("' could not try any of its ").Append(_targets.Length).Append(" targets");
        AppendSkipped(sb, trace, ": ");
        sb.Append(embeddings
            ? ". Embeddings need a target that offers them (OpenAI, Azure OpenAI, Gemini, Ollama, Mistral, an OpenAI-compatible endpoint): add one to the chain."
            : ". Register the providers the chain names, or relax the request's requirements (RequiredCapabilities).");
        return sb.ToString();
    }

    private static void AppendSkipped(StringBuilder sb, RoutingTrace trace, string prefix)
    {
        bool first = true;
        foreach (var candidate in trace.Candidates)
        {
            if (!candidate.WasSkipped || candidate.SkipReason is CandidateSkipReason.NotReached or CandidateSkipReason.FallbackDisabled)
            {
                continue;
            }

            sb.Append(first ? prefix : ", ").Append(candidate.ProviderName)
              .Append(" (").Append(candidate.SkipReason);
            if (candidate.Detail is not null)
            {
                sb.Append(": ").Append(candidate.Detail);
            }

            sb.Append(')');
            first = false;
        }
    }

    private int ComputeTraits()
    {
        var caps = LlmCapabilities.None;
        bool allLocal = true;
        int found = 0;
        foreach (var target in _targets)
        {
            var provider = target.Resolve(_resolve);
            if (provider is null)
            {
                continue;
            }

            found++;
            caps |= provider.Capabilities;
            allLocal &= provider.IsLocal;
        }

        Volatile.Write(ref _isLocal, found > 0 && allLocal ? 1 : 0);
        Volatile.Write(ref _capabilities, (int)caps);
        return (int)caps;
    }

    /// <summary>One chat attempt: what it calls, and how it ended. Reused by the next call (see <see cref="CallFacts.NewAttempt"/>).</summary>
    private sealed class ChatAttempt
    {
        public int Index { get; private set; }

        public Target Target { get; private set; } = null!;

        public ILlmProvider Provider { get; private set; } = null!;

        public ChatRequest Request { get; private set; } = null!;

        public CostAccounting? Costs { get; private set; }

        public BudgetReservation Reservation { get; private set; } = null!;

        public DateTimeOffset StartedAt { get; private set; }

        public long Start { get; private set; }

        public ChatResult? Result { get; set; }

        public LlmProviderException? Error { get; set; }

        public TimeSpan Duration { get; set; }

        public bool CallerCancelled { get; set; }

        public bool Hedged { get; set; }

        public TargetResilience? Resilience { get; set; }

        public RoutingTargetInfo? Info { get; set; }

        public int EstimatedTokens { get; set; }

        public RequestPriority Priority { get; set; }

        public RouterCall? Call { get; set; }

        /// <summary>Sets what the attempt calls and forgets how a previous use ended.</summary>
        public void Begin(int index, Target target, ILlmProvider provider, ChatRequest request, CostAccounting? costs, BudgetReservation reservation, DateTimeOffset startedAt, long start)
        {
            Index = index;
            Target = target;
            Provider = provider;
            Request = request;
            Costs = costs;
            Reservation = reservation;
            StartedAt = startedAt;
            Start = start;
            Result = null;
            Error = null;
            Duration = TimeSpan.Zero;
            CallerCancelled = false;
            Hedged = false;
            Resilience = null;
            Info = null;
            EstimatedTokens = 0;
            Priority = default;
            Call = null;
        }

        /// <summary>Drops every reference (the request, the result, the provider), so a spare attempt keeps nothing alive.</summary>
        public void Clear()
        {
            Target = null!;
            Provider = null!;
            Request = null!;
            Costs = null;
            Reservation = null!;
            Result = null;
            Error = null;
            Resilience = null;
            Info = null;
            Call = null;
        }

        public Task<ChatResult> CallAsync(CancellationToken cancellationToken) => Provider.ChatAsync(Request, cancellationToken);

        public RoutingAttempt ToTrace(TimeProvider time, bool abandoned) =>
            new(Target.ProviderName, Request.Model, StartedAt, Duration == TimeSpan.Zero ? time.GetElapsedTime(Start) : Duration, abandoned ? null : Error)
            {
                Hedged = Hedged,
                Abandoned = abandoned,
            };
    }

    /// <summary>What one call learns as it goes: the prompt estimate (computed once, when a filter needs it) and, after a
    /// context-length failure, the window that was too small (RT5: only larger windows are tried next).</summary>
    private sealed class CallFacts
    {
        private long _promptTokens;

        public int? OverflowedWindow;

        public BudgetReservation? Refusal;

        /// <summary>The targets' indexes in the order the strategy chose (rented; identity for embeddings).</summary>
        public int[] Order = [];

        /// <summary>The chain's long-lived target statistics, when a strategy or statistics are in use.</summary>
        public RoutingTargetInfo[]? Infos;

        /// <summary>The call's telemetry; <see langword="null"/> when nobody listens.</summary>
        public RouterCall? Telemetry;

        private bool _rented;

        // The call's first attempt, kept with the facts so that a reused CallFacts brings it along (most calls make one attempt).
        private ChatAttempt? _firstAttempt;
        private bool _firstAttemptTaken;

        /// <summary>Returns an attempt to <see cref="ChatAttempt.Begin"/>: the spare one for the call's first attempt, else a new one.</summary>
        public ChatAttempt NewAttempt()
        {
            if (_firstAttemptTaken)
            {
                return new ChatAttempt();
            }

            _firstAttemptTaken = true;
            return _firstAttempt ??= new ChatAttempt();
        }

        /// <summary>Forgets the call (only once every attempt of it has ended), so the next call can reuse this instance.</summary>
        public void Clear()
        {
            _promptTokens = 0;
            OverflowedWindow = null;
            Refusal = null;
            Order = [];
            Infos = null;
            Telemetry = null;
            _rented = false;
            _firstAttempt?.Clear();
            _firstAttemptTaken = false;
        }

        public int EstimatedTokens(ChatRequest request) =>
            (int)Math.Min(int.MaxValue, PromptTokens(request) + (request.MaxOutputTokens ?? 0));

        public void CreateOrder(int count, bool rent)
        {
            Order = rent ? ArrayPool<int>.Shared.Rent(Math.Max(count, 1)) : new int[count];
            _rented = rent;
            for (int i = 0; i < count; i++)
            {
                Order[i] = i;
            }
        }

        public void ReturnOrder()
        {
            if (_rented)
            {
                _rented = false;
                ArrayPool<int>.Shared.Return(Order);
                Order = [];
            }
        }

        public long PromptTokens(ChatRequest request) =>
            _promptTokens > 0 ? _promptTokens : _promptTokens = PromptTokenEstimator.Estimate(request);
    }

    /// <summary>A target as the chain uses it: immutable configuration plus the provider, resolved once.</summary>
    private sealed class Target(string providerName, string? model, int? maxOutputTokens, int priority, double weight)
    {
        public string ProviderName { get; } = providerName;

        public string? Model { get; } = model;

        public int? MaxOutputTokens { get; } = maxOutputTokens;

        /// <summary>Gets the target's recent answer times (non-streaming) and times to first update (streaming), for hedging.</summary>
        public LatencyWindow Latencies { get; } = new();

        public int Priority { get; } = priority;

        public double Weight { get; } = weight;

        // The trace entry of this target when it is tried: immutable, so every call that tries it with the same model shares it.
        private RoutingCandidate? _accepted;

        /// <summary>Gets the candidate that records this target as tried with <paramref name="model"/>.</summary>
        public RoutingCandidate Accepted(string? model)
        {
            var accepted = Volatile.Read(ref _accepted);
            if (accepted is null || !string.Equals(accepted.Model, model, StringComparison.Ordinal))
            {
                accepted = new RoutingCandidate(ProviderName, model);
                Volatile.Write(ref _accepted, accepted);
            }

            return accepted;
        }

        // Resolved on every attempt (the provider registry's lookup is lock-free and allocation-free), so a provider removed or
        // added at run time is seen by the next call.
        public ILlmProvider? Resolve(Func<string, ILlmProvider?> resolve) => resolve(ProviderName);

        /// <summary>The request as this target sends it: same instance when nothing changes, a copy otherwise (never mutated).</summary>
        public ChatRequest Apply(ChatRequest request)
        {
            var result = request.WithModel(Model);
            if (MaxOutputTokens is int cap && (result.MaxOutputTokens is not int asked || asked > cap))
            {
                result = result.Clone();
                result.MaxOutputTokens = cap;
            }

            return result;
        }
    }
}
