using System;
using LlmProviders.Http;

namespace LlmProviders.Mistral;

/// <summary>
/// Reads the <c>MISTRAL_*</c> environment variables that fill the options left unset. Injectable so that tests never depend on
/// the machine's real environment (register another instance in the service collection, or pass one to the internal constructor).
/// </summary>
internal sealed class MistralEnvironment : ProviderEnvironment
{
    public const string ApiKeyVariable = "MISTRAL_API_KEY";
    public const string BaseUrlVariable = "MISTRAL_BASE_URL";

    public MistralEnvironment(Func<string, string?> read)
        : base(read)
    {
    }

    /// <summary>Gets the reader of the process environment.</summary>
    public static MistralEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Fills the unset options from the environment. Values set in code or configuration win.</summary>
    /// <param name="options">The options to complete.</param>
    public void Apply(MistralProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ApiKey) && Read(ApiKeyVariable) is { } key)
        {
            options.ApiKey = key;
        }

        if (options.BaseUrl is null && Read(BaseUrlVariable) is { } url)
        {
            options.BaseUrl = ParseUrl(url);
        }
    }
}
