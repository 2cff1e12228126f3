using System;
using System.Collections.Generic;

namespace LlmProviders.Configuration;

/// <summary>
/// Registers providers of one package from configuration: given a provider's section (keys matched loosely, environment
/// references resolved), it calls the package's <c>AddXxx</c> with the section bound into the package's options. Declared with
/// <see cref="LlmProviderConfigurationAttribute"/> on the package's assembly, or registered with
/// <c>builder.AddConfigurationBinder(binder, "my-type")</c> for a provider of your own.
/// </summary>
public interface ILlmProviderConfigurationBinder
{
    /// <summary>Determines whether a provider of <paramref name="type"/> needs an API key (a cloud provider) when nothing says otherwise.</summary>
    /// <param name="type">The provider type, as the binder declared it.</param>
    /// <returns><see langword="true"/> for a cloud provider; <see langword="false"/> for a local one or one without authentication.</returns>
    bool IsApiKeyRequired(string type);

    /// <summary>Gets the environment variables that supply the key of <paramref name="type"/> when the configuration has none.</summary>
    /// <param name="type">The provider type, as the binder declared it.</param>
    /// <returns>The variable names, e.g. <c>OPENAI_API_KEY</c>; empty when there is none.</returns>
    IReadOnlyList<string> GetApiKeyVariables(string type);

    /// <summary>Registers the provider <see cref="LlmProviderConfigurationContext.Name"/> on <see cref="LlmProviderConfigurationContext.Builder"/>.</summary>
    /// <param name="context">The provider's name, type, section and builder.</param>
    void AddProvider(LlmProviderConfigurationContext context);

    /// <summary>
    /// Gets the providers of this package to register when the configuration lists none, from the environment alone (SPEC's
    /// provider table: e.g. <c>OPENAI_API_KEY</c> registers <c>openai</c>), each as its configuration type and registration name.
    /// </summary>
    /// <param name="environment">Reads an environment variable (<see langword="null"/> when unset).</param>
    /// <returns>The providers the environment enables; none by default.</returns>
    IEnumerable<(string Type, string Name)> GetEnvironmentProviders(Func<string, string?> environment) => [];
}
