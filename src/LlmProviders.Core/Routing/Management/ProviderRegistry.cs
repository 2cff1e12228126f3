using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Threading;
using LlmProviders.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Routing;

/// <summary>
/// The providers of an application, configured and added at run time (SPEC RT9), and the routers' way to find them:
/// <see cref="Resolve"/> is the hot path, called per attempt, lock-free and allocation-free.
/// </summary>
/// <remarks>
/// <para>State is an immutable snapshot (a frozen ordinal dictionary plus the listing order) published through a volatile
/// field; writers build the next snapshot under a lock (changes are rare) and publish it, so a <see cref="Resolve"/> that
/// starts after a change returned sees it. Configured providers are created lazily from the service provider
/// (<c>GetKeyedService&lt;ILlmProvider&gt;(name)</c>) on first use and cached in their slot of the snapshot.</para>
/// <para>Names match exactly (ordinal, like the keyed services the chains resolved before) and are unique ignoring case.</para>
/// </remarks>
internal sealed class ProviderRegistry : ILlmProviderManager
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly ILlmProviderFactory[] _factories;
    private readonly Lock _gate = new();
    private volatile Snapshot _snapshot;
    private volatile string? _defaultProvider;
    private long _version;

    /// <summary>Initializes the registry over the configured providers.</summary>
    /// <param name="services">The service provider the configured providers are resolved from (keyed by name).</param>
    /// <param name="registrations">The configured providers and routers, in registration order.</param>
    /// <param name="factories">The factories <see cref="EnableProvider"/> uses; the first of each kind (ignoring case) wins.</param>
    /// <param name="defaultProvider">The initial default provider (from <c>LLM_DEFAULT_PROVIDER</c>), or <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="InvalidOperationException"><paramref name="defaultProvider"/> names no configured provider.</exception>
    public ProviderRegistry(IServiceProvider services, IReadOnlyList<LlmProviderRegistration> registrations, IEnumerable<ILlmProviderFactory> factories, string? defaultProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(factories);
        ArgumentNullException.ThrowIfNull(logger);
        _services = services;
        _logger = logger;

        var distinct = new List<ILlmProviderFactory>();
        foreach (var factory in factories)
        {
            if (factory is not null && FindFactory(distinct, factory.Kind) is null)
            {
                distinct.Add(factory);
            }
        }

        _factories = distinct.ToArray();

        var slots = new Slot[registrations.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = new Slot(registrations[i].Name, registrations[i].Kind, LlmProviderSource.Configured, instance: null);
        }

        _snapshot = new Snapshot(slots);
        if (defaultProvider is not null)
        {
            if (!_snapshot.ByName.ContainsKey(defaultProvider))
            {
                throw new InvalidOperationException(
                    $"{RouterEnvironment.DefaultProviderVariable} is '{defaultProvider}', which is not a registered provider or chain. " +
                    $"{DescribeNames(_snapshot, defaultProvider)} Set it to one of them (names match exactly), or unset it.");
            }

            _defaultProvider = defaultProvider;
        }
    }

    /// <inheritdoc />
    public event EventHandler<LlmProvidersChangedEventArgs>? Changed;

    /// <inheritdoc />
    public string? DefaultProvider => _defaultProvider;

    /// <summary>Gets a number incremented on every change (add, remove, default), so routers may cache resolutions per version.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>
    /// Finds a provider by its exact name: the hot path the routers call per attempt. Lock-free and allocation-free once the
    /// provider has been created.
    /// </summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The provider, or <see langword="null"/> when none has that name (never registered, or removed).</returns>
    public ILlmProvider? Resolve(string name)
    {
        if (!_snapshot.ByName.TryGetValue(name, out var slot))
        {
            return null;
        }

        return slot.Instance ?? Materialize(slot);
    }

    /// <inheritdoc />
    public ILlmProvider? GetProvider(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Resolve(name);
    }

    /// <inheritdoc />
    public IReadOnlyList<LlmProviderStatus> ListProviders()
    {
        var snapshot = _snapshot;
        string? defaultProvider = _defaultProvider;
        var list = new List<LlmProviderStatus>(snapshot.Ordered.Length);
        foreach (var slot in snapshot.Ordered)
        {
            var provider = slot.Instance ?? Materialize(slot);
            list.Add(new LlmProviderStatus
            {
                Name = slot.Name,
                Kind = slot.Kind,
                IsLocal = provider?.IsLocal ?? false,
                Capabilities = provider?.Capabilities ?? LlmCapabilities.None,
                IsDefault = string.Equals(slot.Name, defaultProvider, StringComparison.Ordinal),
                IsRouter = string.Equals(slot.Kind, LlmProviderKinds.Router, StringComparison.Ordinal),
                Source = slot.Source,
            });
        }

        return list;
    }

    /// <inheritdoc />
    public void AddProvider(ILlmProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        string name = provider.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("The provider's Name is empty; give the provider a registration name.", nameof(provider));
        }

        string kind = string.IsNullOrWhiteSpace(provider.Kind) ? "unknown" : provider.Kind;
        lock (_gate)
        {
            var current = _snapshot;
            ThrowIfTaken(current, name, kind);
            var slots = new Slot[current.Ordered.Length + 1];
            Array.Copy(current.Ordered, slots, current.Ordered.Length);
            slots[^1] = new Slot(name, kind, LlmProviderSource.Runtime, provider);
            Publish(new Snapshot(slots));
        }

        ManagementLog.Added(_logger, name, kind);
        Changed?.Invoke(this, new LlmProvidersChangedEventArgs(LlmProvidersChangeKind.Added, name));
    }

    /// <inheritdoc />
    public bool RemoveProvider(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Slot? removed;
        bool defaultCleared = false;
        lock (_gate)
        {
            var current = _snapshot;
            if (!current.ByName.TryGetValue(name, out removed))
            {
                return false;
            }

            var slots = new Slot[current.Ordered.Length - 1];
            int next = 0;
            foreach (var slot in current.Ordered)
            {
                if (!ReferenceEquals(slot, removed))
                {
                    slots[next++] = slot;
                }
            }

            if (string.Equals(_defaultProvider, name, StringComparison.Ordinal))
            {
                _defaultProvider = null;
                defaultCleared = true;
            }

            Publish(new Snapshot(slots));
        }

        ManagementLog.Removed(_logger, name, removed.Source);
        Changed?.Invoke(this, new LlmProvidersChangedEventArgs(LlmProvidersChangeKind.Removed, name));
        if (defaultCleared)
        {
            ManagementLog.DefaultCleared(_logger);
            Changed?.Invoke(this, new LlmProvidersChangedEventArgs(LlmProvidersChangeKind.DefaultChanged, null));
        }

        return true;
    }

    /// <inheritdoc />
    public void SetDefaultProvider(string? name)
    {
        lock (_gate)
        {
            if (name is not null && !_snapshot.ByName.ContainsKey(name))
            {
                throw new ArgumentException(
                    $"No provider or router named '{name}' is listed, so it cannot be the default. {DescribeNames(_snapshot, name)} " +
                    "Add it first (AddProvider, EnableProvider) or pass one of those names.",
                    nameof(name));
            }

            if (string.Equals(_defaultProvider, name, StringComparison.Ordinal))
            {
                return;
            }

            _defaultProvider = name;
            Interlocked.Increment(ref _version);
        }

        if (name is null)
        {
            ManagementLog.DefaultCleared(_logger);
        }
        else
        {
            ManagementLog.DefaultSet(_logger, name);
        }

        Changed?.Invoke(this, new LlmProvidersChangedEventArgs(LlmProvidersChangeKind.DefaultChanged, name));
    }

    /// <inheritdoc />
    public ILlmProvider EnableProvider(string kind, string apiKey, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException("The API key is empty; pass the provider's key.", nameof(apiKey));
        }

        if (name is not null && string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("The name is blank; pass a registration name, or null for the kind's usual name.", nameof(name));
        }

        var factory = FindFactory(_factories, kind) ?? throw new ArgumentException(
            $"No provider factory of kind '{kind}' is registered, so it cannot be enabled from a key. Registered kinds: {DescribeKinds()}. " +
            "Reference the provider's package and register it (e.g. builder.AddOpenAI(), which also adds its factory), or add a factory with builder.AddProviderFactory(...).",
            nameof(kind));
        name ??= UsualName(factory.Kind);
        ThrowIfTaken(_snapshot, name, factory.Kind); // Fail before building; AddProvider checks again.

        ILlmProvider? provider;
        try
        {
            provider = factory.Create(name, apiKey, _services);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            string detail = SecretRedactor.Redact(ex.Message, apiKey);
            string message = $"The '{factory.Kind}' factory could not build the provider '{name}': {detail}";

            // The original exception goes along only when nothing in it shows the key.
            throw ex.ToString().Contains(apiKey, StringComparison.Ordinal)
                ? new InvalidOperationException(message)
                : new InvalidOperationException(message, ex);
        }

        if (provider is null || !string.Equals(provider.Name, name, StringComparison.Ordinal))
        {
            (provider as IDisposable)?.Dispose();
            throw new InvalidOperationException(
                $"The '{factory.Kind}' factory ({factory.GetType().Name}) returned {(provider is null ? "no provider" : $"a provider named '{provider.Name}'")} " +
                $"when asked for '{name}'; a factory must build a provider with the name it is given.");
        }

        try
        {
            AddProvider(provider);
        }
        catch
        {
            // Built here and never handed out: ours to dispose.
            (provider as IDisposable)?.Dispose();
            throw;
        }

        ManagementLog.Enabled(_logger, name, factory.Kind);
        return provider;
    }

    /// <summary>Gets the name a provider of <paramref name="kind"/> has by default (the satellites' <c>AddXxx</c> default names).</summary>
    /// <param name="kind">The provider kind.</param>
    /// <returns>The usual name: <c>gemini</c> for <c>google</c>, else the kind itself.</returns>
    internal static string UsualName(string kind) =>
        string.Equals(kind, LlmProviderKinds.Google, StringComparison.OrdinalIgnoreCase) ? "gemini" : kind.ToLowerInvariant();

    private static ILlmProviderFactory? FindFactory(IReadOnlyList<ILlmProviderFactory> factories, string kind)
    {
        foreach (var factory in factories)
        {
            if (string.Equals(factory.Kind, kind, StringComparison.OrdinalIgnoreCase))
            {
                return factory;
            }
        }

        return null;
    }

    private static void ThrowIfTaken(Snapshot current, string name, string kind)
    {
        foreach (var slot in current.Ordered)
        {
            if (string.Equals(slot.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                string existing = slot.Source == LlmProviderSource.Configured ? "configured" : "added at run time";
                throw new InvalidOperationException(
                    $"A provider named '{slot.Name}' ({slot.Kind}, {existing}) is already listed, so '{name}' ({kind}) cannot be added " +
                    $"(names are unique, ignoring case). Remove '{slot.Name}' first (RemoveProvider) to replace it, or give the new provider another name, e.g. '{name}-2'.");
            }
        }
    }

    private static string DescribeNames(Snapshot snapshot, string wanted)
    {
        if (snapshot.Ordered.Length == 0)
        {
            return "No provider is registered.";
        }

        var names = new List<string>(snapshot.Ordered.Length);
        string? differentCase = null;
        foreach (var slot in snapshot.Ordered)
        {
            names.Add(slot.Name);
            if (string.Equals(slot.Name, wanted, StringComparison.OrdinalIgnoreCase))
            {
                differentCase = slot.Name;
            }
        }

        string listed = "Providers and routers: " + string.Join(", ", names) + ".";
        return differentCase is null ? listed : $"Did you mean '{differentCase}'? Names match exactly. {listed}";
    }

    private string DescribeKinds()
    {
        if (_factories.Length == 0)
        {
            return "none";
        }

        var kinds = new string[_factories.Length];
        for (int i = 0; i < kinds.Length; i++)
        {
            kinds[i] = _factories[i].Kind;
        }

        return string.Join(", ", kinds);
    }

    // Called under _gate: publish the snapshot first, then the version, so a reader seeing the new version sees the new snapshot.
    private void Publish(Snapshot next)
    {
        _snapshot = next;
        Interlocked.Increment(ref _version);
    }

    // A configured provider's first use: created by the service provider (a singleton, so a race creates it once) and cached.
    // Never under _gate: creating a router resolves other services, possibly this registry.
    private ILlmProvider? Materialize(Slot slot)
    {
        var provider = _services.GetKeyedService<ILlmProvider>(slot.Name);
        if (provider is not null)
        {
            slot.Instance = provider;
        }

        return provider;
    }

    private sealed class Snapshot
    {
        public Snapshot(Slot[] ordered)
        {
            Ordered = ordered;
            var byName = new Dictionary<string, Slot>(ordered.Length, StringComparer.Ordinal);
            foreach (var slot in ordered)
            {
                byName.Add(slot.Name, slot);
            }

            ByName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        }

        /// <summary>Gets the listed providers in listing order: configured ones first, then runtime ones as added.</summary>
        public Slot[] Ordered { get; }

        public FrozenDictionary<string, Slot> ByName { get; }
    }

    private sealed class Slot(string name, string kind, LlmProviderSource source, ILlmProvider? instance)
    {
        private volatile ILlmProvider? _instance = instance;

        public string Name { get; } = name;

        public string Kind { get; } = kind;

        public LlmProviderSource Source { get; } = source;

        public ILlmProvider? Instance
        {
            get => _instance;
            set => _instance = value;
        }
    }
}
