using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using LlmProviders.Http;

namespace LlmProviders.Anthropic;

/// <summary>
/// Options of one Anthropic registration (<see cref="AnthropicProvider"/>). Values left unset are read from the environment:
/// <see cref="HttpProviderOptions.ApiKey"/> from <c>ANTHROPIC_API_KEY</c> and <see cref="HttpProviderOptions.BaseUrl"/> from
/// <c>ANTHROPIC_BASE_URL</c> (else <c>https://api.anthropic.com</c>). A request that names no model uses
/// <see cref="HttpProviderOptions.DefaultModel"/>, else <see cref="FallbackModel"/>.
/// </summary>
public class AnthropicProviderOptions : HttpProviderOptions, IValidatableObject
{
    /// <summary>The public endpoint used when neither <see cref="HttpProviderOptions.BaseUrl"/> nor <c>ANTHROPIC_BASE_URL</c> is set.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com", UriKind.Absolute);

    /// <summary>The model used when neither the request nor <see cref="HttpProviderOptions.DefaultModel"/> names one.</summary>
    public const string FallbackModel = "claude-sonnet-4-5";

    /// <summary>The <c>anthropic-version</c> header sent when <see cref="Version"/> is not set.</summary>
    public const string DefaultVersion = "2023-06-01";

    /// <summary>Gets or sets the API version sent as the <c>anthropic-version</c> header.</summary>
    /// <value>The default value is <c>2023-06-01</c>.</value>
    public string Version { get; set; } = DefaultVersion;

    /// <summary>Gets the beta features sent, comma-separated, as the <c>anthropic-beta</c> header (e.g. <c>context-management-2025-06-27</c>).</summary>
    /// <value>The default value is an empty list: no header.</value>
    public IList<string> Beta { get; } = new List<string>();

    /// <summary>
    /// Gets or sets the <c>max_tokens</c> sent when the request sets no <see cref="ChatRequest.MaxOutputTokens"/> and the model
    /// is not in the provider's small table of known output limits (Anthropic requires <c>max_tokens</c> on every call).
    /// </summary>
    /// <value>The default value is 4096.</value>
    public int DefaultMaxTokens { get; set; } = 4096;

    /// <summary>Gets or sets a value indicating whether the system prompt is marked as a prompt-cache breakpoint (<c>cache_control</c> on its last block).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CacheSystemPrompt { get; set; }

    /// <summary>Gets or sets a value indicating whether the tool definitions are marked as a prompt-cache breakpoint (<c>cache_control</c> on the last tool).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CacheTools { get; set; }

    /// <inheritdoc />
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return AnthropicOptionsChecks.Validate(this, AnthropicOptionsChecks.NameFromContext(validationContext));
    }
}

/// <summary>The checks of <see cref="AnthropicProviderOptions"/>, shared by the options validation and the constructor of <see cref="AnthropicProvider"/>.</summary>
internal static class AnthropicOptionsChecks
{
    public static string NameFromContext(ValidationContext context)
    {
        // The generated validator sets DisplayName to "<name>.Validate", or "AnthropicProviderOptions.Validate" for the unnamed options.
        var display = context.DisplayName;
        const string Suffix = ".Validate";
        if (display is not null && display.EndsWith(Suffix, StringComparison.Ordinal))
        {
            display = display[..^Suffix.Length];
        }

        if (string.IsNullOrEmpty(display) || string.Equals(display, nameof(AnthropicProviderOptions), StringComparison.Ordinal))
        {
            return "anthropic";
        }

        return display;
    }

    public static List<ValidationResult> Validate(AnthropicProviderOptions options, string name)
    {
        var results = new List<ValidationResult>();
        if (string.IsNullOrWhiteSpace(options.ApiKey) && !options.AllowMissingApiKey)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiKey is missing. Set ANTHROPIC_API_KEY or AnthropicProviderOptions.ApiKey (or AllowMissingApiKey for a gateway without authentication)."));
        }

        if (options.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: BaseUrl '{url}' is not an absolute http(s) URL. Set ANTHROPIC_BASE_URL or AnthropicProviderOptions.BaseUrl to e.g. https://api.anthropic.com."));
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: RequestTimeout must be positive (or Timeout.InfiniteTimeSpan to disable it); it is {options.RequestTimeout}."));
        }

        if (options.DefaultMaxTokens <= 0)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: DefaultMaxTokens must be positive (Anthropic requires max_tokens on every call); it is {options.DefaultMaxTokens}. Set AnthropicProviderOptions.DefaultMaxTokens to e.g. 4096."));
        }

        if (string.IsNullOrWhiteSpace(options.Version))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: Version is empty. Set AnthropicProviderOptions.Version to an anthropic-version value such as {AnthropicProviderOptions.DefaultVersion}."));
        }

        return results;
    }
}
