using System;
using System.Collections.Generic;
using LlmProviders.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

[assembly: LlmProviderConfiguration(typeof(LlmProviders.Ollama.OllamaConfigurationBinder), "ollama")]

namespace LlmProviders.Ollama;

/// <summary>Binds providers of this package from configuration (<c>AddLlmProviders(configuration)</c>) into <see cref="OllamaProviderOptions"/>.</summary>
internal sealed class OllamaConfigurationBinder : ILlmProviderConfigurationBinder
{
    /// <inheritdoc />
    public bool IsApiKeyRequired(string type) => false;

    /// <inheritdoc />
    public IReadOnlyList<string> GetApiKeyVariables(string type) => [];

    /// <inheritdoc />
    public IEnumerable<(string Type, string Name)> GetEnvironmentProviders(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrWhiteSpace(environment("OLLAMA_BASE_URL")) || !string.IsNullOrWhiteSpace(environment("OLLAMA_URL")) ? [("ollama", "ollama")] : [];
    }

    /// <inheritdoc />
    public void AddProvider(LlmProviderConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section;
        context.Builder.AddOllama(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
        context.WatchOptions<OllamaProviderOptions>();
    }
}
