using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using LlmProviders.Http;

namespace LlmProviders.Google;

/// <summary>
/// Options of one Gemini registration (<see cref="GeminiProvider"/>). Values left unset are read from the environment:
/// <see cref="HttpProviderOptions.ApiKey"/> from <c>GOOGLE_API_KEY</c>, else <c>GEMINI_API_KEY</c>;
/// <see cref="HttpProviderOptions.BaseUrl"/> from <c>GOOGLE_GEMINI_BASE_URL</c>, else
/// <c>https://generativelanguage.googleapis.com/v1beta</c>. A request that names no model uses
/// <see cref="HttpProviderOptions.DefaultModel"/>, else <c>gemini-2.5-flash</c>; an embedding request that names no model uses
/// <see cref="HttpProviderOptions.DefaultEmbeddingModel"/>, else <c>gemini-embedding-001</c>.
/// </summary>
public class GeminiProviderOptions : HttpProviderOptions, IValidatableObject
{
    /// <summary>The public endpoint used when neither <see cref="HttpProviderOptions.BaseUrl"/> nor <c>GOOGLE_GEMINI_BASE_URL</c> is set.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://generativelanguage.googleapis.com/v1beta", UriKind.Absolute);

    /// <summary>The model used when neither the request nor <see cref="HttpProviderOptions.DefaultModel"/> names one.</summary>
    public const string FallbackModel = "gemini-2.5-flash";

    /// <summary>The embedding model used when neither the request nor <see cref="HttpProviderOptions.DefaultEmbeddingModel"/> names one.</summary>
    public const string FallbackEmbeddingModel = "gemini-embedding-001";

    /// <summary>
    /// Gets or sets a value indicating whether a request with a reasoning effort also asks for thought summaries
    /// (<c>thinkingConfig.includeThoughts</c>), returned as reasoning content.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeThoughts { get; set; } = true;

    /// <inheritdoc />
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return GeminiOptionsChecks.Validate(this, GeminiOptionsChecks.NameFromContext(validationContext));
    }
}

/// <summary>The checks of <see cref="GeminiProviderOptions"/>, shared by the options validation and the constructor of <see cref="GeminiProvider"/>.</summary>
internal static class GeminiOptionsChecks
{
    public static string NameFromContext(ValidationContext context)
    {
        // The generated validator sets DisplayName to "<name>.Validate", or "GeminiProviderOptions.Validate" for the unnamed options.
        var display = context.DisplayName;
        const string Suffix = ".Validate";
        if (display is not null && display.EndsWith(Suffix, StringComparison.Ordinal))
        {
            display = display[..^Suffix.Length];
        }

        if (string.IsNullOrEmpty(display) || string.Equals(display, nameof(GeminiProviderOptions), StringComparison.Ordinal))
        {
            return "gemini";
        }

        return display;
    }

    public static List<ValidationResult> Validate(GeminiProviderOptions options, string name)
    {
        var results = new List<ValidationResult>();
        if (string.IsNullOrWhiteSpace(options.ApiKey) && !options.AllowMissingApiKey)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiKey is missing. Set GOOGLE_API_KEY (or GEMINI_API_KEY) or GeminiProviderOptions.ApiKey (or AllowMissingApiKey for a proxy that adds the key)."));
        }

        if (options.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: BaseUrl '{url}' is not an absolute http(s) URL. Set GOOGLE_GEMINI_BASE_URL or GeminiProviderOptions.BaseUrl to e.g. https://generativelanguage.googleapis.com/v1beta."));
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: RequestTimeout must be positive (or Timeout.InfiniteTimeSpan to disable it); it is {options.RequestTimeout}."));
        }

        return results;
    }
}
