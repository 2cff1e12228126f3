using System;
using System.Collections.Generic;
using LlmProviders.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

[assembly: LlmProviderConfiguration(typeof(LlmProviders.AzureOpenAI.AzureOpenAIConfigurationBinder), "azure_openai", "azure")]

namespace LlmProviders.AzureOpenAI;

/// <summary>Binds providers of this package from configuration (<c>AddLlmProviders(configuration)</c>) into <see cref="AzureOpenAIProviderOptions"/>.</summary>
internal sealed class AzureOpenAIConfigurationBinder : ILlmProviderConfigurationBinder
{
    /// <inheritdoc />
    public bool IsApiKeyRequired(string type) => true;

    /// <inheritdoc />
    public IReadOnlyList<string> GetApiKeyVariables(string type) => ["AZURE_OPENAI_API_KEY"];

    /// <inheritdoc />
    public IEnumerable<(string Type, string Name)> GetEnvironmentProviders(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrWhiteSpace(environment("AZURE_OPENAI_API_KEY")) && !string.IsNullOrWhiteSpace(environment("AZURE_OPENAI_ENDPOINT"))
            ? [("azure_openai", "azure-openai")]
            : [];
    }

    /// <inheritdoc />
    public void AddProvider(LlmProviderConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section;
        context.Builder.AddAzureOpenAI(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
        context.WatchOptions<AzureOpenAIProviderOptions>();
    }
}
