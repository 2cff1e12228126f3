using System;

namespace LlmProviders;

/// <summary>The provider rejected the request as invalid; sending it again, or elsewhere, will not help.</summary>
public class InvalidChatRequestException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public InvalidChatRequestException()
        : this("The provider rejected the request as invalid; sending it again, or elsewhere, will not help.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public InvalidChatRequestException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public InvalidChatRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.InvalidRequest;
}
