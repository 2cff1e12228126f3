using System;

namespace LlmProviders;

/// <summary>A budget does not allow this call: its limit has been reached, or the call's worst-case cost would pass it.</summary>
public sealed class BudgetExceededException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public BudgetExceededException()
        : this("A budget does not allow this call.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public BudgetExceededException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public BudgetExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.BudgetExceeded;

    /// <summary>Gets the name of the budget that blocked the call (e.g. <c>daily</c>, <c>workspace:acme</c>).</summary>
    public string? BudgetName { get; init; }

    /// <summary>Gets the budget's limit in USD.</summary>
    public decimal? Limit { get; init; }

    /// <summary>Gets what had been spent (and reserved) against the budget, in USD.</summary>
    public decimal? Spent { get; init; }
}
