using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.OpenAI;

/// <summary>
/// What one OpenAI-compatible preset is: its kind, default name and endpoint, environment variables, whether a key is required,
/// and the dialect that carries its quirks. The checks of the options live here too, so that messages name the preset's
/// registration method and variables.
/// </summary>
internal sealed class CompatiblePreset
{
    public static readonly CompatiblePreset TogetherAI = new(
        LlmProviderKinds.TogetherAI, "together", "AddTogetherAI", new Uri("https://api.together.xyz/v1"), "TOGETHER_API_KEY", null, requiresApiKey: true, isLocal: false, nameof(OpenAICompatibleProviderOptions), "https://api.together.xyz/v1");

    public static readonly CompatiblePreset OpenRouter = new(
        LlmProviderKinds.OpenRouter, "openrouter", "AddOpenRouter", new Uri("https://openrouter.ai/api/v1"), "OPENROUTER_API_KEY", null, requiresApiKey: true, isLocal: false, nameof(OpenRouterProviderOptions), "https://openrouter.ai/api/v1");

    public static readonly CompatiblePreset Vllm = new(
        LlmProviderKinds.Vllm, "vllm", "AddVllm", new Uri("http://localhost:8000/v1"), "VLLM_API_KEY", "VLLM_URL", requiresApiKey: false, isLocal: true, nameof(OpenAICompatibleProviderOptions), "http://localhost:8000/v1");

    public static readonly CompatiblePreset LocalAI = new(
        LlmProviderKinds.LocalAI, "localai", "AddLocalAI", new Uri("http://localhost:8080/v1"), "LOCALAI_API_KEY", "LOCALAI_URL", requiresApiKey: false, isLocal: true, nameof(OpenAICompatibleProviderOptions), "http://localhost:8080/v1");

    /// <summary>Any other endpoint, configured in code only (no environment variable: a key meant for one server never goes to another).</summary>
    public static readonly CompatiblePreset Custom = new(
        LlmProviderKinds.OpenAICompatible, "custom", "AddOpenAICompatible", null, null, null, requiresApiKey: true, isLocal: false, nameof(OpenAICompatibleProviderOptions), "https://api.example.com/v1");

    /// <summary>The endpoint of seed 001's <c>CUSTOM_PROVIDER_NAME</c>, <c>CUSTOM_PROVIDER_API_KEY</c> and <c>CUSTOM_PROVIDER_BASE_URL</c>.</summary>
    public static readonly CompatiblePreset CustomFromEnvironment = new(
        LlmProviderKinds.OpenAICompatible, "custom", "AddOpenAICompatible", null, "CUSTOM_PROVIDER_API_KEY", "CUSTOM_PROVIDER_BASE_URL", requiresApiKey: true, isLocal: false, nameof(OpenAICompatibleProviderOptions), "https://api.example.com/v1");

    private readonly string _exampleUrl;

    private CompatiblePreset(string kind, string defaultName, string method, Uri? defaultBaseUrl, string? apiKeyVariable, string? baseUrlVariable, bool requiresApiKey, bool isLocal, string optionsType, string exampleUrl)
    {
        Kind = kind;
        DefaultName = defaultName;
        Method = method;
        DefaultBaseUrl = defaultBaseUrl;
        ApiKeyVariable = apiKeyVariable;
        BaseUrlVariable = baseUrlVariable;
        RequiresApiKey = requiresApiKey;
        IsLocalByDefault = isLocal;
        OptionsType = optionsType;
        _exampleUrl = exampleUrl;
    }

    /// <summary>Gets the provider kind (<see cref="LlmProviderKinds"/>).</summary>
    public string Kind { get; }

    /// <summary>Gets the registration name used when none is given.</summary>
    public string DefaultName { get; }

    /// <summary>Gets the registration method, named in validation messages.</summary>
    public string Method { get; }

    /// <summary>Gets the endpoint used when neither the options nor the environment give one; <see langword="null"/> when it is required.</summary>
    public Uri? DefaultBaseUrl { get; }

    /// <summary>Gets the variable the key is read from, if any.</summary>
    public string? ApiKeyVariable { get; }

