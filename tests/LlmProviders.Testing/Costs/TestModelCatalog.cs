using System;
using System.Collections.Generic;
using LlmProviders.Costs;

namespace LlmProviders.Testing.Costs;

/// <summary>
/// An <see cref="IModelCatalog"/> for tests: exactly the models a test adds, keyed by provider and model id (no aliases, no
/// snapshot matching), and the cost multipliers it sets. Providers' tests price their canned responses with it instead of the
/// built-in catalog, whose prices change.
/// </summary>
public sealed class TestModelCatalog : IModelCatalog
{
    /// <summary>The provider key that matches every provider.</summary>
    public const string AnyProvider = "*";

    private readonly Dictionary<(string Provider, string Model), ModelCatalogEntry> _entries = new(ProviderModelComparer.Instance);
    private readonly Dictionary<string, decimal> _multipliers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds (or replaces) a priced model.</summary>
    /// <param name="provider">The provider kind or registration name, or <see cref="AnyProvider"/> for every provider.</param>
    /// <param name="model">The model id, matched exactly (case-insensitive).</param>
    /// <param name="price">The price per million tokens.</param>
    /// <returns>This catalog.</returns>
    public TestModelCatalog Add(string provider, string model, ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        return Add(new ModelCatalogEntry { Provider = provider, Id = model, Price = price });
    }

    /// <summary>Adds (or replaces) an entry under its <see cref="ModelCatalogEntry.Provider"/> and <see cref="ModelCatalogEntry.Id"/>.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>This catalog.</returns>
    public TestModelCatalog Add(ModelCatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Id);
        _entries[(entry.Provider, entry.Id)] = entry.Clone();
        return this;
    }

    /// <summary>Sets the cost multiplier of a provider registration name or kind.</summary>
    /// <param name="provider">The registration name or kind, or <see cref="AnyProvider"/> for every provider.</param>
    /// <param name="multiplier">The multiplier.</param>
    /// <returns>This catalog.</returns>
    public TestModelCatalog SetMultiplier(string provider, decimal multiplier)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        _multipliers[provider] = multiplier;
        return this;
    }

    /// <inheritdoc />
    public ModelCatalogEntry? Find(string provider, string model) =>
        _entries.TryGetValue((provider, model), out var entry) || _entries.TryGetValue((AnyProvider, model), out entry) ? entry : null;

    /// <inheritdoc />
    public IReadOnlyList<ModelCatalogEntry> List(string? provider = null)
    {
        var list = new List<ModelCatalogEntry>();
        foreach (var entry in _entries.Values)
        {
            if (provider is null || string.Equals(entry.Provider, provider, StringComparison.OrdinalIgnoreCase))
            {
                list.Add(entry);
            }
        }

        list.Sort(static (a, b) =>
        {
            int byProvider = string.Compare(a.Provider, b.Provider, StringComparison.OrdinalIgnoreCase);
            return byProvider != 0 ? byProvider : string.Compare(a.Id, b.Id, StringComparison.OrdinalIgnoreCase);
        });
        return list;
    }

    /// <inheritdoc />
    public decimal GetCostMultiplier(string providerName, string providerKind) =>
        _multipliers.TryGetValue(providerName, out var m) || _multipliers.TryGetValue(providerKind, out m) || _multipliers.TryGetValue(AnyProvider, out m) ? m : 1m;

    private sealed class ProviderModelComparer : IEqualityComparer<(string Provider, string Model)>
    {
        public static readonly ProviderModelComparer Instance = new();

        public bool Equals((string Provider, string Model) x, (string Provider, string Model) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Provider, y.Provider) && StringComparer.OrdinalIgnoreCase.Equals(x.Model, y.Model);

        public int GetHashCode((string Provider, string Model) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Provider), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Model));
    }
}
