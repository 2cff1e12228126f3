using System;
using System.Collections.Generic;
using LlmProviders.Costs;

namespace LlmProviders.Routing;

/// <summary>What a <see cref="IRoutingStrategy"/> sees of one call: the request, the route's targets and the call's estimates.</summary>
/// <remarks>Built by the router for each call; it allocates nothing.</remarks>
public readonly struct RoutingStrategyContext
{
    /// <summary>Initializes a new instance (the router builds one per call).</summary>
    /// <param name="request">The request.</param>
    /// <param name="targets">The route's targets.</param>
    /// <param name="estimatedPromptTokens">The estimated prompt tokens of the request.</param>
    /// <param name="estimatedOutputTokens">The output tokens to assume.</param>
    /// <param name="costs">The cost calculator, or <see langword="null"/> when costs are unknown.</param>
    /// <param name="now">The time of the call.</param>
    internal RoutingStrategyContext(
        ChatRequest request,
        IReadOnlyList<RoutingTargetInfo> targets,
        long estimatedPromptTokens,
        int estimatedOutputTokens,
        CostCalculator? costs,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(targets);
        Request = request;
        Targets = targets;
        EstimatedPromptTokens = estimatedPromptTokens;
        EstimatedOutputTokens = estimatedOutputTokens;
        Costs = costs;
        Now = now;
    }

    /// <summary>Gets the request being routed.</summary>
    public ChatRequest Request { get; }

    /// <summary>
    /// Gets the route's targets; the indexes a strategy orders point into this list. The router passes the same long-lived list on
    /// every call of a route: round robin and weighted round robin keep their rotation per list.
    /// </summary>
    public IReadOnlyList<RoutingTargetInfo> Targets { get; }

    /// <summary>Gets the request's estimated prompt tokens (the router's prompt-token estimate).</summary>
    public long EstimatedPromptTokens { get; }

    /// <summary>Gets the output tokens to assume: the request's max output tokens, else the target's or the catalog's maximum, else 4096.</summary>
    public int EstimatedOutputTokens { get; }

    /// <summary>Gets the cost calculator, or <see langword="null"/> when the router prices nothing.</summary>
    public CostCalculator? Costs { get; }

    /// <summary>Gets the time of the call, from the router's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>
    /// Estimates what this call would cost on a target: <see cref="EstimatedPromptTokens"/> in and <see cref="EstimatedOutputTokens"/>
    /// out, at the target's model (or the request's model when the target names none), with the provider's cost multiplier.
    /// </summary>
    /// <param name="index">The target's index in <see cref="Targets"/>.</param>
    /// <returns>
    /// The estimate in USD; zero for a local target; <see langword="null"/> when the cost is unknown. The price comes from the target's
    /// <see cref="RoutingTargetInfo.CatalogEntry"/>, else from the catalog of <see cref="Costs"/>. An estimate never counts as an
    /// unknown-cost call nor logs the unknown-model warning: only real calls do.
    /// </returns>
    public decimal? EstimateCost(int index)
    {
        var target = Targets[index];
        if (target.IsLocal)
        {
            return 0m;
        }

        var entry = target.CatalogEntry;
        if (entry?.Price is null && Costs is { } costs && (target.Model ?? Request.Model) is { Length: > 0 } model)
        {
            entry = costs.Catalog.Find(target.Kind, model)
                ?? (string.Equals(target.ProviderName, target.Kind, StringComparison.OrdinalIgnoreCase) ? null : costs.Catalog.Find(target.ProviderName, model));
        }

        if (entry is { IsLocal: true })
        {
            return 0m;
        }

        if (entry?.Price is not { } price)
        {
            return null;
        }

        decimal multiplier = Costs?.Catalog.GetCostMultiplier(target.ProviderName, target.Kind) ?? 1m;
        return Estimate(price, EstimatedPromptTokens, EstimatedOutputTokens) * multiplier;
    }

    /// <summary>
    /// Prices uncached input and output tokens as <see cref="CostCalculator.Calculate(ModelPrice, long, long, long, long, long)"/> does
    /// (the whole call at the tier its prompt crosses), with one division instead of one per part: this runs per candidate per call.
    /// </summary>
    /// <param name="price">The model's prices per million tokens.</param>
    /// <param name="inputTokens">The input tokens.</param>
    /// <param name="outputTokens">The output tokens.</param>
    /// <returns>The cost in USD, without the provider's multiplier.</returns>
    internal static decimal Estimate(ModelPrice price, long inputTokens, long outputTokens)
    {
        decimal input = price.Input;
        decimal output = price.Output;
        var tiers = price.Tiers;
        int best = -1;
        for (int i = 0; i < tiers.Count; i++)
        {
            if (inputTokens > tiers[i].AbovePromptTokens && (best < 0 || tiers[i].AbovePromptTokens > tiers[best].AbovePromptTokens))
            {
                best = i;
            }
        }

        if (best >= 0)
        {
            input = tiers[best].Input;
            output = tiers[best].Output;
        }

        return ((Math.Max(0, inputTokens) * input) + (Math.Max(0, outputTokens) * output)) / 1_000_000m;
    }
}
