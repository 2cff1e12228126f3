using System;
using LlmProviders.Http;

namespace LlmProviders.OpenAI;

/// <summary>
/// Reads the <c>OPENAI_*</c> environment variables that fill the options left unset. Injectable so that tests never depend on
/// the machine's real environment (register another instance in the service collection, or pass one to the internal constructor).
/// </summary>
internal sealed class OpenAIEnvironment : ProviderEnvironment
{
    public const string ApiKeyVariable = "OPENAI_API_KEY";
    public const string BaseUrlVariable = "OPENAI_BASE_URL";
    public const string OrganizationVariable = "OPENAI_ORGANIZATION";
    public const string ProjectVariable = "OPENAI_PROJECT_ID";

    public OpenAIEnvironment(Func<string, string?> read)
        : base(read)
    {
    }

    /// <summary>Gets the reader of the process environment.</summary>
    public static OpenAIEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Fills the unset options from the environment. Values set in code or configuration win.</summary>
    /// <param name="options">The options to complete.</param>
    public void Apply(OpenAIProviderOptions options)
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

        if (string.IsNullOrWhiteSpace(options.Organization) && Read(OrganizationVariable) is { } organization)
        {
            options.Organization = organization;
        }

        if (string.IsNullOrWhiteSpace(options.Project) && Read(ProjectVariable) is { } project)
        {
            options.Project = project;
        }
    }
}
