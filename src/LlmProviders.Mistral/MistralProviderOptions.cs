using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using LlmProviders.Http;

namespace LlmProviders.Mistral;

/// <summary>
/// Options of one Mistral registration (<see cref="MistralProvider"/>). Values left unset are read from the environment:
/// <see cref="HttpProviderOptions.ApiKey"/> from <c>MISTRAL_API_KEY</c>, <see cref="HttpProviderOptions.BaseUrl"/> from
/// <c>MISTRAL_BASE_URL</c> (else <c>https://api.mistral.ai/v1</c>; Codestral keys use <c>https://codestral.mistral.ai/v1</c>).
/// A request that names no model uses <see cref="HttpProviderOptions.DefaultModel"/>, else <c>mistral-small-latest</c>; embeddings
/// use <see cref="HttpProviderOptions.DefaultEmbeddingModel"/>, else <c>mistral-embed</c>.
/// </summary>
public class MistralProviderOptions : HttpProviderOptions, IValidatableObject
{
    /// <summary>The public endpoint used when neither <see cref="HttpProviderOptions.BaseUrl"/> nor <c>MISTRAL_BASE_URL</c> is set.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.mistral.ai/v1", UriKind.Absolute);

    /// <summary>The endpoint of Codestral keys (set it as <see cref="HttpProviderOptions.BaseUrl"/> to use one).</summary>
    public static readonly Uri CodestralBaseUrl = new("https://codestral.mistral.ai/v1", UriKind.Absolute);

    /// <summary>The chat model used when neither the request nor <see cref="HttpProviderOptions.DefaultModel"/> names one.</summary>
    public const string FallbackModel = "mistral-small-latest";

    /// <summary>The embedding model used when neither the request nor <see cref="HttpProviderOptions.DefaultEmbeddingModel"/> names one.</summary>
    public const string FallbackEmbeddingModel = "mistral-embed";

    /// <summary>
    /// Gets or sets a value indicating whether Mistral prepends its safety prompt to every chat request (<c>safe_prompt: true</c>).
    /// A request's own <c>safe_prompt</c> in <see cref="ChatRequest.AdditionalRequestFields"/> wins.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: the field is not sent (Mistral's default, no safety prompt).</value>
    public bool SafePrompt { get; set; }

    /// <inheritdoc />
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return MistralOptionsChecks.Validate(this, MistralOptionsChecks.NameFromContext(validationContext));
    }
}

/// <summary>The checks of <see cref="MistralProviderOptions"/>, shared by the options validation and the constructor of <see cref="MistralProvider"/>.</summary>
internal static class MistralOptionsChecks
{
    public static string NameFromContext(ValidationContext context)
    {
        // The generated validator sets DisplayName to "<name>.Validate", or "MistralProviderOptions.Validate" for the unnamed options.
        var display = context.DisplayName;
        const string Suffix = ".Validate";
        if (display is not null && display.EndsWith(Suffix, StringComparison.Ordinal))
        {
            display = display[..^Suffix.Length];
        }

        if (string.IsNullOrEmpty(display) || string.Equals(display, nameof(MistralProviderOptions), StringComparison.Ordinal))
        {
            return "mistral";
        }

        return display;
    }

    public static List<ValidationResult> Validate(MistralProviderOptions options, string name)
    {
        var results = new List<ValidationResult>();
        if (string.IsNullOrWhiteSpace(options.ApiKey) && !options.AllowMissingApiKey)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiKey is missing. Set MISTRAL_API_KEY or MistralProviderOptions.ApiKey (get a key at https://console.mistral.ai/api-keys)."));
        }

        if (options.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: BaseUrl '{url}' is not an absolute http(s) URL. Set MISTRAL_BASE_URL or MistralProviderOptions.BaseUrl to e.g. https://api.mistral.ai/v1 (https://codestral.mistral.ai/v1 for Codestral keys)."));
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: RequestTimeout must be positive (or Timeout.InfiniteTimeSpan to disable it); it is {options.RequestTimeout}."));
        }

        return results;
    }
}
