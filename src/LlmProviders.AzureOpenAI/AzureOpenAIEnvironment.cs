using System;
using LlmProviders.Http;

namespace LlmProviders.AzureOpenAI;

/// <summary>
/// Reads the <c>AZURE_OPENAI_*</c> environment variables that fill the options left unset. Injectable so that tests never depend
/// on the machine's real environment (register another instance in the service collection, or pass one to the internal constructor).
/// </summary>
internal sealed class AzureOpenAIEnvironment : ProviderEnvironment
{
    public const string ApiKeyVariable = "AZURE_OPENAI_API_KEY";
    public const string EndpointVariable = "AZURE_OPENAI_ENDPOINT";
    public const string ApiVersionVariable = "AZURE_OPENAI_API_VERSION";

    public AzureOpenAIEnvironment(Func<string, string?> read)
        : base(read)
    {
    }

    /// <summary>Gets the reader of the process environment.</summary>
    public static AzureOpenAIEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Fills the unset options from the environment. Values set in code or configuration win.</summary>
    /// <param name="options">The options to complete.</param>
    public void Apply(AzureOpenAIProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ApiKey) && options.TokenProvider is null && Read(ApiKeyVariable) is { } key)
        {
            options.ApiKey = key;
        }

        if (options.BaseUrl is null && Read(EndpointVariable) is { } url)
        {
            // An unusable value is kept (as a relative URI) so that validation names it instead of silently ignoring it.
            options.BaseUrl = ParseUrl(url);
        }

        if (options.ApiVersion is null && Read(ApiVersionVariable) is { } version)
        {
            options.ApiVersion = version;
        }
    }
}
