using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Costs;

/// <summary>
/// What the router does about money around each attempt (SPEC C2–C4): reserve the worst-case cost in the budgets before it, then
/// settle to the real cost and record the attempt in the cost tracker after it — whether it succeeded, failed or was cancelled.
/// </summary>
/// <remarks>Without budgets no estimate is made and nothing is reserved; recording copies one struct into the ledger.</remarks>
internal sealed class CostAccounting
{
    /// <summary>The output tokens assumed for a worst case when neither the request nor the catalog gives a limit.</summary>
    public const int DefaultMaxOutputTokens = 4096;

    private readonly IBudgetGuard? _budgets;
    private readonly ICostTracker? _tracker;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="calculator">Prices calls and estimates worst cases.</param>
    /// <param name="budgets">The budgets, or <see langword="null"/> for none.</param>
    /// <param name="tracker">Where attempts are recorded, or <see langword="null"/> to record nothing.</param>
    public CostAccounting(CostCalculator calculator, IBudgetGuard? budgets, ICostTracker? tracker)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        Calculator = calculator;
        _budgets = budgets;
        _tracker = tracker;
    }

    /// <summary>Gets the calculator.</summary>
    public CostCalculator Calculator { get; }

    /// <summary>Gets a value indicating whether any budget is configured.</summary>
    public bool HasBudgets => _budgets is { HasBudgets: true };

    /// <summary>Estimates the most an attempt can cost: estimated prompt tokens plus the output limit, at the target's prices.</summary>
    /// <param name="providerName">The target's registration name.</param>
    /// <param name="provider">The target's provider.</param>
    /// <param name="request">The request as the target receives it.</param>
    /// <returns>The worst case in USD, or <see langword="null"/> when the model's price is unknown.</returns>
    public decimal? EstimateWorstCase(string providerName, ILlmProvider provider, ChatRequest request)
    {
        if (provider.IsLocal || CostCalculator.IsLocalKind(provider.Kind))
        {
            return 0m;
        }

        if (request.Model is not { Length: > 0 } model)
        {
            return null;
        }

        int maxOutput = request.MaxOutputTokens
            ?? Calculator.Catalog.Find(provider.Kind, model)?.MaxOutputTokens
            ?? DefaultMaxOutputTokens;
        return Calculator.EstimateCost(providerName, provider.Kind, model, PromptTokenEstimator.Estimate(request), maxOutput);
    }

    /// <summary>Reserves an attempt's worst case in the budgets that cover it.</summary>
    /// <param name="providerName">The target's registration name.</param>
    /// <param name="provider">The target's provider.</param>
    /// <param name="request">The request as the target receives it.</param>
    /// <param name="cancellationToken">Cancels the reservation.</param>
    /// <returns>The reservation (granted or refused); <see cref="BudgetReservation.Unbudgeted"/> without budgets.</returns>
    public ValueTask<BudgetReservation> ReserveAsync(string providerName, ILlmProvider provider, ChatRequest request, CancellationToken cancellationToken)
    {
        if (!HasBudgets)
        {
            return new ValueTask<BudgetReservation>(BudgetReservation.Unbudgeted);
        }

        var context = new BudgetCallContext(providerName, provider.Kind, request.Model, request.Tags);
        return _budgets!.ReserveAsync(context, EstimateWorstCase(providerName, provider, request), cancellationToken);
    }

    /// <summary>Estimates what an embedding attempt costs: the inputs' estimated tokens at the model's input (embedding) price.</summary>
    /// <param name="providerName">The target's registration name.</param>
    /// <param name="provider">The target's provider.</param>
    /// <param name="request">The embedding request.</param>
    /// <returns>The estimate in USD, or <see langword="null"/> when the model (or its price) is unknown.</returns>
    public decimal? EstimateEmbedding(string providerName, ILlmProvider provider, EmbeddingRequest request)
    {
        if (provider.IsLocal || CostCalculator.IsLocalKind(provider.Kind))
        {
            return 0m;
        }

        if (request.Model is not { Length: > 0 } model)
        {
            return null;
        }

        return Calculator.EstimateCost(providerName, provider.Kind, model, PromptTokenEstimator.Estimate(request.Inputs), 0);
    }

    /// <summary>Reserves an embedding attempt's estimated cost in the budgets that cover it.</summary>
    /// <param name="providerName">The target's registration name.</param>
    /// <param name="provider">The target's provider.</param>
    /// <param name="request">The embedding request.</param>
    /// <param name="cancellationToken">Cancels the reservation.</param>
    /// <returns>The reservation (granted or refused); <see cref="BudgetReservation.Unbudgeted"/> without budgets.</returns>
    public ValueTask<BudgetReservation> ReserveAsync(string providerName, ILlmProvider provider, EmbeddingRequest request, CancellationToken cancellationToken)
    {
        if (!HasBudgets)
        {
            return new ValueTask<BudgetReservation>(BudgetReservation.Unbudgeted);
        }

        var context = new BudgetCallContext(providerName, provider.Kind, request.Model, request.Tags);
        return _budgets!.ReserveAsync(context, EstimateEmbedding(providerName, provider, request), cancellationToken);
    }

    /// <summary>Prices a failed attempt from the usage it reported (0 when it reported none: nothing was consumed that we know of).</summary>
    /// <param name="providerName">The target's registration name.</param>
    /// <param name="provider">The target's provider.</param>
    /// <param name="model">The model asked for.</param>
    /// <param name="error">The failure.</param>
    /// <returns>The cost; <see langword="null"/> when tokens were consumed but the model's price is unknown.</returns>
    public decimal? PriceFailure(string providerName, ILlmProvider provider, string? model, LlmProviderException error)
    {
        if (error.Cost is { } cost)
        {
            return cost;
        }

        if (error.Usage is null)
        {
            return 0m;
        }

        error.Cost = Calculator.CalculateCost(providerName, provider.Kind, error.Model ?? model, error.Usage);
        return error.Cost;
    }

    /// <summary>Settles a reservation and records the attempt; never throws for the ledger's sake and never observes the caller's token.</summary>
    /// <param name="reservation">The attempt's reservation.</param>
    /// <param name="record">The attempt as recorded.</param>
    /// <returns>A task that completes when the budgets are settled.</returns>
    public ValueTask CompleteAsync(BudgetReservation reservation, in CostRecord record)
    {
        _tracker?.Record(in record);
        if (ReferenceEquals(reservation, BudgetReservation.Unbudgeted) || !reservation.IsGranted || _budgets is null)
        {
            return default;
        }

        return _budgets.SettleAsync(reservation, record.Cost, CancellationToken.None);
    }

    /// <summary>Settles a reservation without recording an attempt (a failed embedding attempt); never observes the caller's token.</summary>
    /// <param name="reservation">The attempt's reservation.</param>
    /// <param name="cost">The real cost, or <see langword="null"/> when unknown.</param>
    /// <returns>A task that completes when the budgets are settled.</returns>
    public ValueTask SettleAsync(BudgetReservation reservation, decimal? cost)
    {
        if (ReferenceEquals(reservation, BudgetReservation.Unbudgeted) || !reservation.IsGranted || _budgets is null)
        {
            return default;
        }

        return _budgets.SettleAsync(reservation, cost, CancellationToken.None);
    }

    /// <summary>Builds the record of an attempt.</summary>
    /// <param name="startedAt">When the attempt started.</param>
    /// <param name="providerName">The target's registration name.</param>
    /// <param name="providerKind">The provider kind.</param>
    /// <param name="model">The model that answered, or the one asked for.</param>
    /// <param name="route">The chain or route.</param>
    /// <param name="usage">The usage, or <see langword="null"/>.</param>
    /// <param name="cost">The cost, or <see langword="null"/> when unknown.</param>
    /// <param name="latency">The attempt's duration.</param>
    /// <param name="timeToFirstToken">The time to the first streamed update, or <see langword="null"/>.</param>
    /// <param name="error">The failure, or <see langword="null"/> when the attempt succeeded.</param>
    /// <param name="fromCache">Whether the answer came from the response cache.</param>
    /// <param name="tags">The request's tags.</param>
    /// <returns>The record.</returns>
    public static CostRecord CreateRecord(
        DateTimeOffset startedAt, string providerName, string? providerKind, string? model, string route, UsageDetails? usage, decimal? cost,
        TimeSpan latency, TimeSpan? timeToFirstToken, LlmErrorKind? error, bool fromCache, IDictionary<string, string>? tags)
    {
        long cacheWrite = 0;
        if (usage?.AdditionalCounts is { } counts && counts.TryGetValue(UsageCounts.CacheWriteInputTokens, out long w))
        {
            cacheWrite = w;
        }

        return new CostRecord
        {
            Timestamp = startedAt,
            ProviderName = providerName,
            ProviderKind = providerKind,
            Model = model,
            Route = route,
            InputTokens = usage?.InputTokenCount ?? 0,
            OutputTokens = usage?.OutputTokenCount ?? 0,
            CachedInputTokens = usage?.CachedInputTokenCount ?? 0,
            CacheWriteTokens = cacheWrite,
            ReasoningTokens = usage?.ReasoningTokenCount ?? 0,
            Cost = fromCache ? 0m : cost,
            Latency = latency,
            TimeToFirstToken = timeToFirstToken,
            ErrorKind = error,
            FromCache = fromCache,
            Tags = SnapshotTags(tags),
        };
    }

    // The caller may change its dictionary after the call: the record keeps its own copy (only requests with tags pay for it).
    private static Dictionary<string, string>? SnapshotTags(IDictionary<string, string>? tags) =>
        tags is null || tags.Count == 0 ? null : new Dictionary<string, string>(tags, StringComparer.Ordinal);
}
