using System;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Costs;

/// <summary>
/// The built-in <see cref="IModelCatalog"/> (SPEC C1): the embedded, dated catalog plus LiteLLM imports and overrides from
/// <see cref="ModelCatalogOptions"/>, with the seed 003 queries (<see cref="Query"/>, <see cref="GetCheapest"/>, <see cref="GetFastest"/>).
/// </summary>
/// <remarks>
/// <para>
/// A catalog is immutable once built and thread-safe. It keeps its own copies of the entries it is given. <see cref="Find"/>
/// hands out the catalog's published instance of an entry (so a repeated hit allocates nothing): treat it as read-only and call
/// <see cref="ModelCatalogEntry.Clone"/> to change a copy. <see cref="List"/>, <see cref="Query"/>, <see cref="GetCheapest"/> and
/// <see cref="GetFastest"/> return fresh copies. Changing any returned entry never changes what the catalog lists or queries.
/// </para>
/// <para>
/// <see cref="Find"/> accepts a provider kind or a registration name (mapped through <see cref="ModelCatalogOptions.ProviderKinds"/>,
/// else the longest known kind the name starts with followed by <c>-</c>, as in <c>openai-backup</c>) and normalizes the model
/// name, in order: exact id; alias; without a <c>models/</c> or <c>&lt;kind&gt;/</c> prefix; without an Ollama tag
/// (<c>llama3:8b</c> → <c>llama3</c>); without dated snapshot suffixes (<c>-2024-08-06</c>, <c>-20250929</c>, <c>-0125</c>,
/// <c>-001</c>, <c>-preview-05-20</c>, <c>-latest</c>). Kind <c>azure-openai</c> falls back to the <c>openai</c> entries.
/// OpenRouter ids are <c>vendor/model</c> and are kept whole.
/// </para>
/// </remarks>
public sealed partial class ModelCatalog : IModelCatalog
{
    /// <summary>How many distinct (provider, model) lookups <see cref="Find"/> remembers; later new ones are resolved each time.</summary>
    internal const int MaxCachedLookups = 4096;

    private static readonly Lazy<ModelCatalog> LazyDefault = new(
        () => new ModelCatalog(BuiltInCatalog.CreateEntries(), null, null, TimeProvider.System),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly string[] KnownKindNames =
    [
        LlmProviderKinds.OpenAI, LlmProviderKinds.AzureOpenAI, LlmProviderKinds.Anthropic, LlmProviderKinds.Google,
        LlmProviderKinds.Ollama, LlmProviderKinds.Mistral, LlmProviderKinds.OpenAICompatible, LlmProviderKinds.TogetherAI,
        LlmProviderKinds.OpenRouter, LlmProviderKinds.Vllm, LlmProviderKinds.LocalAI, LlmProviderKinds.Simulated, LlmProviderKinds.Router,
    ];

    private readonly ModelCatalogEntry[] entries;
    private readonly ModelCatalogEntry[] published;
    private readonly FrozenDictionary<string, FrozenDictionary<string, int>> namesByKind;
    private readonly FrozenDictionary<string, decimal> multipliers;
    private readonly FrozenDictionary<string, string> providerKinds;
    private readonly string[] knownKinds;
    private readonly TimeProvider timeProvider;
    private readonly ConcurrentDictionary<(string Provider, string Model), int> lookups = new(ProviderModelComparer.Instance);
    private int lookupCount;

    /// <summary>Initializes a new instance of the <see cref="ModelCatalog"/> class from entries (no built-in catalog, no multipliers).</summary>
    /// <param name="entries">The entries; the catalog copies them. A later entry with the provider and id of an earlier one replaces it.</param>
    /// <exception cref="ArgumentException">An entry has no provider or id, or a negative price.</exception>
    public ModelCatalog(IEnumerable<ModelCatalogEntry> entries)
        : this(Validated(entries), null, null, TimeProvider.System)
    {
    }

    private ModelCatalog(
        List<ModelCatalogEntry> source,
        IDictionary<string, decimal>? costMultipliers,
        IDictionary<string, string>? kinds,
        TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
        var merged = Merge(source);
        merged.Sort(CompareEntries);
        entries = merged.ToArray();
        published = new ModelCatalogEntry[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            published[i] = entries[i].Clone();
        }

        var builders = new Dictionary<string, Dictionary<string, int>>(StringComparer.OrdinalIgnoreCase);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < entries.Length; i++)
            {
                var entry = entries[i];
                if (!builders.TryGetValue(entry.Provider, out var names))
                {
                    names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                    builders[entry.Provider] = names;
                }

                if (pass == 0)
                {
                    names.TryAdd(entry.Id, i);
                }
                else
                {
                    foreach (var alias in entry.Aliases)
                    {
                        if (!string.IsNullOrWhiteSpace(alias))
                        {
                            names.TryAdd(alias.Trim(), i);
                        }
                    }
                }
            }
        }

