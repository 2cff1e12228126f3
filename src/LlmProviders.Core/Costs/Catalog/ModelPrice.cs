using System;
using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>
/// What a model costs, in USD per million tokens (SPEC C1). A price the provider does not charge apart is <see langword="null"/>
/// and falls back as documented on each property; a price is never assumed to be zero.
/// </summary>
public sealed class ModelPrice
{
    /// <summary>Gets or sets the price of a million uncached input (prompt) tokens.</summary>
    /// <value>The default value is 0.</value>
    public decimal Input { get; set; }

    /// <summary>Gets or sets the price of a million output (completion) tokens.</summary>
    /// <value>The default value is 0.</value>
    public decimal Output { get; set; }

    /// <summary>Gets or sets the price of a million input tokens read from the provider's prompt cache.</summary>
    /// <value>The default value is <see langword="null"/>: the model has no cache discount, cached reads cost <see cref="Input"/>.</value>
    public decimal? CachedInput { get; set; }

    /// <summary>Gets or sets the price of a million input tokens written to the prompt cache (Anthropic's 5-minute cache write).</summary>
    /// <value>The default value is <see langword="null"/>: cache writes cost <see cref="Input"/>.</value>
    public decimal? CacheWrite { get; set; }

    /// <summary>Gets or sets the price of a million reasoning tokens, where the provider prices them apart from output.</summary>
    /// <value>The default value is <see langword="null"/>: reasoning tokens are output tokens and cost <see cref="Output"/>.</value>
    public decimal? Reasoning { get; set; }

    /// <summary>
    /// Gets the prices that apply once the prompt exceeds a size (Gemini and Claude above 200K tokens): the whole call is
    /// priced at the highest tier whose <see cref="ModelPriceTier.AbovePromptTokens"/> the prompt exceeds.
    /// </summary>
    public IList<ModelPriceTier> Tiers { get; set; } = [];

    /// <summary>Gets or sets the date the price was read from the provider's price page.</summary>
    /// <value>The default value is <see langword="null"/> (unknown).</value>
    public DateOnly? AsOf { get; set; }

    /// <summary>Gets or sets where the price was read (a URL or "litellm").</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Source { get; set; }

    /// <summary>Creates a deep copy.</summary>
    /// <returns>A copy that shares nothing mutable with this instance.</returns>
    public ModelPrice Clone()
    {
        var copy = (ModelPrice)MemberwiseClone();
        copy.Tiers = new List<ModelPriceTier>(Tiers.Count);
        foreach (var tier in Tiers)
        {
            copy.Tiers.Add(tier.Clone());
        }

        return copy;
    }
}

/// <summary>The prices of a model once the prompt exceeds <see cref="AbovePromptTokens"/> tokens, in USD per million tokens.</summary>
public sealed class ModelPriceTier
{
    /// <summary>Gets or sets the prompt size (input tokens, cached included) above which this tier applies.</summary>
    /// <value>The default value is 0.</value>
    public int AbovePromptTokens { get; set; }

    /// <summary>Gets or sets the price of a million uncached input tokens in this tier.</summary>
    /// <value>The default value is 0.</value>
    public decimal Input { get; set; }

    /// <summary>Gets or sets the price of a million output tokens in this tier.</summary>
    /// <value>The default value is 0.</value>
    public decimal Output { get; set; }

    /// <summary>Gets or sets the price of a million cached input tokens in this tier.</summary>
    /// <value>The default value is <see langword="null"/>: the base <see cref="ModelPrice.CachedInput"/> scaled by this tier's input ratio, else this tier's <see cref="Input"/>.</value>
    public decimal? CachedInput { get; set; }

    /// <summary>Gets or sets the price of a million cache-write tokens in this tier.</summary>
    /// <value>The default value is <see langword="null"/>: the base <see cref="ModelPrice.CacheWrite"/> scaled by this tier's input ratio, else this tier's <see cref="Input"/>.</value>
    public decimal? CacheWrite { get; set; }

    /// <summary>Creates a copy.</summary>
    /// <returns>A copy of this tier.</returns>
    public ModelPriceTier Clone() => (ModelPriceTier)MemberwiseClone();
}
