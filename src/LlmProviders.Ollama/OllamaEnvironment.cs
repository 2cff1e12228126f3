using System;
using LlmProviders.Http;

namespace LlmProviders.Ollama;

/// <summary>
/// Reads the environment variables that fill the options left unset: <c>OLLAMA_BASE_URL</c>, else <c>OLLAMA_URL</c>, for the
/// base URL, and <c>OLLAMA_API_KEY</c> for the optional bearer key (Ollama cloud, authenticating proxies). Injectable so that
/// tests never depend on the machine's real environment.
/// </summary>
internal sealed class OllamaEnvironment : ProviderEnvironment
{
    public const string BaseUrlVariable = "OLLAMA_BASE_URL";
    public const string UrlVariable = "OLLAMA_URL";
    public const string ApiKeyVariable = "OLLAMA_API_KEY";

    public OllamaEnvironment(Func<string, string?> read)
        : base(read)
    {
    }

    /// <summary>Gets the reader of the process environment.</summary>
    public static OllamaEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Fills the unset options from the environment. Values set in code or configuration win.</summary>
    /// <param name="options">The options to complete.</param>
    public void Apply(OllamaProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BaseUrl is null && (Read(BaseUrlVariable) ?? Read(UrlVariable)) is { } url)
        {
            options.BaseUrl = ParseUrl(url);
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey) && Read(ApiKeyVariable) is { } key)
        {
            options.ApiKey = key;
        }
    }
}
