using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace LlmProviders.Costs;

/// <summary>
/// Imports LiteLLM's <c>model_prices_and_context_window.json</c> price map into <see cref="ModelCatalogEntry"/> values (SPEC C1).
/// </summary>
/// <remarks>
/// <para>
/// Prices per token become prices per million tokens, read as <see cref="decimal"/> straight from the JSON text (no floating-point
/// noise: <c>2.5e-06</c> is exactly 2.5 per million). <c>litellm_provider</c> becomes a provider kind (<c>azure</c> →
/// <c>azure-openai</c>, <c>gemini</c> and <c>vertex_ai-language-models</c> → <c>google</c>, <c>ollama</c>/<c>ollama_chat</c> →
/// <c>ollama</c> (local), <c>together_ai</c> → <c>together</c>; other slugs are kept). A <c>slug/</c> prefix of the key is
/// removed from the id (OpenRouter ids keep their <c>vendor/model</c> form). Modes <c>chat</c>, <c>completion</c> and
/// <c>embedding</c> are imported (no mode means chat); a chat model with only one of input and output price gets 0 for the
/// other (LiteLLM's own reading). <c>max_input_tokens</c> is the context window and <c>max_output_tokens</c> the output limit;
/// the legacy <c>max_tokens</c> is read as the output limit only when <c>max_output_tokens</c> is absent.
/// </para>
/// <para>
/// Skipped, with a reason: <c>sample_spec</c>, other modes, values that are not objects, entries without a provider, with a
/// negative or non-numeric price or with no price at all, and a second entry with the same provider and id. A document that is
/// not a JSON object, or is truncated or malformed, throws a <see cref="FormatException"/> saying where: never a half import.
/// Unknown fields are ignored.
/// </para>
/// </remarks>
public static class LiteLlmCatalogImporter
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>Imports a price map from a stream of UTF-8 JSON.</summary>
    /// <param name="utf8Json">The stream; read to its end, not disposed.</param>
    /// <param name="asOf">The date the prices carry; today (UTC) when <see langword="null"/>.</param>
    /// <returns>The imported and skipped entries.</returns>
    /// <exception cref="FormatException">The document is not a JSON object, or is malformed or truncated.</exception>
    public static LiteLlmImportResult Import(Stream utf8Json, DateOnly? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        if (utf8Json is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            var start = (int)memory.Position;
            return Import(buffer.AsSpan(start, (int)memory.Length - start), asOf);
        }

        using var copy = new MemoryStream();
        utf8Json.CopyTo(copy);
        return Import(copy.GetBuffer().AsSpan(0, (int)copy.Length), asOf);
    }

    /// <summary>Imports a price map from a file.</summary>
    /// <param name="path">The path of a <c>model_prices_and_context_window.json</c> file.</param>
    /// <param name="asOf">The date the prices carry; today (UTC) when <see langword="null"/>.</param>
    /// <returns>The imported and skipped entries.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The document is not a JSON object, or is malformed or truncated.</exception>
    public static LiteLlmImportResult ImportFile(string path, DateOnly? asOf = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Import(File.ReadAllBytes(path), asOf);
    }

    /// <summary>Imports a price map from UTF-8 JSON bytes.</summary>
    /// <param name="utf8Json">The document (a leading UTF-8 byte order mark is allowed).</param>
    /// <param name="asOf">The date the prices carry; today (UTC) when <see langword="null"/>.</param>
    /// <returns>The imported and skipped entries.</returns>
    /// <exception cref="FormatException">The document is not a JSON object, or is malformed or truncated.</exception>
    public static LiteLlmImportResult Import(ReadOnlySpan<byte> utf8Json, DateOnly? asOf = null)
    {
        var date = asOf ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new FormatException("The LiteLLM price map is empty; expected a JSON object of models (model key → price object).");
        }

        var entries = new List<ModelCatalogEntry>();
        var skipped = new List<LiteLlmSkippedEntry>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException($"The LiteLLM price map must be a JSON object of models (model key → price object), but it starts with {Describe(reader.TokenType)} at byte {reader.TokenStartIndex}. Nothing was imported.");
            }

            while (true)
            {
                if (!reader.Read())
                {
                    throw Truncated(reader);
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var key = reader.GetString() ?? string.Empty;
                if (!reader.Read())
                {
                    throw Truncated(reader);
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    var kind = Describe(reader.TokenType);
                    reader.Skip();
                    skipped.Add(new(key, $"its value is {kind}, not an object"));
                    continue;
                }

                var raw = ReadModel(ref reader);
                if (string.Equals(key, "sample_spec", StringComparison.Ordinal))
                {
                    skipped.Add(new(key, "documentation template, not a model"));
                    continue;
                }

                var entry = Convert(key, raw, date, out var reason);
                if (entry is null)
                {
                    skipped.Add(new(key, reason!));
                    continue;
                }

                var identity = entry.Provider + "\n" + entry.Id;
                if (seen.TryGetValue(identity, out var firstKey))
                {
                    skipped.Add(new(key, $"duplicate of '{firstKey}' (same provider '{entry.Provider}' and id '{entry.Id}')"));
                    continue;
                }

                seen[identity] = key;
                entries.Add(entry);
            }

            if (reader.Read())
            {
                throw new FormatException($"The LiteLLM price map has content after its closing '}}' at byte {reader.TokenStartIndex}. Nothing was imported.");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException(
                string.Create(CultureInfo.InvariantCulture, $"The LiteLLM price map is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1} of that line (truncated or malformed): {ex.Message} Nothing was imported."),
                ex);
        }

        return new LiteLlmImportResult(entries, skipped, date);
    }

    private static FormatException Truncated(in Utf8JsonReader reader)
        => new(string.Create(CultureInfo.InvariantCulture, $"The LiteLLM price map ends at byte {reader.BytesConsumed} before its closing '}}' (truncated?). Nothing was imported."));

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static RawModel ReadModel(ref Utf8JsonReader reader)
    {
        var raw = new RawModel();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var field = reader.GetString() ?? string.Empty;
            reader.Read();
            switch (field)
            {
                case "litellm_provider":
                    raw.Provider = ReadString(ref reader);
                    break;
                case "mode":
                    raw.Mode = ReadString(ref reader);
                    break;
                case "source":
                    raw.Source = ReadString(ref reader);
                    break;
                case "deprecation_date":
                    raw.DeprecationDate = ReadString(ref reader);
                    break;
                case "max_input_tokens":
                    raw.MaxInputTokens = ReadInt(ref reader);
                    break;
                case "max_output_tokens":
                    raw.MaxOutputTokens = ReadInt(ref reader);
                    break;
                case "max_tokens":
                    raw.MaxTokens = ReadInt(ref reader);
                    break;
                case "input_cost_per_token":
                    raw.Input = ReadPrice(ref reader, field, raw);
                    break;
                case "output_cost_per_token":
                    raw.Output = ReadPrice(ref reader, field, raw);
                    break;
                case "cache_read_input_token_cost":
                    raw.CacheRead = ReadPrice(ref reader, field, raw);
                    break;
                case "cache_creation_input_token_cost":
                    raw.CacheWrite = ReadPrice(ref reader, field, raw);
                    break;
                case "output_cost_per_reasoning_token":
                    raw.Reasoning = ReadPrice(ref reader, field, raw);
                    break;
                case "tiered_pricing":
                    ReadTieredPricing(ref reader, raw);
                    break;
                case "supports_function_calling":
                    raw.Flag(ref reader, LlmCapabilities.Tools);
                    break;
                case "supports_parallel_function_calling":
                    raw.Flag(ref reader, LlmCapabilities.ParallelToolCalls);
                    break;
                case "supports_vision":
                    raw.Flag(ref reader, LlmCapabilities.Vision);
                    break;
                case "supports_response_schema":
                    raw.Flag(ref reader, LlmCapabilities.JsonSchema | LlmCapabilities.JsonMode);
                    break;
                case "supports_reasoning":
                    raw.Flag(ref reader, LlmCapabilities.Reasoning);
                    break;
                case "supports_prompt_caching":
                    raw.Flag(ref reader, LlmCapabilities.PromptCaching);
                    break;
                case "supports_assistant_prefill":
                    raw.Flag(ref reader, LlmCapabilities.AssistantPrefill);
                    break;
                default:
                    if (!TryReadThresholdPrice(ref reader, field, raw))
                    {
                        reader.Skip();
                    }

                    break;
            }
        }

        return raw;
    }

    private static bool TryReadThresholdPrice(ref Utf8JsonReader reader, string field, RawModel raw)
    {
        ReadOnlySpan<string> prefixes =
        [
            "input_cost_per_token_above_", "output_cost_per_token_above_",
            "cache_read_input_token_cost_above_", "cache_creation_input_token_cost_above_",
        ];
        for (var p = 0; p < prefixes.Length; p++)
        {
            if (!field.StartsWith(prefixes[p], StringComparison.Ordinal) || !field.EndsWith("_tokens", StringComparison.Ordinal))
            {
                continue;
            }

            var size = field.AsSpan(prefixes[p].Length, field.Length - prefixes[p].Length - "_tokens".Length);
            if (size.Length < 2)
            {
                return false;
            }

            var scale = char.ToLowerInvariant(size[^1]) switch { 'k' => 1_000, 'm' => 1_000_000, _ => 0 };
            if (scale == 0 || !int.TryParse(size[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > int.MaxValue / scale)
            {
                return false;
            }

            var value = ReadPrice(ref reader, field, raw);
            var tier = raw.TierAbove(count * scale);
            switch (p)
            {
                case 0: tier.Input = value; break;
                case 1: tier.Output = value; break;
                case 2: tier.CachedInput = value; break;
                default: tier.CacheWrite = value; break;
            }

            return true;
        }

        return false;
    }

    private static void ReadTieredPricing(ref Utf8JsonReader reader, RawModel raw)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            raw.Problem ??= $"tiered_pricing is {Describe(reader.TokenType)}, not an array";
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                raw.Problem ??= "a tiered_pricing item is not an object";
                reader.Skip();
                continue;
            }

            decimal? input = null, output = null, cached = null;
            int? from = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var field = reader.GetString() ?? string.Empty;
                reader.Read();
                switch (field)
                {
                    case "input_cost_per_token":
                        input = ReadPrice(ref reader, "tiered_pricing." + field, raw);
                        break;
                    case "output_cost_per_token":
                        output = ReadPrice(ref reader, "tiered_pricing." + field, raw);
                        break;
                    case "cache_read_input_token_cost":
                        cached = ReadPrice(ref reader, "tiered_pricing." + field, raw);
                        break;
                    case "range":
                        from = ReadRangeStart(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (from is not { } start)
            {
                raw.Problem ??= "a tiered_pricing item has no numeric range";
                continue;
            }

            if (start <= 0)
            {
                raw.Input ??= input;
                raw.Output ??= output;
                raw.CacheRead ??= cached;
                continue;
            }

            var tier = raw.TierAbove(start);
            tier.Input ??= input;
            tier.Output ??= output;
            tier.CachedInput ??= cached;
        }
    }

    private static int? ReadRangeStart(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        int? start = null;
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (first && reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) && value >= 0 && value <= int.MaxValue)
            {
                start = (int)value;
            }

            first = false;
            reader.Skip();
        }

        return start;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static int? ReadInt(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) && value > 0 && value <= int.MaxValue)
        {
            return (int)value;
        }

        reader.Skip();
        return null;
    }

    private static decimal? ReadPrice(ref Utf8JsonReader reader, string field, RawModel raw)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDecimal(out var perToken):
                if (perToken < 0)
                {
                    raw.Problem ??= string.Create(CultureInfo.InvariantCulture, $"{field} is negative ({perToken})");
                    return null;
                }

                // Dividing by 1.000…0 drops the trailing zeros the multiplication leaves (2.5000000 → 2.5).
                return perToken * PerMillion / 1.000000000000000000000000000000000m;
            case JsonTokenType.Number:
                raw.Problem ??= $"{field} is out of range";
                return null;
            case JsonTokenType.String:
                raw.Problem ??= $"{field} is not a number ('{reader.GetString()}')";
                return null;
            default:
                raw.Problem ??= $"{field} is {Describe(reader.TokenType)}, not a number";
                reader.Skip();
                return null;
        }
    }

    private static ModelCatalogEntry? Convert(string key, RawModel raw, DateOnly asOf, out string? reason)
    {
        reason = null;
        if (string.IsNullOrWhiteSpace(key))
        {
            reason = "the key is empty";
            return null;
        }

        var mode = string.IsNullOrWhiteSpace(raw.Mode) ? "chat" : raw.Mode.Trim();
        var isEmbedding = string.Equals(mode, "embedding", StringComparison.OrdinalIgnoreCase);
        if (!isEmbedding && !string.Equals(mode, "chat", StringComparison.OrdinalIgnoreCase) && !string.Equals(mode, "completion", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"mode '{mode}' is not a chat or embedding model";
            return null;
        }

        if (string.IsNullOrWhiteSpace(raw.Provider))
        {
            reason = "no litellm_provider: the provider kind is unknown";
            return null;
        }

        if (raw.Problem is not null)
        {
            reason = raw.Problem;
            return null;
        }

        if (isEmbedding ? raw.Input is null : raw.Input is null && raw.Output is null)
        {
            reason = isEmbedding
                ? "no input_cost_per_token: its price is unknown"
                : "no input_cost_per_token or output_cost_per_token: its price is unknown";
            return null;
        }

        var slug = raw.Provider.Trim();
        var kind = MapProvider(slug);
        var price = new ModelPrice
        {
            Input = raw.Input ?? 0m,
            Output = raw.Output ?? 0m,
            CachedInput = raw.CacheRead,
            CacheWrite = raw.CacheWrite,
            Reasoning = raw.Reasoning,
            AsOf = asOf,
            Source = string.IsNullOrWhiteSpace(raw.Source) ? "litellm" : raw.Source,
        };
        if (raw.Tiers is not null)
        {
            foreach (var (above, tier) in raw.Tiers)
            {
                if (tier.Input is null && tier.Output is null)
                {
                    continue;
                }

                price.Tiers.Add(new ModelPriceTier
                {
                    AbovePromptTokens = above,
                    Input = tier.Input ?? price.Input,
                    Output = tier.Output ?? price.Output,
                    CachedInput = tier.CachedInput,
                    CacheWrite = tier.CacheWrite,
                });
            }
        }

        var capabilities = isEmbedding ? LlmCapabilities.Embeddings : LlmCapabilities.Chat | LlmCapabilities.Streaming;
        return new ModelCatalogEntry
        {
            Provider = kind,
            Id = MapId(key.Trim(), slug, kind),
            Price = price,
            ContextWindow = raw.MaxInputTokens,
            MaxOutputTokens = raw.MaxOutputTokens ?? raw.MaxTokens,
            Capabilities = capabilities | (isEmbedding ? LlmCapabilities.None : raw.Capabilities),
            IsLocal = string.Equals(kind, LlmProviderKinds.Ollama, StringComparison.Ordinal),
            DeprecationDate = DateOnly.TryParseExact(raw.DeprecationDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var retired) ? retired : null,
        };
    }

    /// <summary>Maps a LiteLLM provider slug to a provider kind.</summary>
    internal static string MapProvider(string slug) => slug.ToLowerInvariant() switch
    {
        "openai" or "text-completion-openai" => LlmProviderKinds.OpenAI,
        "azure" or "azure_text" => LlmProviderKinds.AzureOpenAI,
        "anthropic" => LlmProviderKinds.Anthropic,
        "gemini" or "vertex_ai-language-models" => LlmProviderKinds.Google,
        "mistral" or "codestral" => LlmProviderKinds.Mistral,
        "ollama" or "ollama_chat" => LlmProviderKinds.Ollama,
        "together_ai" => LlmProviderKinds.TogetherAI,
        "openrouter" => LlmProviderKinds.OpenRouter,
        _ => slug,
    };

    private static string MapId(string key, string slug, string kind)
    {
        foreach (var prefix in (ReadOnlySpan<string>)[slug, kind])
        {
            if (key.Length > prefix.Length + 1 && key[prefix.Length] == '/' && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return key[(prefix.Length + 1)..];
            }
        }

        return key;
    }

    private sealed class RawModel
    {
        public string? Provider { get; set; }

        public string? Mode { get; set; }

        public string? Source { get; set; }

        public string? DeprecationDate { get; set; }

        public int? MaxInputTokens { get; set; }

        public int? MaxOutputTokens { get; set; }

        public int? MaxTokens { get; set; }

        public decimal? Input { get; set; }

        public decimal? Output { get; set; }

        public decimal? CacheRead { get; set; }

        public decimal? CacheWrite { get; set; }

        public decimal? Reasoning { get; set; }

        public LlmCapabilities Capabilities { get; set; }

        public SortedDictionary<int, RawTier>? Tiers { get; set; }

        /// <summary>Gets or sets the first problem that makes the entry unusable.</summary>
        public string? Problem { get; set; }

        public RawTier TierAbove(int promptTokens)
        {
            Tiers ??= [];
            if (!Tiers.TryGetValue(promptTokens, out var tier))
            {
                tier = new RawTier();
                Tiers[promptTokens] = tier;
            }

            return tier;
        }

        public void Flag(ref Utf8JsonReader reader, LlmCapabilities capability)
        {
            if (reader.TokenType == JsonTokenType.True)
            {
                Capabilities |= capability;
            }
            else if (reader.TokenType != JsonTokenType.False)
            {
                reader.Skip();
            }
        }
    }

    private sealed class RawTier
    {
        public decimal? Input { get; set; }

        public decimal? Output { get; set; }

        public decimal? CachedInput { get; set; }

        public decimal? CacheWrite { get; set; }
    }
}
