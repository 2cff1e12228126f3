using System;

namespace LlmProviders;

/// <summary>What a provider (or one of its models) can do. Used by routing filters and by callers that require a feature.</summary>
[Flags]
public enum LlmCapabilities
{
    /// <summary>No capability.</summary>
    None = 0,

    /// <summary>Plain chat completions.</summary>
    Chat = 1 << 0,

    /// <summary>Incremental (streamed) responses.</summary>
    Streaming = 1 << 1,

    /// <summary>Function/tool calling.</summary>
    Tools = 1 << 2,

    /// <summary>Several tool calls in one assistant turn.</summary>
    ParallelToolCalls = 1 << 3,

    /// <summary>Image input.</summary>
    Vision = 1 << 4,

    /// <summary>JSON mode (any valid JSON object).</summary>
    JsonMode = 1 << 5,

    /// <summary>Structured output constrained by a JSON schema.</summary>
    JsonSchema = 1 << 6,

    /// <summary>Reasoning ("thinking") models with a reasoning effort or budget.</summary>
    Reasoning = 1 << 7,

    /// <summary>Prompt caching with cached-read and cache-write token accounting.</summary>
    PromptCaching = 1 << 8,

    /// <summary>Text embeddings.</summary>
    Embeddings = 1 << 9,

    /// <summary>Listing the models the endpoint serves.</summary>
    ModelListing = 1 << 10,

    /// <summary>Continuing a partial assistant answer (assistant prefill), used by the <c>Continue</c> stream-failover policy.</summary>
    AssistantPrefill = 1 << 11,
}
