using System;
using System.Collections.Generic;

namespace LlmProviders.Costs;

/// <summary>What <see cref="LiteLlmCatalogImporter"/> read from a LiteLLM price map: the entries it imported and those it skipped, with why.</summary>
public sealed class LiteLlmImportResult
{
    internal LiteLlmImportResult(IReadOnlyList<ModelCatalogEntry> entries, IReadOnlyList<LiteLlmSkippedEntry> skipped, DateOnly asOf)
    {
        Entries = entries;
        Skipped = skipped;
        AsOf = asOf;
    }

    /// <summary>Gets the imported entries, in the document's order (prices per million tokens, dated <see cref="AsOf"/>).</summary>
    public IReadOnlyList<ModelCatalogEntry> Entries { get; }

    /// <summary>Gets the keys that were not imported and the reason for each, in the document's order.</summary>
    public IReadOnlyList<LiteLlmSkippedEntry> Skipped { get; }

    /// <summary>Gets the date the imported prices carry (<see cref="ModelPrice.AsOf"/>).</summary>
    public DateOnly AsOf { get; }

    /// <summary>Gets how many entries were imported.</summary>
    public int ImportedCount => Entries.Count;

    /// <summary>Gets how many keys were skipped.</summary>
    public int SkippedCount => Skipped.Count;

    /// <summary>Gets how many keys the document held (imported plus skipped).</summary>
    public int TotalCount => Entries.Count + Skipped.Count;
}

/// <summary>A key of a LiteLLM price map that was not imported.</summary>
/// <param name="Key">The key, as in the document (e.g. <c>dall-e-3</c>, <c>sample_spec</c>).</param>
/// <param name="Reason">Why it was skipped (e.g. <c>mode 'image_generation' is not a chat or embedding model</c>).</param>
public readonly record struct LiteLlmSkippedEntry(string Key, string Reason);