    /// <summary>Gets the variable the base URL is read from, if any.</summary>
    public string? BaseUrlVariable { get; }

    /// <summary>Gets a value indicating whether a key is required (cloud services) unless the options allow none.</summary>
    public bool RequiresApiKey { get; }

    /// <summary>Gets a value indicating whether the server runs locally unless the options say otherwise.</summary>
    public bool IsLocalByDefault { get; }

    /// <summary>Gets the options type's name, for messages.</summary>
    public string OptionsType { get; }

    /// <summary>Gets the registration name from a validation context (<c>"&lt;name&gt;.Validate"</c>), or the default name for the unnamed options.</summary>
    /// <param name="context">The context.</param>
    /// <param name="preset">The preset.</param>
    /// <returns>The name.</returns>
    public static string NameFromContext(ValidationContext context, CompatiblePreset preset)
    {
        var display = context.DisplayName;
        const string Suffix = ".Validate";
        if (display is not null && display.EndsWith(Suffix, StringComparison.Ordinal))
        {
            display = display[..^Suffix.Length];
        }

        if (string.IsNullOrEmpty(display) ||
            string.Equals(display, nameof(OpenAICompatibleProviderOptions), StringComparison.Ordinal) ||
            string.Equals(display, nameof(OpenRouterProviderOptions), StringComparison.Ordinal))
        {
            return preset.DefaultName;
        }

        return display;
    }

    /// <summary>Returns the endpoint: the options' base URL, else the preset's default; a vLLM or LocalAI URL without a path gets <c>/v1</c> (their routes live there).</summary>
    /// <param name="options">The resolved options.</param>
    /// <returns>The base URL.</returns>
    public Uri ResolveBaseUrl(OpenAICompatibleProviderOptions options)
    {
        var url = options.BaseUrl ?? DefaultBaseUrl ?? throw new ArgumentException($"No base URL for {Method}.", nameof(options));
        if (IsLocalServer && url.IsAbsoluteUri && url.AbsolutePath is "" or "/")
        {
            // Seed 002 writes VLLM_URL=http://localhost:8000 and LOCALAI_URL=http://localhost:8080: the OpenAI routes are under /v1.
            return new Uri(url, "/v1");
        }

        return url;
    }

    /// <summary>Creates the dialect of a registration from its resolved, validated options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The dialect.</returns>
    public OpenAIDialect CreateDialect(OpenAICompatibleProviderOptions options)
    {
        var baseUrl = ResolveBaseUrl(options);
        bool isLocal = options.IsLocal ?? IsLocalByDefault;
        if (ReferenceEquals(this, TogetherAI))
        {
            return new TogetherAIDialect(baseUrl, options, isLocal);
        }

        if (ReferenceEquals(this, OpenRouter))
        {
            return new OpenRouterDialect(baseUrl, options, isLocal);
        }

        if (ReferenceEquals(this, Vllm))
        {
            return new VllmDialect(baseUrl, options, isLocal);
        }

        if (ReferenceEquals(this, LocalAI))
        {
            return new LocalAIDialect(baseUrl, options, isLocal);
        }

        return new CustomOpenAIDialect(baseUrl, options, isLocal);
    }

