using System;

namespace LlmProviders.Costs;

/// <summary>
/// Filters for <see cref="ModelCatalog.Query"/>, <see cref="ModelCatalog.GetCheapest"/> and <see cref="ModelCatalog.GetFastest"/>
/// (seed 003's <c>ModelRegistry</c> queries). Every set filter must hold; an entry that does not know a filtered value
/// (no price, no context window, no quality score) does not match that filter.
/// </summary>
public sealed class ModelCatalogQuery
{
    /// <summary>Gets or sets the capabilities a model must all have.</summary>
    /// <value>The default value is <see cref="LlmCapabilities.None"/> (any model).</value>
    public LlmCapabilities RequiredCapabilities { get; set; }

    /// <summary>Gets or sets a provider kind (or a registration name the catalog maps to a kind) to search only its models.</summary>
    /// <value>The default value is <see langword="null"/> (every provider).</value>
    public string? Provider { get; set; }

    /// <summary>Gets or sets the highest input price, in USD per million tokens.</summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    public decimal? MaxInputPrice { get; set; }

    /// <summary>Gets or sets the highest output price, in USD per million tokens.</summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    public decimal? MaxOutputPrice { get; set; }

    /// <summary>Gets or sets the smallest context window, in tokens.</summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    public int? MinContextWindow { get; set; }

    /// <summary>Gets or sets the lowest quality score (0–100).</summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    public double? MinQualityScore { get; set; }

    /// <summary>Gets or sets a value indicating whether models whose deprecation date is on or before <see cref="AsOfDate"/> are included.</summary>
    /// <value>The default value is <see langword="false"/>: retired models are left out.</value>
    public bool IncludeDeprecated { get; set; }

    /// <summary>Gets or sets a value indicating whether local models (Ollama) are included.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeLocal { get; set; } = true;

    /// <summary>Gets or sets the date deprecation is judged on.</summary>
    /// <value>The default value is <see langword="null"/>: today in UTC, from the catalog's <see cref="TimeProvider"/>.</value>
    public DateOnly? AsOfDate { get; set; }
}
