using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Costs;

/// <summary>
/// Prices calls from their usage and the model catalog (SPEC C2), in <see cref="decimal"/> USD.
/// </summary>
/// <remarks>
/// <para>Input tokens are split into uncached, cached-read and cache-write tokens, output into reasoning and the rest, each part at its
/// own price: cached tokens are never charged at the full input price (when the model has a cached price) and reasoning tokens, which
/// output counts already include, are never charged twice. When the prompt crosses a tier (Gemini and Claude above 200K tokens) the
/// whole call is priced at that tier. The provider's cost multiplier applies last.</para>
/// <para>A model the catalog does not know has an <em>unknown</em> cost (<see langword="null"/>), never $0: a warning is logged once per
/// provider and model and the <c>llmproviders.cost.unknown_model</c> counter counts each such call. Local providers cost zero.</para>
/// <para>Thread-safe; pricing a known model allocates nothing.</para>
/// </remarks>
public sealed partial class CostCalculator
{
    /// <summary>The name of the <see cref="Meter"/> the calculator's counter belongs to.</summary>
    public const string MeterName = LlmProviders.Telemetry.LlmProvidersTelemetry.MeterName;

    private const int MaxWarnedModels = 4096;

    private static CostCalculator? s_default;

    private readonly ILogger _logger;
    private readonly Counter<long> _unknownModels;
    private readonly ConcurrentDictionary<(string Provider, string Model), byte> _warned = new();

    /// <summary>Initializes a new instance.</summary>
    /// <param name="catalog">The catalog that prices models.</param>
    /// <param name="logger">Where the unknown-model warning goes.</param>
    /// <param name="meterFactory">Creates the meter; <see langword="null"/> for a meter of the calculator's own.</param>
    public CostCalculator(IModelCatalog catalog, ILogger<CostCalculator>? logger = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _unknownModels = meter.CreateCounter<long>(
            "llmproviders.cost.unknown_model",
            unit: "{call}",
            description: "Calls whose cost is unknown because the model catalog does not price their model.");
    }

    /// <summary>Gets a calculator over the built-in catalog, for providers used without dependency injection.</summary>
    public static CostCalculator Default
    {
        get => s_default ??= new CostCalculator(ModelCatalog.Default);
        internal set => s_default = value;
    }

    /// <summary>Gets the catalog the calculator prices with.</summary>
    public IModelCatalog Catalog { get; }

    /// <summary>Prices a usage at a price, part by part (no multiplier).</summary>
    /// <param name="price">The model's prices per million tokens.</param>
    /// <param name="usage">The call's usage, in <see cref="UsageDetails"/>' convention (input includes cached reads and writes, output includes reasoning).</param>
    /// <returns>The breakdown.</returns>
    public static CostBreakdown Calculate(ModelPrice price, UsageDetails usage)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentNullException.ThrowIfNull(usage);
        long cacheWrite = 0;
        if (usage.AdditionalCounts is { } counts && counts.TryGetValue(UsageCounts.CacheWriteInputTokens, out long w))
        {
            cacheWrite = w;
        }

