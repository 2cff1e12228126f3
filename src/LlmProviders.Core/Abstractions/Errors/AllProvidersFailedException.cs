using System;
using System.Collections.Generic;

namespace LlmProviders;

/// <summary>Every target that was tried failed. Carries each attempt's exception, in order, and the decision trace.</summary>
public sealed class AllProvidersFailedException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public AllProvidersFailedException()
        : this("Every provider that was tried failed.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public AllProvidersFailedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The last attempt's failure.</param>
    public AllProvidersFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.AllProvidersFailed;

    /// <summary>Gets each failed attempt's exception, in the order the attempts were made.</summary>
    public IReadOnlyList<LlmProviderException> Errors { get; init; } = Array.Empty<LlmProviderException>();

    /// <summary>Gets the decision trace: every candidate and every attempt.</summary>
    public RoutingTrace? Trace { get; init; }
}
