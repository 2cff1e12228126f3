using System;

namespace LlmProviders;

/// <summary>The key is valid but not allowed to make this call (403).</summary>
public sealed class ProviderPermissionException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public ProviderPermissionException()
        : this("The key is valid but not allowed to make this call (403).")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public ProviderPermissionException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ProviderPermissionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.PermissionDenied;
}
