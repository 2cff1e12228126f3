using System;

namespace LlmProviders;

/// <summary>The provider is rate limiting this key; try again after RetryAfter, or elsewhere.</summary>
public sealed class RateLimitedException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public RateLimitedException()
        : this("The provider is rate limiting this key; try again after RetryAfter, or elsewhere.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public RateLimitedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public RateLimitedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.RateLimited;
}
