namespace LlmProviders;

/// <summary>Keys of the extra token counts this library puts in <see cref="Microsoft.Extensions.AI.UsageDetails.AdditionalCounts"/>.</summary>
public static class UsageCounts
{
    /// <summary>Input tokens written to the provider's prompt cache (Anthropic <c>cache_creation_input_tokens</c>). Included in the input count.</summary>
    public const string CacheWriteInputTokens = "CacheWriteInputTokens";
}
