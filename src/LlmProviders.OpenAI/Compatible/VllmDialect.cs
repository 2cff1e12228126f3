using System;

namespace LlmProviders.OpenAI;

/// <summary>
/// A vLLM OpenAI-compatible server (<c>http://localhost:8000/v1</c>): local, optional bearer key (<c>--api-key</c>), <c>top_k</c>
/// and <c>reasoning_effort</c> accepted. The model defaults to the one the server serves (an empty <c>model</c>). Read by the
/// shared parsers: <c>reasoning_content</c> deltas, <c>stop_reason</c> next to <c>finish_reason</c>, <c>prompt_tokens_details: null</c>,
/// the legacy flat error <c>{"object":"error",…}</c> and the 401 body <c>{"error":"Unauthorized"}</c>.
/// </summary>
internal sealed class VllmDialect(Uri baseUrl, OpenAICompatibleProviderOptions options, bool isLocal)
    : OpenAICompatibleDialect(baseUrl, options, isLocal)
{
    /// <summary>What a vLLM server can do (tools need <c>--enable-auto-tool-choice</c>; vision and reasoning depend on the model).</summary>
    public const LlmCapabilities Capabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema | LlmCapabilities.Reasoning |
        LlmCapabilities.ModelListing | LlmCapabilities.Embeddings;

    /// <inheritdoc />
    public override string Kind => LlmProviderKinds.Vllm;

    /// <inheritdoc />
    public override LlmCapabilities DefaultCapabilities => Capabilities;

    /// <inheritdoc />
    public override string DefaultChatModel => string.Empty;

    /// <inheritdoc />
    public override string DefaultEmbeddingModel => string.Empty;

    /// <inheritdoc />
    public override bool AcceptsTopK => true;

    /// <inheritdoc />
    public override bool AcceptsReasoningEffort => true;
}
