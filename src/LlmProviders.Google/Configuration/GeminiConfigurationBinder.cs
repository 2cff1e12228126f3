using System;
using System.Collections.Generic;
using LlmProviders.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

[assembly: LlmProviderConfiguration(typeof(LlmProviders.Google.GeminiConfigurationBinder), "gemini", "google")]

namespace LlmProviders.Google;

/// <summary>Binds providers of this package from configuration (<c>AddLlmProviders(configuration)</c>) into <see cref="GeminiProviderOptions"/>.</summary>
internal sealed class GeminiConfigurationBinder : ILlmProviderConfigurationBinder
{
    /// <inheritdoc />
    public bool IsApiKeyRequired(string type) => true;

    /// <inheritdoc />
    public IReadOnlyList<string> GetApiKeyVariables(string type) => ["GOOGLE_API_KEY", "GEMINI_API_KEY"];

    /// <inheritdoc />
    public IEnumerable<(string Type, string Name)> GetEnvironmentProviders(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrWhiteSpace(environment("GOOGLE_API_KEY")) || !string.IsNullOrWhiteSpace(environment("GEMINI_API_KEY")) ? [("gemini", "gemini")] : [];
    }

    /// <inheritdoc />
    public void AddProvider(LlmProviderConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section;
        context.Builder.AddGemini(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
        context.WatchOptions<GeminiProviderOptions>();
    }
}
