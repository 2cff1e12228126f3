using System;
using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>Configures the <c>ModelCatalog</c>: the built-in catalog, additions and overrides, LiteLLM imports and cost multipliers.</summary>
public sealed class ModelCatalogOptions
{
    /// <summary>Gets or sets a value indicating whether the embedded, dated catalog is loaded first.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseBuiltInCatalog { get; set; } = true;

    /// <summary>
    /// Gets or sets paths of LiteLLM <c>model_prices_and_context_window.json</c> files imported after the built-in catalog
    /// (their entries replace built-in ones of the same provider and id).
    /// </summary>
    public IList<string> LiteLlmFiles { get; set; } = [];

    /// <summary>
    /// Gets or sets entries added last: an entry with the provider and id of an existing one replaces it whole; any other is added.
    /// </summary>
    public IList<ModelCatalogEntry> Models { get; set; } = [];

    /// <summary>
    /// Gets or sets cost multipliers by registration name or provider kind (seed 000's <c>cost_multiplier</c>): every computed
    /// cost of that provider is multiplied by it (a negotiated discount, a reseller's margin). A name wins over a kind.
    /// </summary>
    public IDictionary<string, decimal> CostMultipliers { get; set; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the provider kind of registration names the catalog cannot infer (e.g. <c>"openai-backup": "openai"</c>).
    /// Registrations made with the builder are added automatically.
    /// </summary>
    public IDictionary<string, string> ProviderKinds { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
