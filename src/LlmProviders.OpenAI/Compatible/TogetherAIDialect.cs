using System;

namespace LlmProviders.OpenAI;

/// <summary>
/// Together AI (<c>https://api.together.xyz/v1</c>): bearer key, <c>top_k</c> and <c>reasoning_effort</c> accepted. Its quirks are
/// read by the shared parsers: <c>finish_reason: "eos"</c> (a stop), usage in the finish chunk, seeds above 2^53, and a model list
/// that is a bare JSON array.
/// </summary>
internal sealed class TogetherAIDialect(Uri baseUrl, OpenAICompatibleProviderOptions options, bool isLocal)
    : OpenAICompatibleDialect(baseUrl, options, isLocal)
{
    /// <summary>The capabilities of Together's serverless models (by model: not every model has tools or vision).</summary>
    public const LlmCapabilities Capabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.ParallelToolCalls | LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema |
        LlmCapabilities.Reasoning | LlmCapabilities.ModelListing | LlmCapabilities.Embeddings;

    /// <inheritdoc />
    public override string Kind => LlmProviderKinds.TogetherAI;

    /// <inheritdoc />
    public override LlmCapabilities DefaultCapabilities => Capabilities;

    /// <inheritdoc />
    public override string DefaultChatModel => "meta-llama/Llama-3.3-70B-Instruct-Turbo";

    /// <inheritdoc />
    public override string DefaultEmbeddingModel => "BAAI/bge-base-en-v1.5";

    /// <inheritdoc />
    public override bool AcceptsTopK => true;

    /// <inheritdoc />
    public override bool AcceptsReasoningEffort => true;
}
