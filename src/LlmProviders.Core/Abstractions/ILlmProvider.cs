using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders;

/// <summary>
/// A chat provider: one registration of one LLM service (for example <c>openai</c>, <c>openai-backup</c>,
/// <c>ollama-gpu2</c>), or a router that chooses among several. Every provider is usable on its own.
/// </summary>
public interface ILlmProvider
{
    /// <summary>Gets the registration name, unique in an application (e.g. <c>openai-backup</c>).</summary>
    string Name { get; }

    /// <summary>Gets the kind of provider (e.g. <c>openai</c>, <c>anthropic</c>, <c>simulated</c>); see <see cref="LlmProviderKinds"/>.</summary>
    string Kind { get; }

    /// <summary>Gets what the provider can do.</summary>
    LlmCapabilities Capabilities { get; }

    /// <summary>Gets a value indicating whether the provider runs locally (Ollama, vLLM, LocalAI): no per-token cost by default, longer timeouts.</summary>
    bool IsLocal { get; }

    /// <summary>Sends a chat request and returns the whole answer.</summary>
    /// <param name="request">The request. It is not modified.</param>
    /// <param name="cancellationToken">Cancels the call and the HTTP read.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="LlmProviderException">The provider failed; the subtype says how.</exception>
    Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sends a chat request and streams the answer as it is produced.</summary>
    /// <param name="request">The request. It is not modified.</param>
    /// <param name="cancellationToken">Cancels the call and the HTTP read.</param>
    /// <returns>The updates; the last one has <see cref="ChatStreamUpdate.IsFinal"/> set.</returns>
    /// <exception cref="LlmProviderException">The provider failed; the subtype says how.</exception>
    IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the models the provider serves.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models.</returns>
    Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks the provider with a cheap call (a model list or version endpoint, never a paid completion).</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The outcome; a failure is reported in the result rather than thrown.</returns>
    Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default);
}
