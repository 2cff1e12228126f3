using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Configuration;

/// <summary>
/// A provider whose options follow a reloading source (key rotation, SPEC D2): when the named options change, the inner provider
/// is rebuilt on the next request and swapped in atomically. A request already running (a stream half read) keeps the instance
/// it started on. Only registrations whose options have a change source for their name are wrapped; the others stay the
/// provider itself (so code-configured providers can still be cast to their type).
/// </summary>
internal class ReloadingLlmProvider : ILlmProvider, ILlmProviderDescriptor, IDisposable
{
    private readonly Func<ILlmProvider> _create;
    private IDisposable? _subscription;
    private ILlmProvider _current;
    private int _stale;

    protected ReloadingLlmProvider(ILlmProvider initial, Func<ILlmProvider> create)
    {
        _current = initial;
        _create = create;
    }

    /// <inheritdoc />
    public string Name => Current.Name;

    /// <inheritdoc />
    public string Kind => Current.Kind;

    /// <inheritdoc />
    public LlmCapabilities Capabilities => Current.Capabilities;

    /// <inheritdoc />
    public bool IsLocal => Current.IsLocal;

    /// <summary>Gets the current provider's endpoint, for telemetry and chat client metadata.</summary>
    public Uri? ServerEndpoint => (Current as ILlmProviderDescriptor)?.ServerEndpoint;

    /// <summary>Gets the current provider's default model.</summary>
    public string? DefaultModel => (Current as ILlmProviderDescriptor)?.DefaultModel;

    /// <summary>Gets the provider requests go to now, rebuilding it first when its options changed.</summary>
    internal ILlmProvider Current
    {
        get
        {
            if (Volatile.Read(ref _stale) != 0 && Interlocked.Exchange(ref _stale, 0) != 0)
            {
                try
                {
                    Volatile.Write(ref _current, _create());
                }
                catch
                {
                    Volatile.Write(ref _stale, 1);
                    throw;
                }
            }

            return Volatile.Read(ref _current);
        }
    }

    /// <summary>
    /// Wraps the provider <paramref name="factory"/> builds when <typeparamref name="TOptions"/> named <paramref name="name"/> has
    /// a change source; else returns it as is.
    /// </summary>
    public static ILlmProvider CreateIfReloadable<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceProvider services, string name, Func<IServiceProvider, string, ILlmProvider> factory)
        where TOptions : class
    {
        var provider = factory(services, name);
        bool watched = false;
        foreach (var source in services.GetServices<IOptionsChangeTokenSource<TOptions>>())
        {
            if (string.Equals(source.Name, name, StringComparison.Ordinal))
            {
                watched = true;
                break;
            }
        }

        if (!watched)
        {
            return provider;
        }

        Func<ILlmProvider> create = () => factory(services, name);
        ReloadingLlmProvider wrapper = provider is IEmbeddingProvider
            ? new ReloadingEmbeddingLlmProvider(provider, create)
            : new ReloadingLlmProvider(provider, create);
        wrapper._subscription = services.GetRequiredService<IOptionsMonitor<TOptions>>().OnChange((_, changed) =>
        {
            if (string.Equals(changed ?? Options.DefaultName, name, StringComparison.Ordinal))
            {
                wrapper.MarkStale();
            }
        });
        return wrapper;
    }

    /// <summary>Makes the next request rebuild the inner provider.</summary>
    public void MarkStale() => Volatile.Write(ref _stale, 1);

    /// <summary>Returns the current inner provider when it is a <paramref name="serviceType"/>, else this wrapper when it is one, else <see langword="null"/>.</summary>
    /// <param name="serviceType">The type asked for, e.g. the satellite's provider type.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    public object? GetService(Type serviceType)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        var current = Current;
        return serviceType.IsInstanceOfType(current) ? current : serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default) => Current.ChatAsync(request, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) => Current.StreamAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) => Current.ListModelsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) => Current.CheckHealthAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops following the options; disposes the current inner provider.</summary>
    /// <param name="disposing"><see langword="true"/> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Interlocked.Exchange(ref _subscription, null)?.Dispose();
            (Volatile.Read(ref _current) as IDisposable)?.Dispose();
        }
    }

    /// <summary>The wrapper of a provider that offers embeddings.</summary>
    private sealed class ReloadingEmbeddingLlmProvider(ILlmProvider initial, Func<ILlmProvider> create) : ReloadingLlmProvider(initial, create), IEmbeddingProvider
    {
        public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default) =>
            Current is IEmbeddingProvider embeddings
                ? embeddings.EmbedAsync(request, cancellationToken)
                : throw new InvalidOperationException($"The provider '{Name}' ({Kind}) no longer offers embeddings after its options changed.");
    }
}
