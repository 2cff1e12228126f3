using System;

namespace LlmProviders;

/// <summary>The account's quota or credit is exhausted; retrying will not help until it is topped up.</summary>
public sealed class QuotaExhaustedException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public QuotaExhaustedException()
        : this("The account's quota or credit is exhausted; retrying will not help until it is topped up.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public QuotaExhaustedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public QuotaExhaustedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.QuotaExhausted;
}
