using System;

namespace LlmProviders;

/// <summary>The provider rejected the API key or token. Check the key configured for this provider.</summary>
public sealed class ProviderAuthenticationException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public ProviderAuthenticationException()
        : this("The provider rejected the API key or token. Check the key configured for this provider.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public ProviderAuthenticationException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ProviderAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.Authentication;
}
