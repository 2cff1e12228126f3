using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Costs;

/// <summary>
/// The budget check the router calls around every attempt (SPEC C4): reserve the worst-case cost before, settle to the real cost after.
/// </summary>
/// <remarks>The built-in implementation is <c>BudgetManager</c>. Implementations are thread-safe.</remarks>
public interface IBudgetGuard
{
    /// <summary>Gets a value indicating whether any budget is configured; when not, callers may skip estimating costs.</summary>
    bool HasBudgets { get; }

    /// <summary>Reserves a call's worst-case cost in every budget whose scope covers it, all or none.</summary>
    /// <param name="context">Who is called, with which model and tags.</param>
    /// <param name="worstCaseCost">The most the call can cost (prompt estimate + max output at the target's prices), or <see langword="null"/> when unknown.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A granted reservation (to settle when the call ends) or a refusal naming the budget that does not allow it.</returns>
    ValueTask<BudgetReservation> ReserveAsync(BudgetCallContext context, decimal? worstCaseCost, CancellationToken cancellationToken = default);

    /// <summary>Settles a granted reservation to the call's real cost; called once when the call ends, fails or is cancelled.</summary>
    /// <param name="reservation">The reservation <see cref="ReserveAsync"/> granted.</param>
    /// <param name="actualCost">The real cost; <see langword="null"/> when unknown (counted as zero); 0 for a failure that consumed nothing.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the spend is updated.</returns>
    ValueTask SettleAsync(BudgetReservation reservation, decimal? actualCost, CancellationToken cancellationToken = default);
}

/// <summary>Who a call goes to, as the budgets scope it.</summary>
/// <param name="ProviderName">The provider's registration name.</param>
/// <param name="ProviderKind">The provider kind, or <see langword="null"/>.</param>
/// <param name="Model">The model, or <see langword="null"/> when the provider's default is used.</param>
/// <param name="Tags">The request's tags, or <see langword="null"/>.</param>
public readonly record struct BudgetCallContext(string ProviderName, string? ProviderKind, string? Model, IDictionary<string, string>? Tags);
