using System;

namespace LlmProviders.OpenAI;

/// <summary>
/// Options of one OpenRouter registration (<c>AddOpenRouter</c>). The key is read from <c>OPENROUTER_API_KEY</c> when unset; the
/// base URL defaults to <c>https://openrouter.ai/api/v1</c>. <see cref="SiteUrl"/> and <see cref="AppName"/> attribute the
/// calls to your app on openrouter.ai.
/// </summary>
public sealed class OpenRouterProviderOptions : OpenAICompatibleProviderOptions
{
    /// <summary>Gets or sets your site's URL, sent as the <c>HTTP-Referer</c> header (OpenRouter's app attribution).</summary>
    /// <value>The default value is <see langword="null"/>: no header.</value>
    public Uri? SiteUrl { get; set; }

    /// <summary>Gets or sets your app's name, sent as the <c>X-Title</c> header (shown in OpenRouter's rankings). Printable ASCII only.</summary>
    /// <value>The default value is <see langword="null"/>: no header.</value>
    public string? AppName { get; set; }
}
