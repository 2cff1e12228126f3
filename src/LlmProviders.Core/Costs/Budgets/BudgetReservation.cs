using System;

namespace LlmProviders.Costs;

/// <summary>The answer of <see cref="IBudgetGuard.ReserveAsync"/>: a granted reservation to settle later, or a refusal.</summary>
public sealed class BudgetReservation
{
    private BudgetReservation(bool granted, decimal amount, object? state, string? refusedBy, decimal? limit, decimal? spent, BudgetLimitAction action)
    {
        IsGranted = granted;
        Amount = amount;
        State = state;
        RefusedBy = refusedBy;
        Limit = limit;
        Spent = spent;
        Action = action;
    }

    /// <summary>Gets the reservation for a call no budget covers: granted, nothing reserved, nothing to settle.</summary>
    public static BudgetReservation Unbudgeted { get; } = new(true, 0m, null, null, null, null, BudgetLimitAction.Block);

    /// <summary>Gets a value indicating whether the call may run.</summary>
    public bool IsGranted { get; }

    /// <summary>Gets the amount reserved, in USD (0 when refused or unbudgeted).</summary>
    public decimal Amount { get; }

    /// <summary>Gets the guard's own data about the reservation (which budget periods hold it).</summary>
    public object? State { get; }

    /// <summary>Gets the name of the budget that refused the call, or <see langword="null"/> when granted.</summary>
    public string? RefusedBy { get; }

    /// <summary>Gets the refusing budget's limit, in USD.</summary>
    public decimal? Limit { get; }

    /// <summary>Gets the refusing budget's spend in the current period, in USD.</summary>
    public decimal? Spent { get; }

    /// <summary>Gets what the refusing budget asks for: refuse the call, or re-route it to a target that fits.</summary>
    public BudgetLimitAction Action { get; }

    /// <summary>Creates a granted reservation.</summary>
    /// <param name="amount">The amount reserved, in USD.</param>
    /// <param name="state">The guard's own data, given back at settlement.</param>
    /// <returns>The reservation.</returns>
    public static BudgetReservation Granted(decimal amount, object? state) => new(true, amount, state, null, null, null, BudgetLimitAction.Block);

    /// <summary>Creates a refusal.</summary>
    /// <param name="budget">The name of the budget that refuses.</param>
    /// <param name="limit">Its limit, in USD.</param>
    /// <param name="spent">Its spend in the current period, in USD.</param>
    /// <param name="action">What the budget asks for.</param>
    /// <returns>The refusal.</returns>
    public static BudgetReservation Refused(string budget, decimal limit, decimal spent, BudgetLimitAction action)
    {
        ArgumentException.ThrowIfNullOrEmpty(budget);
        return new(false, 0m, null, budget, limit, spent, action);
    }

    /// <summary>Creates the exception that tells the caller which budget refused the call.</summary>
    /// <param name="providerName">The provider the call was for.</param>
    /// <param name="model">The model the call was for.</param>
    /// <returns>The exception.</returns>
    public BudgetExceededException CreateException(string? providerName, string? model)
    {
        if (IsGranted)
        {
            throw new InvalidOperationException("A granted reservation is not a refusal.");
        }

        return new BudgetExceededException(
            $"The budget '{RefusedBy}' does not allow this call: {Spent:0.######} of {Limit:0.######} USD is spent or reserved in this period " +
            "and the call's worst-case cost does not fit. Raise the limit, lower MaxOutputTokens, or route to a cheaper model.")
        {
            BudgetName = RefusedBy,
            Limit = Limit,
            Spent = Spent,
            ProviderName = providerName,
            Model = model,
        };
    }
}
