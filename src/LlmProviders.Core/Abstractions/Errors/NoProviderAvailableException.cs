using System;

namespace LlmProviders;

/// <summary>No target of the route could be tried: each was skipped (circuit open, missing capability, over budget …). The trace says why.</summary>
public sealed class NoProviderAvailableException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public NoProviderAvailableException()
        : this("No provider could take this request.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public NoProviderAvailableException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public NoProviderAvailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.NoProviderAvailable;

    /// <summary>Gets the decision trace: every candidate and why it was skipped.</summary>
    public RoutingTrace? Trace { get; init; }
}
