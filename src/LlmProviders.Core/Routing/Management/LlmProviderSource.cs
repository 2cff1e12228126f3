namespace LlmProviders.Routing;

/// <summary>Where a provider listed by <see cref="ILlmProviderManager"/> comes from.</summary>
public enum LlmProviderSource
{
    /// <summary>Registered with the builder (<c>AddOpenAI</c>, <c>AddSimulated</c>, <c>AddFallbackChain</c> …) when the services were configured.</summary>
    Configured,

    /// <summary>Added while the application runs (<see cref="ILlmProviderManager.AddProvider"/>, <see cref="ILlmProviderManager.EnableProvider"/>).</summary>
    Runtime,
}
