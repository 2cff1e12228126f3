using System;
using System.Collections.Generic;
using System.Text;

namespace LlmProviders;

/// <summary>Why a routing candidate was not tried.</summary>
public enum CandidateSkipReason
{
    /// <summary>It was tried (not skipped).</summary>
    None = 0,

    /// <summary>No provider with that name is registered.</summary>
    NotRegistered,

    /// <summary>The provider is disabled.</summary>
    Disabled,

    /// <summary>Its circuit breaker is open.</summary>
    CircuitOpen,

    /// <summary>It has no rate-limit headroom.</summary>
    RateLimited,

    /// <summary>A budget, or the request's maximum cost, does not allow it.</summary>
    OverBudget,

    /// <summary>It lacks a capability the request needs.</summary>
    MissingCapability,

    /// <summary>Its context window is too small for the prompt plus the requested output.</summary>
    ContextTooSmall,

    /// <summary>It is known to be slower than the request's maximum latency.</summary>
    TooSlow,

    /// <summary>The request is pinned to another provider.</summary>
    NotPinned,

    /// <summary>The request (or configuration) wants local providers only.</summary>
    NotLocal,

    /// <summary>Fallback is disabled and an earlier target was already tried.</summary>
    FallbackDisabled,

    /// <summary>An earlier target answered, or the call ended, before it was reached.</summary>
    NotReached,

    /// <summary>Another reason, described in <see cref="RoutingCandidate.Detail"/>.</summary>
    Other,
}

/// <summary>One candidate the router considered.</summary>
public sealed class RoutingCandidate
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="model">The model the target asks for, or <see langword="null"/> for the request's or the provider's default.</param>
    /// <param name="skipReason">Why it was skipped, or <see cref="CandidateSkipReason.None"/> when it was tried.</param>
    /// <param name="detail">The reason in words.</param>
    public RoutingCandidate(string providerName, string? model, CandidateSkipReason skipReason = CandidateSkipReason.None, string? detail = null)
    {
        ProviderName = providerName;
        Model = model;
        SkipReason = skipReason;
        Detail = detail;
    }

    /// <summary>Gets the provider's registration name.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the model the target asks for.</summary>
    public string? Model { get; }

    /// <summary>Gets why the candidate was skipped, or <see cref="CandidateSkipReason.None"/> when it was tried.</summary>
    public CandidateSkipReason SkipReason { get; internal set; }

    /// <summary>Gets the reason in words.</summary>
    public string? Detail { get; internal set; }

    /// <summary>Gets a value indicating whether the candidate was skipped.</summary>
    public bool WasSkipped => SkipReason != CandidateSkipReason.None;

    /// <inheritdoc />
    public override string ToString() => WasSkipped
        ? $"{ProviderName}/{Model ?? "default"}: skipped ({SkipReason}{(Detail is null ? string.Empty : ": " + Detail)})"
        : $"{ProviderName}/{Model ?? "default"}: tried";
}

/// <summary>One attempt the router made.</summary>
public sealed class RoutingAttempt
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="model">The model asked for.</param>
    /// <param name="startedAt">When the attempt started.</param>
    /// <param name="duration">How long it took.</param>
    /// <param name="error">The failure, or <see langword="null"/> when it succeeded.</param>
    public RoutingAttempt(string providerName, string? model, DateTimeOffset startedAt, TimeSpan duration, LlmProviderException? error)
    {
        ProviderName = providerName;
        Model = model;
        StartedAt = startedAt;
        Duration = duration;
        Error = error;
    }

    /// <summary>Gets the provider's registration name.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the model asked for.</summary>
    public string? Model { get; }

    /// <summary>Gets when the attempt started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets how long the attempt took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets the failure, or <see langword="null"/> when the attempt succeeded.</summary>
    public LlmProviderException? Error { get; }

    /// <summary>Gets a value indicating whether the attempt was started by hedging, because an earlier one was slow to answer (SPEC RT7).</summary>
    public bool Hedged { get; init; }

    /// <summary>Gets a value indicating whether the attempt was cancelled because a hedged attempt running beside it answered first.</summary>
    public bool Abandoned { get; init; }

    /// <summary>Gets a value indicating whether the attempt succeeded.</summary>
    public bool Succeeded => Error is null && !Abandoned;

    /// <inheritdoc />
    public override string ToString() => Abandoned
        ? $"{ProviderName}/{Model ?? "default"}: abandoned after {Duration.TotalMilliseconds:0} ms, another hedged attempt answered first"
        : Succeeded
        ? $"{ProviderName}/{Model ?? "default"}: ok in {Duration.TotalMilliseconds:0} ms"
        : $"{ProviderName}/{Model ?? "default"}: {Error!.Kind} in {Duration.TotalMilliseconds:0} ms — {Error.Message}";
}

/// <summary>
/// The router's decision trace for one call: which route and strategy, every candidate considered (and why any was
/// skipped), and every attempt with its error and duration.
/// </summary>
public sealed class RoutingTrace
{
    private readonly List<RoutingCandidate> _candidates;
    private readonly List<RoutingAttempt> _attempts;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="routeName">The route (or chain) name.</param>
    /// <param name="strategy">The strategy that ordered the candidates.</param>
    public RoutingTrace(string? routeName, string? strategy = null)
    {
        RouteName = routeName;
        Strategy = strategy;
        _candidates = [];
        _attempts = [];
    }

    /// <summary>Initializes a new instance sized for a chain: one candidate per target, usually one attempt.</summary>
    /// <param name="routeName">The route (or chain) name.</param>
    /// <param name="candidates">The expected number of candidates.</param>
    /// <param name="attempts">The expected number of attempts.</param>
    internal RoutingTrace(string? routeName, int candidates, int attempts)
    {
        RouteName = routeName;
        _candidates = new List<RoutingCandidate>(candidates);
        _attempts = new List<RoutingAttempt>(attempts);
    }

    /// <summary>Gets the route (or chain) name.</summary>
    public string? RouteName { get; }

    /// <summary>Gets the strategy that ordered the candidates.</summary>
    public string? Strategy { get; }

    /// <summary>Gets every candidate considered, in the order the strategy put them.</summary>
    public IReadOnlyList<RoutingCandidate> Candidates => _candidates;

    /// <summary>Gets every attempt, in order.</summary>
    public IReadOnlyList<RoutingAttempt> Attempts => _attempts;

    /// <summary>Adds a candidate.</summary>
    /// <param name="candidate">The candidate.</param>
    public void AddCandidate(RoutingCandidate candidate) => _candidates.Add(candidate ?? throw new ArgumentNullException(nameof(candidate)));

    /// <summary>Adds an attempt.</summary>
    /// <param name="attempt">The attempt.</param>
    public void AddAttempt(RoutingAttempt attempt) => _attempts.Add(attempt ?? throw new ArgumentNullException(nameof(attempt)));

    /// <summary>Describes the trace: the route and strategy, each skipped candidate with its reason, and each attempt with its outcome and duration (key-shaped text redacted).</summary>
    /// <returns>The description, one line per candidate or attempt.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("route ").Append(RouteName ?? "(default)");
        if (Strategy is not null)
        {
            sb.Append(" by ").Append(Strategy);
        }

        foreach (var c in _candidates)
        {
            if (c.WasSkipped)
            {
                sb.AppendLine().Append("  skip ").Append(c);
            }
        }

        foreach (var a in _attempts)
        {
            sb.AppendLine().Append("  try  ").Append(a);
        }

        // Errors built by the library are already redacted; one built elsewhere may not be.
        return Http.SecretRedactor.Redact(sb.ToString());
    }
}
