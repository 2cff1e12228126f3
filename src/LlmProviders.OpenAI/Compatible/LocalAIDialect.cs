using System;

namespace LlmProviders.OpenAI;

/// <summary>
/// A LocalAI server (<c>http://localhost:8080/v1</c>): local, optional bearer key, <c>top_k</c> accepted. The model defaults to
/// the server's first (an empty <c>model</c>). Read by the shared parsers: a <c>usage</c> object in every chunk (the last one
/// wins, never summed), chunks without <c>choices</c>, whole tool-call arguments in one chunk, and the completion id reused as
/// every tool call's id (the later calls get ids of their own).
/// </summary>
internal sealed class LocalAIDialect(Uri baseUrl, OpenAICompatibleProviderOptions options, bool isLocal)
    : OpenAICompatibleDialect(baseUrl, options, isLocal)
{
    /// <summary>What LocalAI can do (by backend and model); no prompt caching, no reasoning field.</summary>
    public const LlmCapabilities Capabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema | LlmCapabilities.ModelListing |
        LlmCapabilities.Embeddings;

    /// <inheritdoc />
    public override string Kind => LlmProviderKinds.LocalAI;

    /// <inheritdoc />
    public override LlmCapabilities DefaultCapabilities => Capabilities;

    /// <inheritdoc />
    public override string DefaultChatModel => string.Empty;

    /// <inheritdoc />
    public override string DefaultEmbeddingModel => string.Empty;

    /// <inheritdoc />
    public override bool AcceptsTopK => true;
}
