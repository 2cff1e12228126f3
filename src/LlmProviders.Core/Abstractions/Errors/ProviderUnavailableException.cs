using System;

namespace LlmProviders;

/// <summary>The provider could not be reached or failed on its side.</summary>
public sealed class ProviderUnavailableException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public ProviderUnavailableException()
        : this("The provider could not be reached or failed on its side.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public ProviderUnavailableException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ProviderUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.ProviderUnavailable;
}
