using System;
using LlmProviders.Interop;
using Microsoft.Extensions.AI;

namespace LlmProviders;

/// <summary>Microsoft.Extensions.AI interop both ways: any provider (or the router) as an <see cref="IChatClient"/>, any <see cref="IChatClient"/> as a provider.</summary>
public static class LlmInteropExtensions
{
    /// <summary>Presents a provider, a chain or the router as a Microsoft.Extensions.AI <see cref="IChatClient"/> (SPEC RT8).</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="timeProvider">The clock stamping <c>CreatedAt</c>; <see langword="null"/> for the system clock.</param>
    /// <returns>
    /// A client that maps <see cref="ChatOptions"/> to a <see cref="ChatRequest"/> (routing fields from the
    /// <see cref="LlmInteropPropertyNames"/> keys of <c>AdditionalProperties</c>; a <see cref="ChatRequest"/> returned by
    /// <c>RawRepresentationFactory</c> is the starting point) and a <see cref="ChatResult"/> to a <see cref="ChatResponse"/>
    /// (<c>RawRepresentation</c> is the result). <c>GetService</c> returns the provider (as <see cref="ILlmProvider"/>,
    /// <see cref="Routing.ILlmRouter"/> or its own type) and the <see cref="ChatClientMetadata"/>. Disposing it does not dispose the provider.
    /// </returns>
    public static IChatClient AsIChatClient(this ILlmProvider provider, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new LlmProviderChatClient(provider, timeProvider);
    }

    /// <summary>Presents a Microsoft.Extensions.AI <see cref="IChatClient"/> as a provider (SPEC V13), so that it can be routed to, failed over from and priced.</summary>
    /// <param name="client">The client.</param>
    /// <param name="name">The provider's registration name.</param>
    /// <param name="options">How the client presents itself (kind, capabilities, default model …); <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock measuring latency; <see langword="null"/> for the system clock.</param>
    /// <param name="costCalculator">Prices each result from its usage and the catalog entry of the options' <c>Kind</c> and the model; <see langword="null"/> uses <see cref="Costs.CostCalculator.Default"/>. A local client costs zero.</param>
    /// <returns>
    /// A provider whose errors are typed <see cref="LlmProviderException"/>s (an <c>HttpRequestException</c>'s status gives the kind;
    /// a client timeout is a timeout; the caller's cancellation stays an <see cref="OperationCanceledException"/>). The provider does
    /// not dispose the client.
    /// </returns>
    public static ILlmProvider AsLlmProvider(this IChatClient client, string name, LlmChatClientProviderOptions? options = null, TimeProvider? timeProvider = null, Costs.CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ChatClientLlmProvider(client, name, options, timeProvider, costCalculator);
    }
}