        var byKind = new Dictionary<string, FrozenDictionary<string, int>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (kind, names) in builders)
        {
            byKind[kind] = names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        }

        namesByKind = byKind.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        multipliers = (costMultipliers ?? new Dictionary<string, decimal>()).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        providerKinds = (kinds ?? new Dictionary<string, string>()).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

        var known = new HashSet<string>(KnownKindNames, StringComparer.OrdinalIgnoreCase);
        foreach (var kind in builders.Keys)
        {
            known.Add(kind);
        }

        knownKinds = [.. known];
    }

    /// <summary>Gets the built-in catalog alone (loaded once, on first use, thread-safe).</summary>
    public static ModelCatalog Default => LazyDefault.Value;

    /// <summary>Gets the date the built-in catalog's prices were read from the providers' price pages.</summary>
    public static DateOnly BuiltInAsOf => BuiltInCatalog.Document.AsOf;

    /// <summary>Gets how many entries the catalog holds.</summary>
    public int Count => entries.Length;

    /// <summary>
    /// Builds a catalog: the built-in catalog (when <see cref="ModelCatalogOptions.UseBuiltInCatalog"/>), then each
    /// <see cref="ModelCatalogOptions.LiteLlmFiles"/> file (its entries replace those of the same provider and id; skipped
    /// entries are logged as warnings), then <see cref="ModelCatalogOptions.Models"/> (an entry with the provider and id of an
    /// existing one replaces it whole, any other is added), with the options' cost multipliers and provider kinds.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">A logger for the LiteLLM import report, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for "today" (LiteLLM price dates, deprecation in queries); <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="ArgumentException">An entry has no provider or id, a price or a multiplier is negative, or a provider kind mapping is empty.</exception>
    /// <exception cref="System.IO.FileNotFoundException">A LiteLLM file does not exist.</exception>
    /// <exception cref="FormatException">A LiteLLM file is not a JSON object of models.</exception>
    public static ModelCatalog Create(ModelCatalogOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        timeProvider ??= TimeProvider.System;
        var all = new List<ModelCatalogEntry>();
        if (options.UseBuiltInCatalog)
        {
            all.AddRange(BuiltInCatalog.CreateEntries());
        }

        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        foreach (var path in options.LiteLlmFiles ?? [])
        {
            LiteLlmImportResult result;
            try
            {
                result = LiteLlmCatalogImporter.ImportFile(path, today);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"ModelCatalogOptions.LiteLlmFiles: '{path}' could not be imported: {ex.Message}", ex);
            }

            if (logger is not null)
            {
                foreach (var skipped in result.Skipped)
                {
                    CatalogLog.LiteLlmEntrySkipped(logger, path, skipped.Key, skipped.Reason);
                }

                CatalogLog.LiteLlmFileImported(logger, path, result.ImportedCount, result.SkippedCount);
            }

            all.AddRange(result.Entries);
        }

        var models = options.Models ?? [];
        for (var i = 0; i < models.Count; i++)
        {
            Validate(models[i], string.Create(CultureInfo.InvariantCulture, $"ModelCatalogOptions.Models[{i}]"), nameof(options));
            all.Add(models[i]);
        }

        var costMultipliers = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in options.CostMultipliers ?? new Dictionary<string, decimal>())
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ArgumentException("ModelCatalogOptions.CostMultipliers has an empty key; use a registration name (e.g. 'openai-backup') or a provider kind (e.g. 'openai').", nameof(options));
            }

            if (value < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"ModelCatalogOptions.CostMultipliers['{key}'] is {value}; a cost multiplier must be 0 or more (1 = list price, 0.8 = a 20 % discount)."), nameof(options));
            }

            costMultipliers[key.Trim()] = value;
        }

        var kinds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, kind) in options.ProviderKinds ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(kind))
            {
                throw new ArgumentException($"ModelCatalogOptions.ProviderKinds['{name}'] = '{kind}': both the registration name and the provider kind must be set (e.g. \"openai-backup\": \"openai\").", nameof(options));
            }

            kinds[name.Trim()] = kind.Trim();
        }

        return new ModelCatalog(all, costMultipliers, kinds, timeProvider);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The returned instance is shared by every caller that finds the same model: treat it as read-only (see the class remarks).
    /// A repeated (provider, model) lookup allocates nothing.
    /// </remarks>
    public ModelCatalogEntry? Find(string provider, string model)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(model);
        if (!lookups.TryGetValue((provider, model), out var index))
        {
            index = Resolve(provider, model);
            if (Volatile.Read(ref lookupCount) < MaxCachedLookups && lookups.TryAdd((provider, model), index))
            {
                Interlocked.Increment(ref lookupCount);
            }
        }

        return index >= 0 ? published[index] : null;
    }

    /// <inheritdoc />
    /// <remarks>The entries are copies: changing them does not change the catalog.</remarks>
    public IReadOnlyList<ModelCatalogEntry> List(string? provider = null)
    {
        var kind = provider is null ? null : ResolveKind(provider) ?? provider.Trim();
        var result = new List<ModelCatalogEntry>();
        foreach (var entry in entries)
        {
            if (kind is null || string.Equals(entry.Provider, kind, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(entry.Clone());
            }
        }

        return result;
    }

    /// <inheritdoc />
    public decimal GetCostMultiplier(string providerName, string providerKind)
    {
        if (providerName is not null && multipliers.TryGetValue(providerName, out var byName))
        {
            return byName;
        }

        return providerKind is not null && multipliers.TryGetValue(providerKind, out var byKind) ? byKind : 1m;
    }

    /// <summary>Finds the models that match every filter of a query.</summary>
    /// <param name="query">The filters, or <see langword="null"/> for the defaults (every current model, local ones included).</param>
    /// <returns>Copies of the matching entries, ordered by provider then id.</returns>
    public IReadOnlyList<ModelCatalogEntry> Query(ModelCatalogQuery? query)
    {
        var filter = new Filter(this, query);
        var result = new List<ModelCatalogEntry>();
        foreach (var entry in entries)
        {
            if (filter.Matches(entry))
            {
                result.Add(entry.Clone());
            }
        }

        return result;
    }

    /// <summary>
    /// Finds the cheapest model that matches a query, by blended price: (3 × input + output) / 4 per million tokens, a typical
    /// 3:1 prompt-to-output mix. Entries without a price are never the cheapest. Ties go to the higher quality score, then to
    /// provider and id order. Local models cost 0 and win unless <see cref="ModelCatalogQuery.IncludeLocal"/> is <see langword="false"/>.
    /// </summary>
    /// <param name="query">The filters, or <see langword="null"/> for the defaults.</param>
    /// <returns>A copy of the cheapest entry, or <see langword="null"/> when no priced entry matches.</returns>
    public ModelCatalogEntry? GetCheapest(ModelCatalogQuery? query)
    {
        var filter = new Filter(this, query);
        ModelCatalogEntry? best = null;
        var bestPrice = 0m;
        foreach (var entry in entries)
        {
            if (entry.Price is not { } price || !filter.Matches(entry))
            {
                continue;
            }

            var blended = BlendedPrice(price);
            if (best is null || blended < bestPrice
                || (blended == bestPrice && (entry.QualityScore ?? -1) > (best.QualityScore ?? -1)))
            {
                best = entry;
                bestPrice = blended;
            }
        }

        return best?.Clone();
    }

    /// <summary>
    /// Finds the fastest model that matches a query: the lowest typical time to first token, ties going to the higher output speed.
    /// Entries without a typical latency are never the fastest.
    /// </summary>
    /// <param name="query">The filters, or <see langword="null"/> for the defaults.</param>
    /// <returns>A copy of the fastest entry, or <see langword="null"/> when no entry with a latency matches.</returns>
    public ModelCatalogEntry? GetFastest(ModelCatalogQuery? query)
    {
        var filter = new Filter(this, query);
        ModelCatalogEntry? best = null;
        foreach (var entry in entries)
        {
            if (entry.TypicalLatency is not { } latency || !filter.Matches(entry))
            {
                continue;
            }

            if (best is null || latency < best.TypicalLatency!.Value
                || (latency == best.TypicalLatency.Value && (entry.TypicalTokensPerSecond ?? 0) > (best.TypicalTokensPerSecond ?? 0)))
            {
                best = entry;
            }
        }

        return best?.Clone();
    }

    /// <summary>The blended price used by <see cref="GetCheapest"/>: (3 × input + output) / 4, USD per million tokens.</summary>
    internal static decimal BlendedPrice(ModelPrice price) => ((3 * price.Input) + price.Output) / 4;

    private static List<ModelCatalogEntry> Validated(IEnumerable<ModelCatalogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new List<ModelCatalogEntry>();
        var i = 0;
        foreach (var entry in entries)
        {
            Validate(entry, string.Create(CultureInfo.InvariantCulture, $"entries[{i}]"), nameof(entries));
            list.Add(entry);
            i++;
        }

        return list;
    }

    private static void Validate(ModelCatalogEntry? entry, string where, string paramName)
    {
        if (entry is null)
        {
            throw new ArgumentException($"{where} is null; remove it or set an entry.", paramName);
        }

        if (string.IsNullOrWhiteSpace(entry.Provider))
        {
            throw new ArgumentException($"{where} (id '{entry.Id}') has no Provider; set it to a provider kind such as 'openai', 'anthropic' or 'google'.", paramName);
        }

        if (string.IsNullOrWhiteSpace(entry.Id))
        {
            throw new ArgumentException($"{where} (provider '{entry.Provider}') has no Id; set it to the model id the provider's API uses (e.g. 'gpt-4o').", paramName);
        }

        if (entry.Price is not { } price)
        {
            return;
        }

        var name = $"{where} ('{entry.Provider}/{entry.Id}')";
        CheckPrice(price.Input, name, "Price.Input", paramName);
        CheckPrice(price.Output, name, "Price.Output", paramName);
        CheckPrice(price.CachedInput, name, "Price.CachedInput", paramName);
        CheckPrice(price.CacheWrite, name, "Price.CacheWrite", paramName);
        CheckPrice(price.Reasoning, name, "Price.Reasoning", paramName);
        for (var t = 0; t < price.Tiers.Count; t++)
        {
            var tier = price.Tiers[t] ?? throw new ArgumentException($"{name}: Price.Tiers[{t}] is null; remove it.", paramName);
            var tierName = string.Create(CultureInfo.InvariantCulture, $"Price.Tiers[{t}]");
            if (tier.AbovePromptTokens < 0)
            {
                throw new ArgumentException($"{name}: {tierName}.AbovePromptTokens is negative; set the prompt size (tokens) above which the tier applies.", paramName);
            }

            CheckPrice(tier.Input, name, tierName + ".Input", paramName);
            CheckPrice(tier.Output, name, tierName + ".Output", paramName);
            CheckPrice(tier.CachedInput, name, tierName + ".CachedInput", paramName);
            CheckPrice(tier.CacheWrite, name, tierName + ".CacheWrite", paramName);
        }
    }

    private static void CheckPrice(decimal? value, string name, string field, string paramName)
    {
        if (value < 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name}: {field} is {value}; prices are USD per million tokens and cannot be negative (use 0 for a free model)."), paramName);
        }
    }

    private static List<ModelCatalogEntry> Merge(List<ModelCatalogEntry> source)
    {
        var positions = new Dictionary<(string Provider, string Model), int>(ProviderModelComparer.Instance);
        var merged = new List<ModelCatalogEntry>(source.Count);
        foreach (var entry in source)
        {
            var copy = entry.Clone();
            copy.Provider = copy.Provider.Trim();
            copy.Id = copy.Id.Trim();
            if (positions.TryGetValue((copy.Provider, copy.Id), out var at))
            {
                merged[at] = copy;
            }
            else
            {
                positions[(copy.Provider, copy.Id)] = merged.Count;
                merged.Add(copy);
            }
        }

        return merged;
    }

    private static int CompareEntries(ModelCatalogEntry x, ModelCatalogEntry y)
    {
        var byProvider = StringComparer.OrdinalIgnoreCase.Compare(x.Provider, y.Provider);
        return byProvider != 0 ? byProvider : StringComparer.OrdinalIgnoreCase.Compare(x.Id, y.Id);
    }

    private string? ResolveKind(string provider)
    {
        var name = provider.Trim();
        if (providerKinds.TryGetValue(name, out var mapped))
        {
            return mapped;
        }

        string? best = null;
        foreach (var kind in knownKinds)
        {
            if (string.Equals(kind, name, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }

            if (name.Length > kind.Length && name[kind.Length] == '-' && name.StartsWith(kind, StringComparison.OrdinalIgnoreCase)
                && (best is null || kind.Length > best.Length))
            {
                best = kind;
            }
        }

        return best;
    }

    private int Resolve(string provider, string model)
    {
        var kind = ResolveKind(provider);
        if (kind is null)
        {
            return -1;
        }

        var found = ResolveIn(kind, model);
        if (found < 0 && string.Equals(kind, LlmProviderKinds.AzureOpenAI, StringComparison.OrdinalIgnoreCase))
        {
            found = ResolveIn(LlmProviderKinds.OpenAI, model);
        }

        return found;
    }

    private int ResolveIn(string kind, string model)
    {
        if (!namesByKind.TryGetValue(kind, out var names))
        {
            return -1;
        }

        var name = model.Trim();
        if (names.TryGetValue(name, out var index))
        {
            return index;
        }

        name = StripPrefixes(name, kind);
        if (names.TryGetValue(name, out index))
        {
            return index;
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            name = name[..colon];
            if (names.TryGetValue(name, out index))
            {
                return index;
            }
        }

        for (var round = 0; round < 3; round++)
        {
            var match = SnapshotSuffix().Match(name);
            if (!match.Success || match.Index == 0)
            {
                break;
            }

            name = name[..match.Index];
            if (names.TryGetValue(name, out index))
            {
                return index;
            }
        }

        return -1;
    }

    private static string StripPrefixes(string name, string kind)
    {
        if (name.StartsWith("models/", StringComparison.OrdinalIgnoreCase))
        {
            name = name["models/".Length..];
        }

        if (name.Length > kind.Length + 1 && name[kind.Length] == '/' && name.StartsWith(kind, StringComparison.OrdinalIgnoreCase))
        {
            name = name[(kind.Length + 1)..];
        }
        else if (string.Equals(kind, LlmProviderKinds.Google, StringComparison.OrdinalIgnoreCase)
                 && name.StartsWith("gemini/", StringComparison.OrdinalIgnoreCase))
        {
            name = name["gemini/".Length..];
        }

        return name;
    }

    [GeneratedRegex(@"-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3,4}|latest|(?:preview|exp)(?:-\d{2}-\d{2}|-\d{2}-\d{4}|-\d{4})?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotSuffix();

    private readonly struct Filter
    {
        private readonly ModelCatalogQuery? query;
        private readonly string? kind;
        private readonly DateOnly today;

        public Filter(ModelCatalog catalog, ModelCatalogQuery? query)
        {
            this.query = query;
            kind = query?.Provider is { } provider ? catalog.ResolveKind(provider) ?? provider.Trim() : null;
            today = query?.AsOfDate ?? DateOnly.FromDateTime(catalog.timeProvider.GetUtcNow().UtcDateTime);
        }

        public bool Matches(ModelCatalogEntry entry)
        {
            var q = query;
            if (q is null)
            {
                return entry.DeprecationDate is not { } retired || retired > today;
            }

            if ((entry.Capabilities & q.RequiredCapabilities) != q.RequiredCapabilities)
            {
                return false;
            }

            if (kind is not null && !string.Equals(entry.Provider, kind, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (!q.IncludeDeprecated && entry.DeprecationDate is { } date && date <= today)
            {
                return false;
            }

            if (!q.IncludeLocal && entry.IsLocal)
            {
                return false;
            }

            if (q.MaxInputPrice is { } maxInput && (entry.Price is null || entry.Price.Input > maxInput))
            {
                return false;
            }

            if (q.MaxOutputPrice is { } maxOutput && (entry.Price is null || entry.Price.Output > maxOutput))
            {
                return false;
            }

            if (q.MinContextWindow is { } minContext && (entry.ContextWindow is not { } context || context < minContext))
            {
                return false;
            }

            return q.MinQualityScore is not { } minQuality || (entry.QualityScore is { } quality && quality >= minQuality);
        }
    }

    private sealed class ProviderModelComparer : IEqualityComparer<(string Provider, string Model)>
    {
        public static readonly ProviderModelComparer Instance = new();

        public bool Equals((string Provider, string Model) x, (string Provider, string Model) y)
            => string.Equals(x.Provider, y.Provider, StringComparison.OrdinalIgnoreCase)
               && string.Equals(x.Model, y.Model, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Provider, string Model) obj)
            => HashCode.Combine(
                StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Provider),
                StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Model));
    }
}
