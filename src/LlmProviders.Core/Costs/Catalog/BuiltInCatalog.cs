using System;
using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>Where <see cref="CostCalculator.Default"/> finds the built-in catalog.</summary>
internal static class BuiltInCatalog
{
    /// <summary>Gets the built-in catalog.</summary>
    public static IModelCatalog Instance => EmptyModelCatalog.Instance;
}

/// <summary>A catalog that knows no model: every cost is unknown.</summary>
internal sealed class EmptyModelCatalog : IModelCatalog
{
    /// <summary>Gets the instance.</summary>
    public static EmptyModelCatalog Instance { get; } = new();

    /// <inheritdoc />
    public ModelCatalogEntry? Find(string provider, string model) => null;

    /// <inheritdoc />
    public IReadOnlyList<ModelCatalogEntry> List(string? provider = null) => Array.Empty<ModelCatalogEntry>();

    /// <inheritdoc />
    public decimal GetCostMultiplier(string providerName, string providerKind) => 1m;
}
