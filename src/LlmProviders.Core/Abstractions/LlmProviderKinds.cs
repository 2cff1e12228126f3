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

    /// <summary>Any other OpenAI-compatible endpoint (<c>AddOpenAICompatible</c>, seed 001's <c>CUSTOM_PROVIDER_*</c>).</summary>
    public const string OpenAICompatible = "openai-compatible";

    /// <summary>Together AI (an OpenAI-compatible preset).</summary>
    public const string TogetherAI = "together";

    /// <summary>OpenRouter (an OpenAI-compatible preset).</summary>
    public const string OpenRouter = "openrouter";

    /// <summary>vLLM's OpenAI-compatible server (a local OpenAI-compatible preset).</summary>
    public const string Vllm = "vllm";

    /// <summary>LocalAI (a local OpenAI-compatible preset).</summary>
    public const string LocalAI = "localai";

    /// <summary>The simulated provider.</summary>
    public const string Simulated = "simulated";

    /// <summary>Any Microsoft.Extensions.AI <c>IChatClient</c> registered as a provider (<c>AddChatClient</c>, <c>AsLlmProvider</c>) without a kind of its own.</summary>
    public const string ChatClient = "chatclient";

    /// <summary>A router (fallback chain) over other providers.</summary>
    public const string Router = "router";
}