        return Calculate(price, usage.InputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0, cacheWrite, usage.OutputTokenCount ?? 0, usage.ReasoningTokenCount ?? 0);
    }

    /// <summary>Prices token counts at a price, part by part (no multiplier).</summary>
    /// <param name="price">The model's prices per million tokens.</param>
    /// <param name="inputTokens">Input tokens, cached reads and cache writes included.</param>
    /// <param name="cachedInputTokens">Input tokens read from the cache.</param>
    /// <param name="cacheWriteTokens">Input tokens written to the cache.</param>
    /// <param name="outputTokens">Output tokens, reasoning included.</param>
    /// <param name="reasoningTokens">Reasoning tokens.</param>
    /// <returns>The breakdown.</returns>
    public static CostBreakdown Calculate(ModelPrice price, long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens, long reasoningTokens)
    {
        ArgumentNullException.ThrowIfNull(price);
        long cached = Clamp(cachedInputTokens, inputTokens);
        long write = Clamp(cacheWriteTokens, inputTokens - cached);
        long uncached = Math.Max(0, inputTokens - cached - write);

        // Some providers report reasoning apart from output (output excludes it): never charge fewer output tokens than reasoning.
        long reasoning = Math.Max(0, reasoningTokens);
        long output = Math.Max(0, outputTokens);
        long visibleOutput = Math.Max(0, output - reasoning);

        decimal input = price.Input, outputPrice = price.Output;
        decimal? cachedPrice = price.CachedInput, writePrice = price.CacheWrite;
        var tier = FindTier(price.Tiers, inputTokens);
        if (tier is not null)
        {
            decimal ratio = price.Input == 0m ? 1m : tier.Input / price.Input;
            input = tier.Input;
            outputPrice = tier.Output;
            cachedPrice = tier.CachedInput ?? (cachedPrice is { } c ? c * ratio : null);
            writePrice = tier.CacheWrite ?? (writePrice is { } wp ? wp * ratio : null);
        }

        decimal reasoningPrice = tier is null ? price.Reasoning ?? outputPrice : outputPrice * (price.Output == 0m ? 1m : (price.Reasoning ?? price.Output) / price.Output);
        return new CostBreakdown(
            PerMillion(uncached, input),
            PerMillion(cached, cachedPrice ?? input),
            PerMillion(write, writePrice ?? input),
            PerMillion(visibleOutput, outputPrice),
            PerMillion(reasoning, reasoningPrice));
    }

    /// <summary>Prices a call.</summary>
    /// <param name="providerName">The provider's registration name (selects its cost multiplier).</param>
    /// <param name="providerKind">The provider kind (selects the catalog's models).</param>
    /// <param name="model">The model that answered (or was asked for).</param>
    /// <param name="usage">The call's usage.</param>
    /// <returns>The cost in USD, or <see langword="null"/> when the model or the usage is unknown.</returns>
    public decimal? CalculateCost(string providerName, string providerKind, string? model, UsageDetails? usage) =>
        CalculateBreakdown(providerName, providerKind, model, usage)?.Total;

    /// <summary>Prices a call, part by part.</summary>
    /// <param name="providerName">The provider's registration name (selects its cost multiplier).</param>
    /// <param name="providerKind">The provider kind (selects the catalog's models).</param>
    /// <param name="model">The model that answered (or was asked for).</param>
    /// <param name="usage">The call's usage.</param>
    /// <returns>The breakdown, or <see langword="null"/> when the model or the usage is unknown.</returns>
    public CostBreakdown? CalculateBreakdown(string providerName, string providerKind, string? model, UsageDetails? usage)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        ArgumentNullException.ThrowIfNull(providerKind);
        if (usage is null)
        {
            return null;
        }

        var price = FindPrice(providerName, providerKind, model);
        if (price is null)
        {
            return null;
        }

        return Calculate(price, usage).Scale(Catalog.GetCostMultiplier(providerName, providerKind));
    }

    /// <summary>
    /// Estimates what a call can cost before it runs: the router's worst case for budgets (prompt estimate + max output) and the
    /// least-cost strategy's comparison.
    /// </summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="providerKind">The provider kind.</param>
    /// <param name="model">The model.</param>
    /// <param name="inputTokens">The estimated input tokens.</param>
    /// <param name="outputTokens">The output tokens to assume (the request's max output tokens for a worst case).</param>
    /// <returns>The estimate in USD, or <see langword="null"/> when the model is unknown.</returns>
    public decimal? EstimateCost(string providerName, string providerKind, string? model, long inputTokens, long outputTokens)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        ArgumentNullException.ThrowIfNull(providerKind);
        var price = FindPrice(providerName, providerKind, model);
        if (price is null)
        {
            return null;
        }

        return Calculate(price, inputTokens, 0, 0, outputTokens, 0).Total * Catalog.GetCostMultiplier(providerName, providerKind);
    }

    /// <summary>Gets whether a provider kind runs models locally, so that its calls cost zero.</summary>
    /// <param name="providerKind">The provider kind.</param>
    /// <returns><see langword="true"/> for Ollama, vLLM and LocalAI.</returns>
    public static bool IsLocalKind(string? providerKind) =>
        string.Equals(providerKind, LlmProviderKinds.Ollama, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(providerKind, LlmProviderKinds.Vllm, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(providerKind, LlmProviderKinds.LocalAI, StringComparison.OrdinalIgnoreCase);

    private static readonly ModelPrice s_free = new();

    private ModelPrice? FindPrice(string providerName, string providerKind, string? model)
    {
        if (IsLocalKind(providerKind))
        {
            return s_free;
        }

        if (string.IsNullOrEmpty(model))
        {
            ReportUnknown(providerKind, "(default model)");
            return null;
        }

        var entry = Catalog.Find(providerKind, model) ?? (string.Equals(providerName, providerKind, StringComparison.OrdinalIgnoreCase) ? null : Catalog.Find(providerName, model));
        if (entry is null || entry.Price is null)
        {
            if (entry is { IsLocal: true })
            {
                return s_free;
            }

            ReportUnknown(providerKind, model);
            return null;
        }

        return entry.IsLocal ? s_free : entry.Price;
    }

    private void ReportUnknown(string providerKind, string model)
    {
        _unknownModels.Add(1, new KeyValuePair<string, object?>("gen_ai.provider.name", providerKind), new KeyValuePair<string, object?>("gen_ai.request.model", model));
        if (_warned.Count < MaxWarnedModels && _warned.TryAdd((providerKind, model), 0))
        {
            LogUnknownModel(_logger, providerKind, model);
        }
    }

    private static ModelPriceTier? FindTier(IList<ModelPriceTier> tiers, long promptTokens)
    {
        ModelPriceTier? best = null;
        for (int i = 0; i < tiers.Count; i++)
        {
            var t = tiers[i];
            if (promptTokens > t.AbovePromptTokens && (best is null || t.AbovePromptTokens > best.AbovePromptTokens))
            {
                best = t;
            }
        }

        return best;
    }

    private static long Clamp(long value, long max) => value < 0 ? 0 : value > max ? Math.Max(0, max) : value;

    private static decimal PerMillion(long tokens, decimal pricePerMillion) => tokens == 0 ? 0m : tokens * pricePerMillion / 1_000_000m;

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "The cost of calls to '{Provider}' model '{Model}' is unknown: the model catalog has no price for it. Add it with ConfigureModelCatalog (or a LiteLLM price file); until then its calls show an unknown cost, never $0.")]
    private static partial void LogUnknownModel(ILogger logger, string provider, string model);
}
