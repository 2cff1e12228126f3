using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace LlmProviders.Routing;

/// <summary>
/// The configuration of a fallback chain (named options; the name is the chain's): its targets, tried in order until one
/// answers, and when to fail over.
/// </summary>
public sealed class FallbackChainOptions
{
    /// <summary>Gets the targets, in the order they are tried.</summary>
    /// <value>The default value is an empty list, which validation rejects: a chain needs at least one target.</value>
    [ValidateEnumeratedItems]
    public IList<ChainTarget> Targets { get; } = new List<ChainTarget>();

    /// <summary>
    /// Gets or sets a value indicating whether the chain fails over to the next target when one fails.
    /// <see cref="ChatRequest.AllowFallback"/> overrides it per request. Without fallback, only the first target that can be
    /// tried is tried, and its failure is thrown as is.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableFallback { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a <see cref="ContentFilteredException"/> fails over to the next target
    /// (another provider may have a different filter) instead of being thrown.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: a filtered prompt or answer is thrown to the caller.</value>
    public bool FailoverOnContentFilter { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether targets that name a provider that is not registered are allowed: they are skipped
    /// at call time and the decision trace says so (<see cref="CandidateSkipReason.NotRegistered"/>). The predefined chains set it,
    /// since they name every provider they could use.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: validation at start rejects a target that names no registered provider.</value>
    public bool SkipUnregisteredTargets { get; set; }

    /// <summary>Gets or sets a value indicating whether only local providers (Ollama, vLLM, LocalAI) may be tried; the others are skipped as <see cref="CandidateSkipReason.NotLocal"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool LocalOnly { get; set; }

    /// <summary>
    /// Gets or sets the most a target may typically take (its catalog latency) to be tried; slower ones are skipped as
    /// <see cref="CandidateSkipReason.TooSlow"/>. <see cref="ChatRequest.MaxLatency"/> overrides it per request.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no limit); <c>LLM_MAX_LATENCY_MS</c> sets it for the default route.</value>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>
    /// Gets or sets the deadline of a whole call through the chain, every attempt and failover included. When it passes the call
    /// ends with a <see cref="ProviderTimeoutException"/> (never confused with the caller's cancellation).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: each target's own timeouts apply, and the caller's token.</value>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Gets or sets hedging (SPEC RT7): start the next target too when the first has not answered within a delay.</summary>
    /// <value>The default value is <see langword="null"/>: no hedging.</value>
    public ChainHedgingOptions? Hedging { get; set; }

    /// <summary>
    /// Gets or sets the strategy that orders the targets before each call (SPEC RT3). <see cref="CustomStrategy"/> wins when set;
    /// <c>LLM_ROUTING_STRATEGY</c> sets it for the default route.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: <c>LLM_ROUTING_STRATEGY</c> when set, else <see cref="RoutingStrategyKind.Priority"/>
    /// (targets by <see cref="ChainTarget.Priority"/>, then in configured order). <see cref="ChatRequest.RoutingStrategy"/> overrides it per request.
    /// </value>
    public RoutingStrategyKind? Strategy { get; set; }

    /// <summary>Gets or sets a strategy of your own (it wins over <see cref="Strategy"/>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IRoutingStrategy? CustomStrategy { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether local targets are tried before the others, whatever the strategy says
    /// (<c>LLM_PREFER_LOCAL</c> sets it for the default route).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool PreferLocal { get; set; }

    /// <summary>Adds a target at the end of the chain.</summary>
    /// <param name="providerName">The registration name of the provider or chain.</param>
    /// <param name="model">The model to ask for, or <see langword="null"/> to keep the request's.</param>
    /// <returns>These options, to chain calls.</returns>
    public FallbackChainOptions AddTarget(string providerName, string? model = null)
    {
        Targets.Add(new ChainTarget(providerName, model));
        return this;
    }
}

/// <summary>
/// Hedging of a chain (SPEC RT7, opt-in): when the first target has not answered (non-streaming) or produced its first update
/// (streaming) within <see cref="Delay"/> — or, with <see cref="UseObservedP95"/>, within its observed 95th percentile — the next
/// target is started too; the first to answer wins and the other is cancelled. Both attempts are recorded and charged.
/// </summary>
public sealed class ChainHedgingOptions
{
    /// <summary>Gets or sets the fixed delay before the next target is started.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets or sets a value indicating whether the delay is the first target's observed 95th percentile (of its answer time, or of
    /// its time to first update when streaming) once it has <see cref="MinSamples"/> samples; <see cref="Delay"/> until then.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseObservedP95 { get; set; }

    /// <summary>Gets or sets how many observations the 95th percentile needs before it replaces <see cref="Delay"/>.</summary>
    /// <value>The default value is 20.</value>
    public int MinSamples { get; set; } = 20;
}

/// <summary>Checks the data-annotation rules of <see cref="FallbackChainOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class FallbackChainOptionsAttributeValidator : IValidateOptions<FallbackChainOptions>
{
}
