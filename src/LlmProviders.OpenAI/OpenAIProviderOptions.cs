using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using LlmProviders.Http;

namespace LlmProviders.OpenAI;

/// <summary>
/// Options of one OpenAI registration (<see cref="OpenAIProvider"/>). Values left unset are read from the environment:
/// <see cref="HttpProviderOptions.ApiKey"/> from <c>OPENAI_API_KEY</c>, <see cref="HttpProviderOptions.BaseUrl"/> from
/// <c>OPENAI_BASE_URL</c> (else <c>https://api.openai.com/v1</c>), <see cref="Organization"/> from <c>OPENAI_ORGANIZATION</c>
/// and <see cref="Project"/> from <c>OPENAI_PROJECT_ID</c>. A request that names no model uses
/// <see cref="HttpProviderOptions.DefaultModel"/>, else <c>gpt-4o-mini</c>.
/// </summary>
public class OpenAIProviderOptions : HttpProviderOptions, IValidatableObject
{
    /// <summary>The public endpoint used when neither <see cref="HttpProviderOptions.BaseUrl"/> nor <c>OPENAI_BASE_URL</c> is set.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1", UriKind.Absolute);

    /// <summary>The model used when neither the request nor <see cref="HttpProviderOptions.DefaultModel"/> names one.</summary>
    public const string FallbackModel = "gpt-4o-mini";

    /// <summary>Gets or sets the OpenAI organization id sent as the <c>OpenAI-Organization</c> header.</summary>
    /// <value>The default value is <see langword="null"/>: the <c>OPENAI_ORGANIZATION</c> environment variable, else no header.</value>
    public string? Organization { get; set; }

    /// <summary>Gets or sets the OpenAI project id sent as the <c>OpenAI-Project</c> header.</summary>
    /// <value>The default value is <see langword="null"/>: the <c>OPENAI_PROJECT_ID</c> environment variable, else no header.</value>
    public string? Project { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether streamed requests ask for usage (<c>stream_options.include_usage</c>). Turn it off
    /// for OpenAI-compatible servers that reject unknown fields; the stream then reports usage only if the server sends it anyway.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeStreamUsage { get; set; } = true;

    /// <summary>
    /// Gets or sets whether system messages are sent with the <c>developer</c> role. <see langword="null"/> decides by model:
    /// the reasoning families (<c>o1</c>, <c>o3</c>, <c>o4</c>, <c>gpt-5</c>) get <c>developer</c>, other models <c>system</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (by model).</value>
    public bool? UseDeveloperRole { get; set; }

    /// <inheritdoc />
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return OpenAIOptionsChecks.Validate(this, OpenAIOptionsChecks.NameFromContext(validationContext));
    }
}

/// <summary>The checks of <see cref="OpenAIProviderOptions"/>, shared by the options validation and the constructor of <see cref="OpenAIProvider"/>.</summary>
internal static class OpenAIOptionsChecks
{
    public static string NameFromContext(ValidationContext context)
    {
        // The generated validator sets DisplayName to "<name>.Validate", or "OpenAIProviderOptions.Validate" for the unnamed options.
        var display = context.DisplayName;
        const string Suffix = ".Validate";
        if (display is not null && display.EndsWith(Suffix, StringComparison.Ordinal))
        {
            display = display[..^Suffix.Length];
        }

        if (string.IsNullOrEmpty(display) || string.Equals(display, nameof(OpenAIProviderOptions), StringComparison.Ordinal))
        {
            return "openai";
        }

        return display;
    }

    public static List<ValidationResult> Validate(OpenAIProviderOptions options, string name)
    {
        var results = new List<ValidationResult>();
        if (string.IsNullOrWhiteSpace(options.ApiKey) && !options.AllowMissingApiKey)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiKey is missing. Set OPENAI_API_KEY or OpenAIProviderOptions.ApiKey (or AllowMissingApiKey for a server without authentication)."));
        }

        if (options.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: BaseUrl '{url}' is not an absolute http(s) URL. Set OPENAI_BASE_URL or OpenAIProviderOptions.BaseUrl to e.g. https://api.openai.com/v1."));
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: RequestTimeout must be positive (or Timeout.InfiniteTimeSpan to disable it); it is {options.RequestTimeout}."));
        }

        return results;
    }
}
