using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using LlmProviders.Http;

namespace LlmProviders.Ollama;

/// <summary>
/// Options of one Ollama registration (<see cref="OllamaProvider"/>). Values left unset are read from the environment:
/// <see cref="HttpProviderOptions.BaseUrl"/> from <c>OLLAMA_BASE_URL</c>, else <c>OLLAMA_URL</c>, else
/// <c>http://localhost:11434</c>; <see cref="HttpProviderOptions.ApiKey"/> (optional) from <c>OLLAMA_API_KEY</c>.
/// </summary>
/// <remarks>
/// <para>Ollama needs no key: <see cref="HttpProviderOptions.AllowMissingApiKey"/> is <see langword="true"/>. A key, when set,
/// is sent as <c>Authorization: Bearer</c> (Ollama cloud, or a proxy in front of Ollama).</para>
/// <para><see cref="HttpProviderOptions.RequestTimeout"/> defaults to <see cref="DefaultRequestTimeout"/> (30 minutes), longer
/// than the cloud providers' 10 minutes: a local model may have to be loaded from disk and generates slowly on a CPU.</para>
/// <para>Ollama runs on your hardware, so results report a known cost of zero (<see cref="ReportZeroCost"/>).</para>
/// </remarks>
public class OllamaProviderOptions : HttpProviderOptions, IValidatableObject
{
    /// <summary>The local endpoint used when neither <see cref="HttpProviderOptions.BaseUrl"/> nor <c>OLLAMA_BASE_URL</c>/<c>OLLAMA_URL</c> is set.</summary>
    public static readonly Uri DefaultBaseUrl = new("http://localhost:11434", UriKind.Absolute);

    /// <summary>The default <see cref="HttpProviderOptions.RequestTimeout"/> of an Ollama registration: 30 minutes (local models are slow).</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The model used when neither the request nor <see cref="HttpProviderOptions.DefaultModel"/> names one.</summary>
    public const string FallbackModel = "llama3.2";

    /// <summary>The embedding model used when neither the request nor <see cref="HttpProviderOptions.DefaultEmbeddingModel"/> names one (pull it with <c>ollama pull nomic-embed-text</c>).</summary>
    public const string FallbackEmbeddingModel = "nomic-embed-text";

    /// <summary>Initializes a new instance: no key required, a 30-minute request timeout.</summary>
    public OllamaProviderOptions()
    {
        AllowMissingApiKey = true;
        RequestTimeout = DefaultRequestTimeout;
    }

    /// <summary>
    /// Gets or sets how long Ollama keeps the model loaded after a call (<c>keep_alive</c>, sent in seconds): zero unloads it at
    /// once, a negative value keeps it loaded indefinitely. A request's <c>keep_alive</c> in
    /// <see cref="ChatRequest.AdditionalRequestFields"/> (e.g. <c>"10m"</c>) wins.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: not sent, so the server's default (5 minutes, or <c>OLLAMA_KEEP_ALIVE</c>) applies.</value>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>Gets or sets the context window to load the model with (<c>options.num_ctx</c>).</summary>
    /// <value>The default value is <see langword="null"/>: not sent, so the server's default (or the model's Modelfile) applies.</value>
    public int? ContextLength { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether results report a known cost of zero (<see cref="ChatResult.Cost"/> = 0), as local
    /// hardware costs nothing per token. Turn it off for paid Ollama cloud models: the cost is then unknown (<see langword="null"/>).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ReportZeroCost { get; set; } = true;

    /// <inheritdoc />
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return OllamaOptionsChecks.Validate(this, OllamaOptionsChecks.NameFromContext(validationContext));
    }
}

/// <summary>The checks of <see cref="OllamaProviderOptions"/>, shared by the options validation and the constructor of <see cref="OllamaProvider"/>.</summary>
internal static class OllamaOptionsChecks
{
    public static string NameFromContext(ValidationContext context)
    {
        // The generated validator sets DisplayName to "<name>.Validate", or "OllamaProviderOptions.Validate" for the unnamed options.
        var display = context.DisplayName;
        const string Suffix = ".Validate";
        if (display is not null && display.EndsWith(Suffix, StringComparison.Ordinal))
        {
            display = display[..^Suffix.Length];
        }

        if (string.IsNullOrEmpty(display) || string.Equals(display, nameof(OllamaProviderOptions), StringComparison.Ordinal))
        {
            return "ollama";
        }

        return display;
    }

    public static List<ValidationResult> Validate(OllamaProviderOptions options, string name)
    {
        var results = new List<ValidationResult>();
        if (string.IsNullOrWhiteSpace(options.ApiKey) && !options.AllowMissingApiKey)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiKey is missing and AllowMissingApiKey is false. Set OLLAMA_API_KEY or OllamaProviderOptions.ApiKey, or leave AllowMissingApiKey true for a local Ollama."));
        }

        if (options.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: BaseUrl '{url}' is not an absolute http(s) URL. Set OLLAMA_BASE_URL or OllamaProviderOptions.BaseUrl to e.g. http://localhost:11434."));
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: RequestTimeout must be positive (or Timeout.InfiniteTimeSpan to disable it); it is {options.RequestTimeout}."));
        }

        if (options.ContextLength is <= 0)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ContextLength must be positive when set (Ollama's options.num_ctx); it is {options.ContextLength}. Leave it unset for the model's default."));
        }

        return results;
    }
}
