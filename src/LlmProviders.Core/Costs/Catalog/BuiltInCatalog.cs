using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmProviders.Costs;

/// <summary>Reads the embedded, dated catalog (<c>Costs/Catalog/catalog.json</c>).</summary>
internal static class BuiltInCatalog
{
    internal const string ResourceName = "LlmProviders.Costs.catalog.json";

    private static readonly Lazy<CatalogDocument> LazyDocument = new(Load);

    /// <summary>Gets the parsed document (loaded once, thread-safe).</summary>
    internal static CatalogDocument Document => LazyDocument.Value;

    /// <summary>Creates fresh entries from the embedded document.</summary>
    internal static List<ModelCatalogEntry> CreateEntries()
    {
        var models = Document.Models;
        var entries = new List<ModelCatalogEntry>(models.Count);
        foreach (var model in models)
        {
            entries.Add(model.ToEntry());
        }

        return entries;
    }

    internal static CatalogDocument Parse(Stream utf8Json)
        => JsonSerializer.Deserialize(utf8Json, CatalogJsonContext.Default.CatalogDocument)
           ?? throw new FormatException("The model catalog document is empty (null).");

    private static CatalogDocument Load()
    {
        using var stream = typeof(BuiltInCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded model catalog '{ResourceName}' is missing from {typeof(BuiltInCatalog).Assembly.GetName().Name}; the package is damaged, reinstall it.");
        return Parse(stream);
    }
}

/// <summary>The embedded catalog document.</summary>
internal sealed class CatalogDocument
{
    public DateOnly AsOf { get; set; }

    public string? Notes { get; set; }

    public List<CatalogModel> Models { get; set; } = [];
}

/// <summary>One model of the embedded catalog document.</summary>
internal sealed class CatalogModel
{
    public string Provider { get; set; } = string.Empty;

    public string Id { get; set; } = string.Empty;

    public List<string>? Aliases { get; set; }

    public string? DisplayName { get; set; }

    public ModelPrice? Price { get; set; }

    public int? ContextWindow { get; set; }

    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets the capabilities as <c>Chat|Streaming|Tools</c>.</summary>
    public string? Capabilities { get; set; }

    public double? Quality { get; set; }

    public double? LatencySeconds { get; set; }

    public double? TokensPerSecond { get; set; }

    public bool IsLocal { get; set; }

    public DateOnly? DeprecationDate { get; set; }

    public ModelCatalogEntry ToEntry() => new()
    {
        Provider = Provider,
        Id = Id,
        Aliases = Aliases is null ? [] : new List<string>(Aliases),
        DisplayName = DisplayName,
        Price = Price?.Clone(),
        ContextWindow = ContextWindow,
        MaxOutputTokens = MaxOutputTokens,
        Capabilities = ParseCapabilities(Capabilities, Id),
        QualityScore = Quality,
        TypicalLatency = LatencySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        TypicalTokensPerSecond = TokensPerSecond,
        IsLocal = IsLocal,
        DeprecationDate = DeprecationDate,
    };

    private static LlmCapabilities ParseCapabilities(string? text, string id)
    {
        var result = LlmCapabilities.None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var part in text.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<LlmCapabilities>(part, ignoreCase: false, out var flag))
            {
                throw new FormatException($"Model catalog entry '{id}': unknown capability '{part}'.");
            }

            result |= flag;
        }

        return result;
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(CatalogDocument))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
