using System;

namespace LlmProviders;

/// <summary>
/// A stream ended or broke before its terminal event (<c>[DONE]</c>, <c>message_stop</c>, a finish reason, Ollama's
/// <c>done</c>). Carries what had been received, so nothing is silently truncated.
/// </summary>
public sealed class StreamInterruptedException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public StreamInterruptedException()
        : this("The stream ended before its terminal event; the answer is incomplete.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public StreamInterruptedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public StreamInterruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.StreamInterrupted;

    /// <summary>Gets the text that had been streamed before the interruption, when known.</summary>
    public string? PartialText { get; init; }

    /// <summary>Gets the number of updates that had been delivered before the interruption.</summary>
    public int UpdatesDelivered { get; init; }
}
