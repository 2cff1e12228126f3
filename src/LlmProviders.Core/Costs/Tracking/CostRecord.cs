using System;
using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>
/// One recorded call or attempt (SPEC C3): when, who answered, tokens by kind, cost, timings, outcome and tags.
/// </summary>
/// <remarks>
/// A value type so that recording copies it into the ledger without allocating. Token counts follow
/// <see cref="Microsoft.Extensions.AI.UsageDetails"/>' convention: <see cref="InputTokens"/> include cached reads and cache
/// writes, <see cref="OutputTokens"/> include reasoning, and each part is also given on its own.
/// </remarks>
public readonly struct CostRecord
{
    /// <summary>Gets when the call started.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the registration name of the provider that was called (e.g. <c>openai-backup</c>).</summary>
    public string ProviderName { get; init; }

    /// <summary>Gets the provider kind (an <see cref="LlmProviderKinds"/> value), or <see langword="null"/> when unknown.</summary>
    public string? ProviderKind { get; init; }

    /// <summary>Gets the model that answered, or the model requested when the call failed.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the route or chain the call went through, or <see langword="null"/> for a direct call.</summary>
    public string? Route { get; init; }

    /// <summary>Gets the input tokens, cached reads and cache writes included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens, reasoning included.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the input tokens read from the prompt cache.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Gets the input tokens written to the prompt cache.</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>Gets the reasoning tokens.</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>Gets the cost in USD, or <see langword="null"/> when it is unknown (a model the catalog does not price).</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets the wall time of the call.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Gets the time to the first streamed token, or <see langword="null"/> for a call that did not stream.</summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Gets the kind of error the call ended with, or <see langword="null"/> when it succeeded.</summary>
    public LlmErrorKind? ErrorKind { get; init; }

    /// <summary>Gets a value indicating whether the answer came from the response cache (its cost is zero).</summary>
    public bool FromCache { get; init; }

    /// <summary>Gets the request's tags (workspace, execution, user, feature …), or <see langword="null"/>.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Gets a value indicating whether the call succeeded.</summary>
    public bool Succeeded => ErrorKind is null;

    /// <summary>Gets the input and output tokens together.</summary>
    public long TotalTokens => InputTokens + OutputTokens;
}
