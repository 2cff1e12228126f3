using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>
/// The model catalog as the pricing, the router and the budgets see it (SPEC C1): find a model's entry and a provider's cost multiplier.
/// </summary>
/// <remarks>
/// Implementations are thread-safe and <see cref="Find"/> allocates nothing on a hit: it runs on every call.
/// The built-in implementation is <c>ModelCatalog</c>.
/// </remarks>
public interface IModelCatalog
{
    /// <summary>Finds a model's entry.</summary>
    /// <param name="provider">
    /// The provider kind (an <see cref="LlmProviderKinds"/> value) or a registration name that the catalog maps to a kind.
    /// </param>
    /// <param name="model">
    /// The model id as the request or the response names it: an id, an alias, a dated snapshot of a known id
    /// (<c>gpt-4o-2024-08-06</c>, <c>claude-sonnet-4-5-20250929</c>), <c>models/…</c> (Gemini) or <c>provider/model</c>.
    /// </param>
    /// <returns>The entry, or <see langword="null"/> when the catalog does not know the model.</returns>
    ModelCatalogEntry? Find(string provider, string model);

    /// <summary>Lists the catalog's entries.</summary>
    /// <param name="provider">A provider kind to list only its models, or <see langword="null"/> for all.</param>
    /// <returns>The entries, ordered by provider then id.</returns>
    IReadOnlyList<ModelCatalogEntry> List(string? provider = null);

    /// <summary>Gets the cost multiplier of a provider registration (seed 000's <c>cost_multiplier</c>).</summary>
    /// <param name="providerName">The registration name (e.g. <c>openai-backup</c>).</param>
    /// <param name="providerKind">The provider kind, used when no multiplier is set for the name.</param>
    /// <returns>The multiplier; 1 when none is configured.</returns>
    decimal GetCostMultiplier(string providerName, string providerKind);
}