    /// <summary>Checks resolved options; every message names the registration, the option, the variable and the fix.</summary>
    /// <param name="options">The options (environment applied).</param>
    /// <param name="name">The registration name.</param>
    /// <returns>The problems; empty when the options are valid.</returns>
    public List<ValidationResult> Validate(OpenAICompatibleProviderOptions options, string name)
    {
        var results = new List<ValidationResult>();
        bool keyOptional = !RequiresApiKey || options.AllowMissingApiKey || (IsCustom && options.IsLocal == true);
        if (string.IsNullOrWhiteSpace(options.ApiKey) && !keyOptional)
        {
            string source = ApiKeyVariable is null ? $"{OptionsType}.ApiKey" : $"{ApiKeyVariable} or {OptionsType}.ApiKey";
            string escape = IsCustom ? " (or AllowMissingApiKey, or IsLocal, for a server without authentication)" : string.Empty;
            results.Add(new ValidationResult($"LlmProviders:{name}: ApiKey is missing. Set {source} in {Method}(\"{name}\", …){escape}."));
        }

        if (options.BaseUrl is null && DefaultBaseUrl is null)
        {
            string source = BaseUrlVariable is null ? $"pass it to {Method}(\"{name}\", baseUrl)" : $"set {BaseUrlVariable} or {OptionsType}.BaseUrl";
            results.Add(new ValidationResult($"LlmProviders:{name}: BaseUrl is missing: {source}, e.g. {_exampleUrl}."));
        }
        else if (options.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            string source = BaseUrlVariable is null ? $"{OptionsType}.BaseUrl" : $"{BaseUrlVariable} or {OptionsType}.BaseUrl";
            results.Add(new ValidationResult($"LlmProviders:{name}: BaseUrl '{url}' is not an absolute http(s) URL. Set {source} to e.g. {_exampleUrl}."));
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: RequestTimeout must be positive (or Timeout.InfiniteTimeSpan to disable it); it is {options.RequestTimeout}."));
        }

        if (!IsToken(options.ApiKeyHeaderName))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiKeyHeaderName '{options.ApiKeyHeaderName}' is not a valid header name. Set {OptionsType}.ApiKeyHeaderName to e.g. Authorization or api-key."));
        }

        if (options.ApiKeyScheme is { } scheme && !string.IsNullOrWhiteSpace(scheme) && !IsToken(scheme.Trim()))
        {
            results.Add(new ValidationResult(
                $"LlmProviders:{name}: ApiKeyScheme '{scheme}' is not a valid scheme. Set {OptionsType}.ApiKeyScheme to e.g. Bearer, or to null to send the raw key."));
        }

        if (options.ApiKey is { } key && HasLineBreak(key))
        {
            results.Add(new ValidationResult($"LlmProviders:{name}: ApiKey contains a line break; copy the key again without it."));
        }

        foreach (var header in options.Headers)
        {
            if (!IsToken(header.Key) || header.Value is null || HasLineBreak(header.Value))
            {
                results.Add(new ValidationResult(
                    $"LlmProviders:{name}: Headers['{header.Key}'] is not a valid header (a token name and a value without line breaks). Fix or remove it in {OptionsType}.Headers."));
            }
            else if (!string.IsNullOrWhiteSpace(options.ApiKey) && string.Equals(header.Key, options.ApiKeyHeaderName, StringComparison.OrdinalIgnoreCase))
            {
                results.Add(new ValidationResult(
                    $"LlmProviders:{name}: Headers sets '{header.Key}', the header that carries the API key. Remove it from {OptionsType}.Headers and set ApiKey (with ApiKeyHeaderName and ApiKeyScheme) instead."));
            }
        }

        if (options is OpenRouterProviderOptions openRouter)
        {
            if (openRouter.SiteUrl is { } site && !site.IsAbsoluteUri)
            {
                results.Add(new ValidationResult(
                    $"LlmProviders:{name}: SiteUrl '{site}' is not an absolute URL. Set OpenRouterProviderOptions.SiteUrl to your app's address, e.g. https://myapp.example.com."));
            }

            if (openRouter.AppName is { } app && !IsPrintableAscii(app))
            {
                results.Add(new ValidationResult(
                    $"LlmProviders:{name}: AppName '{app}' must be printable ASCII: it is sent as the X-Title header. Set OpenRouterProviderOptions.AppName to an ASCII name."));
            }
        }

        return results;
    }

    private bool IsCustom => ReferenceEquals(this, Custom) || ReferenceEquals(this, CustomFromEnvironment);

    private bool IsLocalServer => ReferenceEquals(this, Vllm) || ReferenceEquals(this, LocalAI);

    private static bool HasLineBreak(string value) => value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    private static bool IsPrintableAscii(string value)
    {
        foreach (char c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    // An HTTP token (RFC 9110 §5.6.2): the characters a header name or an auth scheme may have.
    private static bool IsToken(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        foreach (char c in value)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or
                '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
