namespace LlmProviders.Costs;

/// <summary>The cost of one call, part by part, in USD (SPEC C2). Each token is charged once, at its own price.</summary>
/// <param name="Input">Uncached input tokens at the input price.</param>
/// <param name="CachedInput">Input tokens read from the prompt cache at the cached-read price.</param>
/// <param name="CacheWrite">Input tokens written to the prompt cache at the cache-write price.</param>
/// <param name="Output">Output tokens other than reasoning at the output price.</param>
/// <param name="Reasoning">Reasoning tokens at the reasoning price (the output price when the model does not price them apart).</param>
public readonly record struct CostBreakdown(decimal Input, decimal CachedInput, decimal CacheWrite, decimal Output, decimal Reasoning)
{
    /// <summary>Gets the whole cost.</summary>
    public decimal Total => Input + CachedInput + CacheWrite + Output + Reasoning;

    /// <summary>Returns every part multiplied by <paramref name="multiplier"/>.</summary>
    /// <param name="multiplier">The provider's cost multiplier.</param>
    /// <returns>The scaled breakdown.</returns>
    public CostBreakdown Scale(decimal multiplier) =>
        multiplier == 1m ? this : new(Input * multiplier, CachedInput * multiplier, CacheWrite * multiplier, Output * multiplier, Reasoning * multiplier);
}
