using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using LlmProviders.Http;

namespace LlmProviders.OpenAI;

/// <summary>
/// Options of one OpenAI-compatible registration: a preset (<c>AddTogetherAI</c>, <c>AddVllm</c>, <c>AddLocalAI</c>) or any
/// other endpoint (<c>AddOpenAICompatible</c>). Values left unset are read from the preset's environment variables
/// (<c>TOGETHER_API_KEY</c>; <c>VLLM_URL</c>, <c>VLLM_API_KEY</c>; <c>LOCALAI_URL</c>, <c>LOCALAI_API_KEY</c>;
/// <c>CUSTOM_PROVIDER_API_KEY</c>, <c>CUSTOM_PROVIDER_BASE_URL</c>), else the preset's defaults.
/// </summary>
public class OpenAICompatibleProviderOptions : HttpProviderOptions, IValidatableObject
{
    private Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets a value indicating whether streamed requests ask for usage with <c>stream_options.include_usage</c>.</summary>
    /// <value>
    /// The default value is <see langword="true"/>. Turn it off for strict servers that reject unknown fields (a 400 or 422 naming
    /// <c>stream_options</c>); the stream then reports usage only when the server sends it anyway (Together, LocalAI do).
    /// </value>
    public bool IncludeStreamUsage { get; set; } = true;

    /// <summary>Gets or sets the header that carries the API key.</summary>
    /// <value>The default value is <c>Authorization</c>. Gateways that want the key elsewhere take e.g. <c>api-key</c> or <c>x-api-key</c>.</value>
    public string ApiKeyHeaderName { get; set; } = "Authorization";

    /// <summary>Gets or sets the scheme written before the key in <see cref="ApiKeyHeaderName"/>.</summary>
    /// <value>The default value is <c>Bearer</c> (<c>Authorization: Bearer &lt;key&gt;</c>). <see langword="null"/> or empty sends the raw key (<c>api-key: &lt;key&gt;</c>).</value>
    public string? ApiKeyScheme { get; set; } = "Bearer";

    /// <summary>Gets the extra headers sent with every request (a gateway's routing or tenant headers).</summary>
    /// <value>The default value is an empty dictionary. Never put the API key here: set <see cref="HttpProviderOptions.ApiKey"/>.</value>
    public IDictionary<string, string> Headers => _headers;

    /// <summary>Gets or sets a value indicating whether the server runs locally: local results cost zero and the router treats the target as local.</summary>
    /// <value>The default value is <see langword="null"/>: the preset decides (vLLM and LocalAI are local; Together, OpenRouter and custom endpoints are not).</value>
    public bool? IsLocal { get; set; }

    /// <summary>The preset these options belong to; set by the registration, never bound from configuration (a field, so the configuration binder leaves it alone).</summary>
    internal CompatiblePreset? Preset;

    /// <inheritdoc />
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var preset = Preset ?? CompatiblePreset.Custom;
        return preset.Validate(this, CompatiblePreset.NameFromContext(validationContext, preset));
    }

    /// <summary>Copies the options (the headers too), so that resolving never changes the caller's instance.</summary>
    /// <returns>The copy.</returns>
    internal OpenAICompatibleProviderOptions Copy()
    {
        var copy = (OpenAICompatibleProviderOptions)MemberwiseClone();
        copy._headers = new Dictionary<string, string>(_headers, StringComparer.OrdinalIgnoreCase);
        return copy;
    }
}
