using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;

namespace LlmProviders.AzureOpenAI;

/// <summary>
/// Options of one Azure OpenAI registration (<see cref="AzureOpenAIProvider"/>). <see cref="HttpProviderOptions.BaseUrl"/> is the
/// resource endpoint (<c>https://{resource}.openai.azure.com</c>, or a Foundry <c>https://{resource}.services.ai.azure.com</c>),
/// <see cref="HttpProviderOptions.DefaultModel"/> the default deployment. Values left unset are read from the environment:
/// <see cref="HttpProviderOptions.ApiKey"/> from <c>AZURE_OPENAI_API_KEY</c>, <see cref="HttpProviderOptions.BaseUrl"/> from
/// <c>AZURE_OPENAI_ENDPOINT</c> and <see cref="ApiVersion"/> from <c>AZURE_OPENAI_API_VERSION</c>.
/// </summary>
public class AzureOpenAIProviderOptions : HttpProviderOptions, IValidatableObject
{
    /// <summary>The <c>api-version</c> sent when neither <see cref="ApiVersion"/> nor <c>AZURE_OPENAI_API_VERSION</c> is set (a GA version).</summary>
    public const string DefaultApiVersion = "2024-10-21";

    /// <summary>
    /// Gets or sets the <c>api-version</c> query parameter of the deployment URLs
    /// (<c>/openai/deployments/{deployment}/chat/completions?api-version=…</c>). Not sent with <see cref="UseV1Api"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <c>AZURE_OPENAI_API_VERSION</c>, else <see cref="DefaultApiVersion"/>.</value>
    public string? ApiVersion { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the v1 API is called (<c>/openai/v1/chat/completions</c>, the deployment in the
    /// body's <c>model</c>, no <c>api-version</c>) instead of the deployment URLs. A <see cref="HttpProviderOptions.BaseUrl"/>
    /// ending in <c>/openai/v1</c> selects it too.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseV1Api { get; set; }

    /// <summary>
    /// Gets or sets the source of Microsoft Entra ID access tokens (scope <c>https://cognitiveservices.azure.com/.default</c>),
    /// sent as <c>Authorization: Bearer …</c> instead of the <c>api-key</c> header. Called before every request with the
    /// caller's cancellation token, so it should cache (Azure.Identity's credentials do); the token is never logged nor put in
    /// an exception. With Azure.Identity: <c>async ct =&gt; (await credential.GetTokenAsync(new(["https://cognitiveservices.azure.com/.default"]), ct)).Token</c>.
    /// When set, <see cref="HttpProviderOptions.ApiKey"/> is ignored.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: key authentication.</value>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>
    /// Gets the catalog model behind each deployment (deployment name → model id such as <c>gpt-4o-mini</c>). Results of a
    /// mapped deployment report that model in <see cref="ChatResult.Model"/> (so pricing and routing see the configured
    /// model; Azure answers with base model names), with Azure's answer kept in <see cref="ChatResult.AdditionalProperties"/>
    /// under <see cref="AzureOpenAIProvider.AnsweredModelKey"/>. Embedding results of a mapped deployment report it the same way.
    /// </summary>
    /// <value>The default value is an empty dictionary (case-insensitive names): results report Azure's model.</value>
    public IDictionary<string, string> Deployments { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets a value indicating whether streamed requests ask for usage (<c>stream_options.include_usage</c>; api-version 2024-09-01 and later).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeStreamUsage { get; set; } = true;

    /// <summary>
    /// Gets or sets whether system messages are sent with the <c>developer</c> role. Azure treats a <c>system</c> message to a
    /// reasoning deployment as a developer message, and older api-versions reject the <c>developer</c> role, so
    /// <see langword="null"/> and <see langword="false"/> send <c>system</c>; <see langword="true"/> sends <c>developer</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (<c>system</c>).</value>
    public bool? UseDeveloperRole { get; set; }

    /// <inheritdoc />
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return AzureOpenAIOptionsChecks.Validate(this, AzureOpenAIOptionsChecks.NameFromContext(validationContext));
    }
}

/// <summary>The checks of <see cref="AzureOpenAIProviderOptions"/>, shared by the options validation and the constructor of <see cref="AzureOpenAIProvider"/>.</summary>
internal static class AzureOpenAIOptionsChecks
{
    public static string NameFromContext(ValidationContext context)
    {
        // The generated validator sets DisplayName to "<name>.Validate", or "AzureOpenAIProviderOptions.Validate" for the unnamed options.
        var display = context.DisplayName;
        const string Suffix = ".Validate";
        if (display is not null && display.EndsWith(Suffix, StringComparison.Ordinal))
        {
            display = display[..^Suffix.Length];
        }

        if (string.IsNullOrEmpty(display) || string.Equals(display, nameof(AzureOpenAIProviderOptions), StringComparison.Ordinal))
        {
            return "azure-openai";
        }

        return display;
    }

    public static List<ValidationResult> Validate(AzureOpenAIProviderOptions options, string name)
    {
        var results = new List<ValidationResult>();
        if (options.BaseUrl is not { } url)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: BaseUrl (the Azure OpenAI resource endpoint) is missing. Set AZURE_OPENAI_ENDPOINT or AzureOpenAIProviderOptions.BaseUrl to e.g. https://my-resource.openai.azure.com."));
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: BaseUrl '{url}' is not an absolute http(s) URL. Set AZURE_OPENAI_ENDPOINT or AzureOpenAIProviderOptions.BaseUrl to e.g. https://my-resource.openai.azure.com."));
        }

        if (options.TokenProvider is null && string.IsNullOrWhiteSpace(options.ApiKey) && !options.AllowMissingApiKey)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiKey is missing and no TokenProvider is set. Set AZURE_OPENAI_API_KEY or AzureOpenAIProviderOptions.ApiKey, or AzureOpenAIProviderOptions.TokenProvider for Microsoft Entra ID tokens."));
        }

        if (options.ApiVersion is { } version && (string.IsNullOrWhiteSpace(version) || version.Trim().AsSpan().ContainsAny("&#?/ ")))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiVersion '{version}' is not an api-version. Set AZURE_OPENAI_API_VERSION or AzureOpenAIProviderOptions.ApiVersion to e.g. {AzureOpenAIProviderOptions.DefaultApiVersion} (or leave both unset for that default)."));
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: RequestTimeout must be positive (or Timeout.InfiniteTimeSpan to disable it); it is {options.RequestTimeout}."));
        }

        foreach (var deployment in options.Deployments)
        {
            if (string.IsNullOrWhiteSpace(deployment.Key) || string.IsNullOrWhiteSpace(deployment.Value))
            {
                results.Add(new ValidationResult(
                    $"LlmProviders:{name}: Deployments has an empty deployment name or model ('{deployment.Key}' → '{deployment.Value}'). Map each deployment name to its catalog model id, e.g. Deployments[\"chat-prod\"] = \"gpt-4o-mini\"."));
                break;
            }
        }

        return results;
    }
}
