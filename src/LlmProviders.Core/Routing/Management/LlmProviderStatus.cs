namespace LlmProviders.Routing;

/// <summary>One provider (or router) as <see cref="ILlmProviderManager.ListProviders"/> reports it.</summary>
/// <remarks>A snapshot taken when the list was made. More columns (health, circuit state …) may be added in later versions.</remarks>
public sealed class LlmProviderStatus
{
    /// <summary>Gets the registration name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the provider kind (see <see cref="LlmProviderKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>Gets a value indicating whether the provider runs locally.</summary>
    public bool IsLocal { get; init; }

    /// <summary>Gets what the provider can do.</summary>
    public LlmCapabilities Capabilities { get; init; }

    /// <summary>Gets a value indicating whether this is the default provider (<see cref="ILlmProviderManager.DefaultProvider"/>).</summary>
    public bool IsDefault { get; init; }

    /// <summary>Gets a value indicating whether this is a router (kind <see cref="LlmProviderKinds.Router"/>) rather than a provider.</summary>
    public bool IsRouter { get; init; }

    /// <summary>Gets where the provider comes from: configured at start, or added at run time.</summary>
    public LlmProviderSource Source { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name} ({Kind}{(IsRouter ? ", router" : string.Empty)}{(IsLocal ? ", local" : string.Empty)}{(IsDefault ? ", default" : string.Empty)}, {Source})";
}
