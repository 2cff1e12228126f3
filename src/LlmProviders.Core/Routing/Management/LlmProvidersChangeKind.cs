namespace LlmProviders.Routing;

/// <summary>What changed, in <see cref="LlmProvidersChangedEventArgs"/>.</summary>
public enum LlmProvidersChangeKind
{
    /// <summary>A provider was added (<see cref="ILlmProviderManager.AddProvider"/> or <see cref="ILlmProviderManager.EnableProvider"/>).</summary>
    Added,

    /// <summary>A provider was removed (<see cref="ILlmProviderManager.RemoveProvider"/>).</summary>
    Removed,

    /// <summary>The default provider changed (set, or cleared because the default was removed).</summary>
    DefaultChanged,
}
