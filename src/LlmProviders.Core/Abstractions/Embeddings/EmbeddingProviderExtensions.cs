using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders;

/// <summary>Shortcuts over <see cref="IEmbeddingProvider"/>.</summary>
public static class EmbeddingProviderExtensions
{
    /// <summary>Embeds one text and returns its vector.</summary>
    /// <param name="provider">The provider (or a router).</param>
    /// <param name="input">The text to embed.</param>
    /// <param name="model">The embedding model, or <see langword="null"/> for the provider's default embedding model.</param>
    /// <param name="dimensions">The number of dimensions, for models that can shorten their vectors; <see langword="null"/> for the model's own size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="LlmProviderException">The provider failed; the subtype says how.</exception>
    public static async Task<ReadOnlyMemory<float>> EmbedAsync(this IEmbeddingProvider provider, string input, string? model = null, int? dimensions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(input);
        var result = await provider.EmbedAsync(new EmbeddingRequest(input) { Model = model, Dimensions = dimensions }, cancellationToken).ConfigureAwait(false);
        return result.Embeddings[0].Vector;
    }
}
