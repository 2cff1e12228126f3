using System;
using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>
/// One model of the <see cref="IModelCatalog"/> (SPEC C1): its provider, id and aliases, prices, limits, capabilities, quality,
/// typical latency, whether it runs locally and when it is deprecated.
/// </summary>
/// <remarks>A mutable POCO so that configuration can bind it; a catalog keeps its own copies, so changing an entry after adding it has no effect.</remarks>
public sealed class ModelCatalogEntry
{
    /// <summary>Gets or sets the provider kind the model belongs to (an <see cref="LlmProviderKinds"/> value such as <c>openai</c>, <c>anthropic</c>, <c>google</c>).</summary>
    /// <value>The default value is an empty string; an entry without a provider is rejected by the catalog.</value>
    public string Provider { get; set; } = string.Empty;

    /// <summary>Gets or sets the model id as the provider's API names it (e.g. <c>gpt-4o</c>, <c>claude-sonnet-4-5</c>).</summary>
    /// <value>The default value is an empty string; an entry without an id is rejected by the catalog.</value>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets other names the model answers to (dated snapshots, <c>-latest</c> names, older names).</summary>
    public IList<string> Aliases { get; set; } = [];

    /// <summary>Gets or sets a display name.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets the model's prices.</summary>
    /// <value>The default value is <see langword="null"/>: the price is unknown and so is the cost of a call (never $0).</value>
    public ModelPrice? Price { get; set; }

    /// <summary>Gets or sets the context window, in tokens (prompt and output together).</summary>
    /// <value>The default value is <see langword="null"/> (unknown).</value>
    public int? ContextWindow { get; set; }

    /// <summary>Gets or sets the most output tokens one call may produce.</summary>
    /// <value>The default value is <see langword="null"/> (unknown).</value>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets what the model can do.</summary>
    /// <value>The default value is <see cref="LlmCapabilities.None"/>.</value>
    public LlmCapabilities Capabilities { get; set; }

    /// <summary>Gets or sets a relative quality score from 0 (worst) to 100 (best), used by the quality and balanced strategies.</summary>
    /// <value>The default value is <see langword="null"/> (unknown).</value>
    public double? QualityScore { get; set; }

    /// <summary>Gets or sets the model's typical time to first token.</summary>
    /// <value>The default value is <see langword="null"/> (unknown).</value>
    public TimeSpan? TypicalLatency { get; set; }

    /// <summary>Gets or sets the model's typical output speed, in tokens per second.</summary>
    /// <value>The default value is <see langword="null"/> (unknown).</value>
    public double? TypicalTokensPerSecond { get; set; }

    /// <summary>Gets or sets a value indicating whether the model runs locally (Ollama, vLLM, LocalAI): its calls cost zero.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IsLocal { get; set; }

    /// <summary>Gets or sets the date the provider retires the model.</summary>
    /// <value>The default value is <see langword="null"/> (none announced).</value>
    public DateOnly? DeprecationDate { get; set; }

    /// <summary>Creates a deep copy.</summary>
    /// <returns>A copy that shares nothing mutable with this entry.</returns>
    public ModelCatalogEntry Clone()
    {
        var copy = (ModelCatalogEntry)MemberwiseClone();
        copy.Aliases = new List<string>(Aliases);
        copy.Price = Price?.Clone();
        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => Provider + "/" + Id;
}
