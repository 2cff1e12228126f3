using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders;

/// <summary>
/// A provider of text embeddings (OpenAI, Azure OpenAI, Google Gemini, Ollama, Mistral and OpenAI-compatible endpoints).
/// The chat providers that offer embeddings implement it next to <see cref="ILlmProvider"/>; a router implements it by
/// failing over among its targets that do.
/// </summary>
public interface IEmbeddingProvider
{
    /// <summary>Gets the registration name, unique in an application (e.g. <c>openai</c>).</summary>
    string Name { get; }

    /// <summary>Embeds one or more inputs in one call.</summary>
    /// <param name="request">The inputs, the model and the dimensions. It is not modified.</param>
    /// <param name="cancellationToken">Cancels the call and the HTTP read.</param>
    /// <returns>One vector per input, in the order of <see cref="EmbeddingRequest.Inputs"/>, with usage and cost.</returns>
    /// <exception cref="LlmProviderException">The provider failed; the subtype says how (the same mapping as chat).</exception>
    Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default);
}
