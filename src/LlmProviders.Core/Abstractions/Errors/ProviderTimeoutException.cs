using System;

namespace LlmProviders;

/// <summary>The call timed out.</summary>
public sealed class ProviderTimeoutException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public ProviderTimeoutException()
        : this("The call timed out.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public ProviderTimeoutException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ProviderTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.Timeout;
}
