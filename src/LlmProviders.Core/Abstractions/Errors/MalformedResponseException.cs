using System;

namespace LlmProviders;

/// <summary>The provider's response could not be understood.</summary>
public sealed class MalformedResponseException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public MalformedResponseException()
        : this("The provider's response could not be understood.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public MalformedResponseException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public MalformedResponseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.MalformedResponse;
}
