using System;
using System.Collections.Generic;

namespace LlmProviders.Routing;

/// <summary>
/// Manages the providers of an application while it runs (SPEC RT9): adds and removes providers, sets the default, enables a
/// cloud provider from its API key, and lists every provider with its status. Resolve it from the service provider after
/// <c>services.AddLlmProviders(…)</c>; the routers see every change on their next attempt.
/// </summary>
/// <remarks>
/// <para>Thread-safe. Changes are atomic and visible to every thread once the method returns; calls already in flight finish
/// on the provider instance they hold, even if that provider is removed meanwhile.</para>
/// <para>Names match exactly (ordinal), as in the chains' targets, and are unique ignoring case.</para>
/// </remarks>
public interface ILlmProviderManager
{
    /// <summary>Occurs after a provider is added or removed, or the default provider changes.</summary>
    /// <remarks>Raised on the thread that made the change, after the change is visible. Handlers should be quick and must not throw.</remarks>
    event EventHandler<LlmProvidersChangedEventArgs>? Changed;

    /// <summary>
    /// Gets the name of the default provider: initially the value of <c>LLM_DEFAULT_PROVIDER</c>, else <see langword="null"/>
    /// (no default). Removing the default provider clears it.
    /// </summary>
    string? DefaultProvider { get; }

    /// <summary>
    /// Lists the providers: the configured ones in registration order (routers included, marked with
    /// <see cref="LlmProviderStatus.IsRouter"/>), then those added at run time, in the order they were added. Removed providers are
    /// not listed.
    /// </summary>
    /// <returns>A snapshot; later changes do not change it.</returns>
    /// <remarks>Creates the configured providers that have not been used yet (their capabilities come from the instance).</remarks>
    IReadOnlyList<LlmProviderStatus> ListProviders();

    /// <summary>Gets a provider (or router) by its exact name.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The provider, or <see langword="null"/> when no provider has that name (never registered, or removed).</returns>
    ILlmProvider? GetProvider(string name);

    /// <summary>Adds a provider under its <see cref="ILlmProvider.Name"/>.</summary>
    /// <param name="provider">The provider. It stays yours: the manager never disposes it, not even when it is removed.</param>
    /// <exception cref="ArgumentException">The provider's name is empty.</exception>
    /// <exception cref="InvalidOperationException">A provider with that name (ignoring case) is already listed; remove it first to replace it.</exception>
    void AddProvider(ILlmProvider provider);

    /// <summary>
    /// Removes a provider: a configured one is hidden (routers then skip it as not registered), one added at run time is dropped.
    /// The name becomes free for <see cref="AddProvider"/> or <see cref="EnableProvider"/>.
    /// </summary>
    /// <param name="name">The exact registration name.</param>
    /// <returns><see langword="true"/> when the provider was listed and is now removed; <see langword="false"/> when no provider has that name.</returns>
    /// <remarks>
    /// Calls already in flight finish on the instance they hold. No provider is disposed: configured ones stay owned by the
    /// service provider, and one you added (or enabled) stays yours to dispose once its calls are done. Removing the default
    /// provider clears <see cref="DefaultProvider"/>.
    /// </remarks>
    bool RemoveProvider(string name);

    /// <summary>Sets (or clears) the default provider.</summary>
    /// <param name="name">The exact name of a listed provider or router; <see langword="null"/> for no default.</param>
    /// <exception cref="ArgumentException">No provider has that name; the message lists the names there are.</exception>
    void SetDefaultProvider(string? name);

    /// <summary>
    /// Enables a cloud provider from its API key: builds it with the registered <see cref="ILlmProviderFactory"/> of
    /// <paramref name="kind"/> (default options plus the key) and adds it. The key never appears in a message, a log or a
    /// <see cref="object.ToString"/>.
    /// </summary>
    /// <param name="kind">The provider kind (see <see cref="LlmProviderKinds"/>), e.g. <c>openai</c>, <c>anthropic</c>, <c>google</c>, <c>mistral</c>.</param>
    /// <param name="apiKey">The API key.</param>
    /// <param name="name">The registration name; <see langword="null"/> for the kind's usual name (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>, <c>mistral</c> …).</param>
    /// <returns>The provider added.</returns>
    /// <exception cref="ArgumentException">The key is empty, or no factory of that kind is registered (the message lists the kinds there are).</exception>
    /// <exception cref="InvalidOperationException">The name is taken (ignoring case), or the factory could not build the provider.</exception>
    ILlmProvider EnableProvider(string kind, string apiKey, string? name = null);
}
