using System;
using System.Collections.Generic;
using LlmProviders.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

[assembly: LlmProviderConfiguration(typeof(LlmProviders.Mistral.MistralConfigurationBinder), "mistral")]

namespace LlmProviders.Mistral;

/// <summary>Binds providers of this package from configuration (<c>AddLlmProviders(configuration)</c>) into <see cref="MistralProviderOptions"/>.</summary>
internal sealed class MistralConfigurationBinder : ILlmProviderConfigurationBinder
{
    /// <inheritdoc />
    public bool IsApiKeyRequired(string type) => true;

    /// <inheritdoc />
    public IReadOnlyList<string> GetApiKeyVariables(string type) => ["MISTRAL_API_KEY"];

    /// <inheritdoc />
    public IEnumerable<(string Type, string Name)> GetEnvironmentProviders(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrWhiteSpace(environment("MISTRAL_API_KEY")) ? [("mistral", "mistral")] : [];
    }

    /// <inheritdoc />
    public void AddProvider(LlmProviderConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section;
        context.Builder.AddMistral(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
        context.WatchOptions<MistralProviderOptions>();
    }
}
