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

/// <summary>Checks the data-annotation rules of <see cref="FallbackChainOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class FallbackChainOptionsAttributeValidator : IValidateOptions<FallbackChainOptions>
{
}
