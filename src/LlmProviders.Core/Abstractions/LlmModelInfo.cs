using System;
using Microsoft.Extensions.AI;

namespace LlmProviders;

/// <summary>A model a provider serves, as its model-listing endpoint describes it.</summary>
public sealed class LlmModelInfo
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="id">The model id to put in requests.</param>
    public LlmModelInfo(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
    }

    /// <summary>Gets the model id to put in requests.</summary>
    public string Id { get; }

    /// <summary>Gets or sets a human-readable name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets the owner reported by the provider.</summary>
    public string? OwnedBy { get; set; }

    /// <summary>Gets or sets when the model was created, if reported.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets or sets the context window in tokens, if reported.</summary>
    public int? ContextWindow { get; set; }

    /// <summary>Gets or sets the maximum output tokens, if reported.</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets additional provider-specific values.</summary>
    public AdditionalPropertiesDictionary? AdditionalProperties { get; set; }

    /// <inheritdoc />
    public override string ToString() => Id;
}
