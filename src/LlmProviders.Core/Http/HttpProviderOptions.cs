using System;

namespace LlmProviders.Http;

/// <summary>Options every HTTP provider has. Each satellite's options derive from this class.</summary>
public abstract class HttpProviderOptions
{
    /// <summary>Gets or sets the API key. Never logged, never put in an exception message.</summary>
    /// <value>The default value is <see langword="null"/>: the provider reads its environment variable (e.g. <c>OPENAI_API_KEY</c>).</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the base URL of the API.</summary>
    /// <value>The default value is <see langword="null"/>: the provider's environment variable, else its public endpoint.</value>
    public Uri? BaseUrl { get; set; }

    /// <summary>Gets or sets the model used when a request names none.</summary>
    /// <value>The default value is <see langword="null"/>: the provider's own default.</value>
    public string? DefaultModel { get; set; }

    /// <summary>Gets or sets the embedding model used when an <see cref="EmbeddingRequest"/> names none (providers that offer embeddings).</summary>
    /// <value>The default value is <see langword="null"/>: the provider's own default embedding model.</value>
    public string? DefaultEmbeddingModel { get; set; }

    /// <summary>Gets or sets the capabilities reported for this registration, replacing the provider's defaults (e.g. for a compatible server that lacks tools).</summary>
    /// <value>The default value is <see langword="null"/>: the provider's defaults.</value>
    public LlmCapabilities? Capabilities { get; set; }

    /// <summary>Gets or sets the longest one HTTP attempt may take, streams included. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> disables it.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets a value indicating whether the key may be missing (servers without authentication).</summary>
    /// <value>The default value is <see langword="false"/> for cloud providers.</value>
    public bool AllowMissingApiKey { get; set; }
}
