using System;

namespace LlmProviders;

/// <summary>The prompt plus the requested output does not fit the model's context window.</summary>
public sealed class ContextLengthExceededException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public ContextLengthExceededException()
        : this("The prompt plus the requested output does not fit the model's context window.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public ContextLengthExceededException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ContextLengthExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.ContextLengthExceeded;
}
