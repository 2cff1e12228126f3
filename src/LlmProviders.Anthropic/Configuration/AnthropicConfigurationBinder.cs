using System;
using System.Collections.Generic;
using LlmProviders.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

[assembly: LlmProviderConfiguration(typeof(LlmProviders.Anthropic.AnthropicConfigurationBinder), "anthropic", "claude")]

namespace LlmProviders.Anthropic;

/// <summary>Binds providers of this package from configuration (<c>AddLlmProviders(configuration)</c>) into <see cref="AnthropicProviderOptions"/>.</summary>
internal sealed class AnthropicConfigurationBinder : ILlmProviderConfigurationBinder
{
    /// <inheritdoc />
    public bool IsApiKeyRequired(string type) => true;

    /// <inheritdoc />
    public IReadOnlyList<string> GetApiKeyVariables(string type) => ["ANTHROPIC_API_KEY"];

    /// <inheritdoc />
    public IEnumerable<(string Type, string Name)> GetEnvironmentProviders(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrWhiteSpace(environment("ANTHROPIC_API_KEY")) ? [("anthropic", "anthropic")] : [];
    }

    /// <inheritdoc />
    public void AddProvider(LlmProviderConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section;
        context.Builder.AddAnthropic(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
        context.WatchOptions<AnthropicProviderOptions>();
    }
}
