using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace LlmProviders;

/// <summary>A request for embeddings: the inputs, the model and, for models that can shorten their vectors, the dimensions.</summary>
/// <remarks>The library never mutates a request.</remarks>
public class EmbeddingRequest
{
    private IList<string> _inputs;

    /// <summary>Initializes a new request for one input.</summary>
    /// <param name="input">The text to embed.</param>
    public EmbeddingRequest(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _inputs = [input];
    }

    /// <summary>Initializes a new request for several inputs, embedded in one call.</summary>
    /// <param name="inputs">The texts to embed.</param>
    public EmbeddingRequest(IEnumerable<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        _inputs = inputs as IList<string> ?? inputs.ToList();
    }

    /// <summary>Gets or sets the texts to embed; the result has one vector per text, in this order.</summary>
    public IList<string> Inputs
    {
        get => _inputs;
        set => _inputs = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the embedding model id. <see langword="null"/> uses the provider's default embedding model.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the number of dimensions of each vector, for models that can return shorter vectors (e.g. <c>text-embedding-3-*</c>).</summary>
    public int? Dimensions { get; set; }

    /// <summary>Gets or sets free-form tags (workspace, user, feature …) that flow into cost records, metrics and logs.</summary>
    public IDictionary<string, string>? Tags { get; set; }

    /// <summary>Gets or sets the route the router sends the request through; <see langword="null"/> for the default route.</summary>
    public string? RouteName { get; set; }

    /// <summary>
    /// Gets or sets provider-specific JSON fields added to the request body as they are (the escape hatch); a field named like
    /// one the library writes replaces it.
    /// </summary>
    public IDictionary<string, JsonElement>? AdditionalRequestFields { get; set; }

    /// <summary>Returns a copy whose collections are copied too.</summary>
    /// <returns>The copy.</returns>
    public virtual EmbeddingRequest Clone() => new(new List<string>(_inputs))
    {
        Model = Model,
        Dimensions = Dimensions,
        RouteName = RouteName,
        Tags = Tags is null ? null : new Dictionary<string, string>(Tags),
        AdditionalRequestFields = AdditionalRequestFields is null ? null : new Dictionary<string, JsonElement>(AdditionalRequestFields),
    };
}
