using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Routing;
using Microsoft.Extensions.AI;

namespace LlmProviders.Interop;

/// <summary>An <see cref="ILlmProvider"/> (a provider, a chain or the router) seen as an <see cref="IChatClient"/> (SPEC RT8).</summary>
internal sealed class LlmProviderChatClient : IChatClient
{
    private readonly TimeProvider _time;
    private ChatClientMetadata? _metadata;

    public LlmProviderChatClient(ILlmProvider provider, TimeProvider? timeProvider = null)
    {
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the provider answering.</summary>
    public ILlmProvider Provider { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = InteropMapping.ToChatRequest(messages, options, this);
        var result = await Provider.ChatAsync(request, cancellationToken).ConfigureAwait(false);
        return InteropMapping.ToChatResponse(result, _time.GetUtcNow());
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = InteropMapping.ToChatRequest(messages, options, this);
        await foreach (var update in Provider.StreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            yield return InteropMapping.ToChatResponseUpdate(update, _time.GetUtcNow());
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata ??= CreateMetadata();
        }

        if (serviceType.IsInstanceOfType(Provider))
        {
            return Provider;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        // A wrapped IChatClient answers for its own services (its SDK client, options …).
        return Provider is ChatClientLlmProvider wrapped ? wrapped.Client.GetService(serviceType, serviceKey) : null;
    }

    /// <inheritdoc />
    /// <remarks>The provider belongs to whoever created it (the container, or the caller): nothing to release here.</remarks>
    public void Dispose()
    {
    }

    private ChatClientMetadata CreateMetadata()
    {
        if (Provider is ChatClientLlmProvider wrapped)
        {
            return wrapped.Metadata;
        }

        string? defaultModel = (Provider as ILlmProviderDescriptor)?.DefaultModel;
        if (Provider is ILlmRouter router)
        {
            try
            {
                var targets = router.GetTargets();
                defaultModel = targets.Count > 0 ? targets[0].Model : null;
            }
            catch (KeyNotFoundException)
            {
                // No default route: no default model.
            }
        }

        return new ChatClientMetadata(LlmProviders.Telemetry.TelemetryNames.ProviderNameOf(Provider.Kind), providerUri: (Provider as ILlmProviderDescriptor)?.ServerEndpoint, defaultModel);
    }
}
