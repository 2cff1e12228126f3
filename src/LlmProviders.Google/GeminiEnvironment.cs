using System;
using LlmProviders.Http;

namespace LlmProviders.Google;

/// <summary>
/// Reads the environment variables that fill the options left unset: the key from <c>GOOGLE_API_KEY</c>, else
/// <c>GEMINI_API_KEY</c> (the order of the google-genai SDKs), and the base URL from <c>GOOGLE_GEMINI_BASE_URL</c>.
/// Injectable so that tests never depend on the machine's real environment.
/// </summary>
internal sealed class GeminiEnvironment : ProviderEnvironment
{
    public const string ApiKeyVariable = "GOOGLE_API_KEY";
    public const string AlternateApiKeyVariable = "GEMINI_API_KEY";
    public const string BaseUrlVariable = "GOOGLE_GEMINI_BASE_URL";

    public GeminiEnvironment(Func<string, string?> read)
        : base(read)
    {
    }

    /// <summary>Gets the reader of the process environment.</summary>
    public static GeminiEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Fills the unset options from the environment. Values set in code or configuration win.</summary>
    /// <param name="options">The options to complete.</param>
    public void Apply(GeminiProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ApiKey) && (Read(ApiKeyVariable) ?? Read(AlternateApiKeyVariable)) is { } key)
        {
            options.ApiKey = key;
        }

        if (options.BaseUrl is null && Read(BaseUrlVariable) is { } url)
        {
            options.BaseUrl = ParseUrl(url);
        }
    }
}
