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
    // Most calls have one candidate and one attempt: the first of each is kept inline, the lists exist only when read.
    private readonly int _expectedCandidates;
    private Items<RoutingCandidate> _candidates;
    private Items<RoutingAttempt> _attempts;
    private CandidateList? _candidateList;
    private AttemptList? _attemptList;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="routeName">The route (or chain) name.</param>
    /// <param name="strategy">The strategy that ordered the candidates.</param>
    public RoutingTrace(string? routeName, string? strategy = null)
    {
        RouteName = routeName;
        Strategy = strategy;
    }

    /// <summary>Initializes a new instance sized for a chain: one candidate per target.</summary>
    /// <param name="routeName">The route (or chain) name.</param>
    /// <param name="expectedCandidates">The expected number of candidates.</param>
    internal RoutingTrace(string? routeName, int expectedCandidates)
    {
        RouteName = routeName;
        _expectedCandidates = expectedCandidates;
    }

    /// <summary>Gets the route (or chain) name.</summary>
    public string? RouteName { get; }

    /// <summary>Gets the strategy that ordered the candidates.</summary>
    public string? Strategy { get; }

    /// <summary>Gets every candidate considered, in the order the strategy put them.</summary>
    public IReadOnlyList<RoutingCandidate> Candidates => _candidateList ??= new CandidateList(this);

    /// <summary>Gets every attempt, in order.</summary>
    public IReadOnlyList<RoutingAttempt> Attempts => _attemptList ??= new AttemptList(this);

    /// <summary>Gets the number of attempts so far (without creating the <see cref="Attempts"/> list).</summary>
    internal int AttemptCount => _attempts.Count;

    /// <summary>Adds a candidate.</summary>
    /// <param name="candidate">The candidate.</param>
    public void AddCandidate(RoutingCandidate candidate) => _candidates.Add(candidate ?? throw new ArgumentNullException(nameof(candidate)), _expectedCandidates);

    /// <summary>Adds an attempt.</summary>
    /// <param name="attempt">The attempt.</param>
    public void AddAttempt(RoutingAttempt attempt) => _attempts.Add(attempt ?? throw new ArgumentNullException(nameof(attempt)), 0);

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

        for (int i = 0; i < _candidates.Count; i++)
        {
            var c = _candidates[i];
            if (c.WasSkipped)
            {
                sb.AppendLine().Append("  skip ").Append(c);
            }
        }

        for (int i = 0; i < _attempts.Count; i++)
        {
            sb.AppendLine().Append("  try  ").Append(_attempts[i]);
        }

        // Errors built by the library are already redacted; one built elsewhere may not be.
        return Http.SecretRedactor.Redact(sb.ToString());
    }

    /// <summary>The items of one kind: the first inline, the rest in a list created at the second.</summary>
    private struct Items<T>
        where T : class
    {
        private T? _first;
        private List<T>? _rest;

        public readonly int Count => _first is null ? 0 : 1 + (_rest?.Count ?? 0);

        public readonly T this[int index] => (uint)index >= (uint)Count
            ? throw new ArgumentOutOfRangeException(nameof(index))
            : index == 0 ? _first! : _rest![index - 1];

        public void Add(T item, int expected)
        {
            if (_first is null)
            {
                _first = item;
            }
            else
            {
                (_rest ??= new List<T>(Math.Max(expected - 1, 4))).Add(item);
            }
        }
    }

    /// <summary>A live, read-only view of the trace's items of one kind.</summary>
    private abstract class ItemList<T> : IReadOnlyList<T>
    {
        public abstract int Count { get; }

        public abstract T this[int index] { get; }

        public IEnumerator<T> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class CandidateList(RoutingTrace trace) : ItemList<RoutingCandidate>
    {
        public override int Count => trace._candidates.Count;

        public override RoutingCandidate this[int index] => trace._candidates[index];
    }

    private sealed class AttemptList(RoutingTrace trace) : ItemList<RoutingAttempt>
    {
        public override int Count => trace._attempts.Count;

        public override RoutingAttempt this[int index] => trace._attempts[index];
    }
}
