using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace LlmProviders;

/// <summary>The answer to an <see cref="EmbeddingRequest"/>: one vector per input, the usage and the cost.</summary>
public class EmbeddingResult
{
    /// <summary>Initializes a new result.</summary>
    /// <param name="embeddings">One vector per input, in the order of the inputs.</param>
    public EmbeddingResult(IReadOnlyList<Embedding<float>> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        Embeddings = embeddings;
    }

    /// <summary>Gets the vectors, one per input, in the order of <see cref="EmbeddingRequest.Inputs"/>.</summary>
    public IReadOnlyList<Embedding<float>> Embeddings { get; }

    /// <summary>Gets or sets the token usage (input tokens), when the provider reports it.</summary>
    public UsageDetails? Usage { get; set; }

    /// <summary>Gets or sets the registration name of the provider that answered.</summary>
    public string? ProviderName { get; set; }

    /// <summary>Gets or sets the model that answered.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the cost in USD; <see langword="null"/> when it is not known (never assumed to be zero).</summary>
    public decimal? Cost { get; set; }

    /// <summary>Gets a value indicating whether <see cref="Cost"/> is known.</summary>
    public bool IsCostKnown => Cost.HasValue;

    /// <summary>Gets or sets the time the call took.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets or sets the decision trace when a router served the call.</summary>
    public RoutingTrace? Trace { get; set; }

    /// <summary>Gets or sets provider-specific extra data.</summary>
    public AdditionalPropertiesDictionary? AdditionalProperties { get; set; }
}
