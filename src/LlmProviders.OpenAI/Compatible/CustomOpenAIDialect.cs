using System;

namespace LlmProviders.OpenAI;

/// <summary>
/// Any other OpenAI-compatible endpoint (<c>AddOpenAICompatible</c>): the key in the configured header and scheme, the options'
/// headers, local or not as configured. Capabilities default to the common ground; set
/// <see cref="Http.HttpProviderOptions.Capabilities"/> for more.
/// </summary>
internal sealed class CustomOpenAIDialect(Uri baseUrl, OpenAICompatibleProviderOptions options, bool isLocal)
    : OpenAICompatibleDialect(baseUrl, options, isLocal)
{
    /// <summary>What any compatible server is assumed to do.</summary>
    public const LlmCapabilities Capabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.JsonMode | LlmCapabilities.ModelListing | LlmCapabilities.Embeddings;

    /// <inheritdoc />
    public override string Kind => LlmProviderKinds.OpenAICompatible;

    /// <inheritdoc />
    public override LlmCapabilities DefaultCapabilities => Capabilities;

    /// <inheritdoc />
    public override string DefaultChatModel => string.Empty;

    /// <inheritdoc />
    public override string DefaultEmbeddingModel => string.Empty;
}
