using System.Collections.Generic;

namespace LlmProviders.Routing;

/// <summary>
/// The routing entry point: an <see cref="ILlmProvider"/> that sends each request to one of several targets and fails over
/// between them. A router is itself a provider, so routers can be targets of other routers.
/// </summary>
/// <remarks>
/// <see cref="ChatResult.Trace"/> (and <see cref="ChatStreamUpdate.Trace"/> on the final update) records every candidate
/// considered and every attempt. When every target fails the router throws <see cref="AllProvidersFailedException"/>;
/// when none could be tried, <see cref="NoProviderAvailableException"/>; an error that must not fail over (an invalid request,
/// or any error when fallback is disabled) is thrown as is; caller cancellation is never a failover.
/// <see cref="ChatResult.Latency"/> is the whole call through the router, failed attempts included; each attempt's own
/// duration is in the trace.
/// <para>A router is also an <see cref="IEmbeddingProvider"/>: it tries its targets that offer embeddings, in order, with the
/// same failover rules; <see cref="EmbeddingResult.Trace"/> records the decision. A target's chat model is not applied to
/// embeddings.</para>
/// </remarks>
public interface ILlmRouter : ILlmProvider, IEmbeddingProvider
{
    /// <summary>Gets the router's registration name (the name of a chain).</summary>
    new string Name { get; }

    /// <summary>Gets the targets a route tries, in configured order.</summary>
    /// <param name="routeName">The route; <see langword="null"/> for the default route. A fallback chain has only its default route.</param>
    /// <returns>A snapshot of the targets; changing it does not change the router.</returns>
    /// <exception cref="KeyNotFoundException">The router has no route named <paramref name="routeName"/>.</exception>
    IReadOnlyList<ChainTarget> GetTargets(string? routeName = null);
}
