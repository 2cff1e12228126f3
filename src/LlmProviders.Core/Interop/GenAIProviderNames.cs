namespace LlmProviders.Interop;

/// <summary>OpenTelemetry's <c>gen_ai.provider.name</c> for a provider kind (the semantic conventions' well-known values where one exists).</summary>
internal static class GenAIProviderNames
{
    /// <summary>The value for the router and its chains, which answer through many providers.</summary>
    public const string Router = "llmproviders";

    public static string FromKind(string? kind) => kind?.ToUpperInvariant() switch
    {
        null or "" => LlmProviderKinds.ChatClient,
        "OPENAI" => "openai",
        "AZURE-OPENAI" => "azure.ai.openai",
        "ANTHROPIC" => "anthropic",
        "GOOGLE" => "gcp.gemini",
        "MISTRAL" => "mistral_ai",
        "ROUTER" => Router,
        _ => kind.ToLowerInvariant(),
    };
}
