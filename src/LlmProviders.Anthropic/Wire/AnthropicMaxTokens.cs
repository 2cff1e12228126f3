using System;

namespace LlmProviders.Anthropic.Wire;

/// <summary>
/// The <c>max_tokens</c> sent when a request sets none: a small table of known output limits per model family (until the
/// model catalog exists), else <see cref="AnthropicProviderOptions.DefaultMaxTokens"/>. Families, longest prefix first:
/// <c>claude-3-haiku</c>, <c>claude-3-opus</c>, <c>claude-3-sonnet</c> 4096; <c>claude-3-5-*</c> 8192;
/// <c>claude-3-7-sonnet</c> 64000; <c>claude-opus-4-5</c> 64000; <c>claude-opus-4</c> (4, 4.1) 32000;
/// <c>claude-sonnet-4</c>, <c>claude-haiku-4</c> 64000.
/// </summary>
internal static class AnthropicMaxTokens
{
    private static readonly (string Prefix, int MaxTokens)[] Families =
    [
        ("claude-3-haiku", 4096),
        ("claude-3-opus", 4096),
        ("claude-3-sonnet", 4096),
        ("claude-3-5-", 8192),
        ("claude-3-7-sonnet", 64000),
        ("claude-opus-4-5", 64000),
        ("claude-opus-4", 32000),
        ("claude-sonnet-4", 64000),
        ("claude-haiku-4", 64000),
    ];

    /// <summary>Gets the known output limit of <paramref name="model"/>'s family, or <see langword="null"/>.</summary>
    public static int? KnownFor(string model)
    {
        foreach (var (prefix, max) in Families)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return max;
            }
        }

        return null;
    }

    /// <summary>Gets the thinking budget for a reasoning effort (<see langword="null"/>: no thinking).</summary>
    /// <remarks>None → no thinking; Low → 1024 (the API's minimum); Medium → 4096; High → 16384; ExtraHigh and above → 32000.</remarks>
    public static int? ThinkingBudget(Microsoft.Extensions.AI.ReasoningEffort effort) => effort switch
    {
        Microsoft.Extensions.AI.ReasoningEffort.None => null,
        Microsoft.Extensions.AI.ReasoningEffort.Low => 1024,
        Microsoft.Extensions.AI.ReasoningEffort.Medium => 4096,
        Microsoft.Extensions.AI.ReasoningEffort.High => 16384,
        _ => 32000,
    };
}
