using System;

namespace LlmProviders.Routing;

/// <summary>The arguments of <see cref="ILlmProviderManager.Changed"/>.</summary>
public sealed class LlmProvidersChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="change">What changed.</param>
    /// <param name="name">The provider added or removed, or the new default (<see langword="null"/> when the default was cleared).</param>
    public LlmProvidersChangedEventArgs(LlmProvidersChangeKind change, string? name)
    {
        Change = change;
        Name = name;
    }

    /// <summary>Gets what changed.</summary>
    public LlmProvidersChangeKind Change { get; }

    /// <summary>Gets the provider added or removed, or the new default provider (<see langword="null"/> when the default was cleared).</summary>
    public string? Name { get; }
}
