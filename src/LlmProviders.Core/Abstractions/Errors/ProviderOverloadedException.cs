using System;

namespace LlmProviders;

/// <summary>The provider is overloaded; try again shortly, or elsewhere.</summary>
public sealed class ProviderOverloadedException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public ProviderOverloadedException()
        : this("The provider is overloaded; try again shortly, or elsewhere.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public ProviderOverloadedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ProviderOverloadedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.Overloaded;
}
