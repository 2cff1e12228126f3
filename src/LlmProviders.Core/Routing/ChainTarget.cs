using System;
using System.ComponentModel.DataAnnotations;

namespace LlmProviders.Routing;

/// <summary>One target of a fallback chain: a provider (by registration name), optionally a model, and per-target overrides.</summary>
public sealed class ChainTarget
{
    /// <summary>Initializes a new instance (for configuration binding).</summary>
    public ChainTarget()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="providerName">The registration name of the provider (or of another chain).</param>
    /// <param name="model">The model to ask for, or <see langword="null"/> to keep the request's model (or the provider's default).</param>
    public ChainTarget(string providerName, string? model = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ProviderName = providerName;
        Model = model;
    }

    /// <summary>Gets or sets the registration name of the provider, or of another chain (chains nest).</summary>
    /// <value>The default value is an empty string, which validation rejects: every target names a provider.</value>
    [Required(ErrorMessage = "required; set every target's ProviderName to the registration name of a provider or chain (e.g. \"openai\").")]
    public string ProviderName { get; set; } = string.Empty;

    /// <summary>Gets or sets the model this target asks for; the request is copied with this model (never mutated).</summary>
    /// <value>The default value is <see langword="null"/>: the request's model, or the provider's default.</value>
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets a cap on the output tokens for this target (e.g. a smaller <c>max_tokens</c> for a cheaper fallback): the
    /// request is sent with the smaller of this and its own <see cref="ChatRequest.MaxOutputTokens"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no cap.</value>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets the target's priority for the priority strategy: lower goes first; equal priorities keep the configured order.</summary>
    /// <value>The default value is 0.</value>
    public int Priority { get; set; }

    /// <summary>Gets or sets the target's weight for the weighted round-robin strategy (a positive number).</summary>
    /// <value>The default value is 1.</value>
    public double Weight { get; set; } = 1;

    /// <inheritdoc />
    public override string ToString() => Model is null ? ProviderName : ProviderName + "/" + Model;
}
