namespace LlmProviders;

/// <summary>Well-known values of <see cref="ILlmProvider.Kind"/>.</summary>
public static class LlmProviderKinds
{
    /// <summary>OpenAI.</summary>
    public const string OpenAI = "openai";

    /// <summary>Azure OpenAI.</summary>
    public const string AzureOpenAI = "azure-openai";

    /// <summary>Anthropic.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Google Gemini.</summary>
    public const string Google = "google";

    /// <summary>Ollama.</summary>
    public const string Ollama = "ollama";

    /// <summary>Mistral.</summary>
    public const string Mistral = "mistral";

    /// <summary>Any OpenAI-compatible endpoint (Together AI, OpenRouter, vLLM, LocalAI, custom).</summary>
    public const string OpenAICompatible = "openai-compatible";

    /// <summary>The simulated provider.</summary>
    public const string Simulated = "simulated";

    /// <summary>A router (fallback chain) over other providers.</summary>
    public const string Router = "router";
}
