using System;
using LlmProviders.Http;

namespace LlmProviders.OpenAI;

/// <summary>
/// Reads the environment variables of the OpenAI-compatible presets (<c>TOGETHER_API_KEY</c>, <c>OPENROUTER_API_KEY</c>,
/// <c>VLLM_URL</c>, <c>VLLM_API_KEY</c>, <c>LOCALAI_URL</c>, <c>LOCALAI_API_KEY</c>, <c>CUSTOM_PROVIDER_*</c>) that fill the
/// options left unset. Injectable so that tests never depend on the machine's real environment (register another instance in
/// the service collection before the registrations, or pass one to the internal factory).
/// </summary>
internal sealed class OpenAICompatibleEnvironment : ProviderEnvironment
{
    public const string CustomNameVariable = "CUSTOM_PROVIDER_NAME";

    public OpenAICompatibleEnvironment(Func<string, string?> read)
        : base(read)
    {
    }

    /// <summary>Gets the reader of the process environment.</summary>
    public static OpenAICompatibleEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Fills the unset key and base URL from the preset's variables. Values set in code or configuration win.</summary>
    /// <param name="options">The options to complete.</param>
    /// <param name="preset">The preset whose variables apply.</param>
    public void Apply(OpenAICompatibleProviderOptions options, CompatiblePreset preset)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(preset);
        if (string.IsNullOrWhiteSpace(options.ApiKey) && preset.ApiKeyVariable is { } keyVariable && Read(keyVariable) is { } key)
        {
            options.ApiKey = key;
        }

        if (options.BaseUrl is null && preset.BaseUrlVariable is { } urlVariable && Read(urlVariable) is { } url)
        {
            options.BaseUrl = ParseUrl(url);
        }
    }

}
