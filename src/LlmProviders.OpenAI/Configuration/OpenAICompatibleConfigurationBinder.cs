using System;
using System.Collections.Generic;
using LlmProviders.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

[assembly: LlmProviderConfiguration(typeof(LlmProviders.OpenAI.OpenAICompatibleConfigurationBinder), "together", "together_ai", "openrouter", "vllm", "localai", "openai_compatible", "custom")]

namespace LlmProviders.OpenAI;

/// <summary>
/// Binds the OpenAI-compatible presets from configuration (<c>AddLlmProviders(configuration)</c>): Together AI, OpenRouter, vLLM,
/// LocalAI, and any other endpoint (<c>openai-compatible</c> or <c>custom</c>, which needs a <c>BaseUrl</c>).
/// </summary>
internal sealed class OpenAICompatibleConfigurationBinder : ILlmProviderConfigurationBinder
{
    private static readonly (string Variable, string Type)[] EnvironmentPresets =
        [("TOGETHER_API_KEY", "together"), ("OPENROUTER_API_KEY", "openrouter"), ("VLLM_URL", "vllm"), ("LOCALAI_URL", "localai")];

    /// <inheritdoc />
    public bool IsApiKeyRequired(string type) => Preset(type) is "together" or "openrouter" or "custom";

    /// <inheritdoc />
    public IReadOnlyList<string> GetApiKeyVariables(string type) => Preset(type) switch
    {
        "together" => ["TOGETHER_API_KEY"],
        "openrouter" => ["OPENROUTER_API_KEY"],
        _ => [],
    };

    /// <inheritdoc />
    /// <remarks>Together AI and OpenRouter by their keys, vLLM and LocalAI by their URLs. A custom endpoint needs configuration (or
    /// <c>AddOpenAICompatible()</c>, which reads <c>CUSTOM_PROVIDER_*</c>).</remarks>
    public IEnumerable<(string Type, string Name)> GetEnvironmentProviders(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var found = new List<(string Type, string Name)>();
        foreach (var (variable, type) in EnvironmentPresets)
        {
            if (!string.IsNullOrWhiteSpace(environment(variable)))
            {
                found.Add((type, type));
            }
        }

        return found;
    }

    /// <inheritdoc />
    public void AddProvider(LlmProviderConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section;
        switch (Preset(context.Type))
        {
            case "openrouter":
                context.Builder.AddOpenRouter(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
                context.WatchOptions<OpenRouterProviderOptions>();
                return;
            case "together":
                context.Builder.AddTogetherAI(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
                break;
            case "vllm":
                context.Builder.AddVllm(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
                break;
            case "localai":
                context.Builder.AddLocalAI(context.Name, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
                break;
            default:
                var baseUrl = context.GetUrl("BaseUrl") ?? throw new ArgumentException(
                    "the OpenAI-compatible provider needs a BaseUrl; set \"BaseUrl\": \"https://api.example.com/v1\" (the URL before /chat/completions).");
                context.Builder.AddOpenAICompatible(context.Name, baseUrl, o =>
        {
            section.Bind(o);
            context.ApplyModels(o);
        });
                break;
        }

        context.WatchOptions<OpenAICompatibleProviderOptions>();
    }

    private static string Preset(string type) => type switch
    {
        "together" or "together_ai" => "together",
        "openrouter" => "openrouter",
        "vllm" => "vllm",
        "localai" => "localai",
        _ => "custom",
    };
}
