using System;

namespace LlmProviders;

/// <summary>A content filter blocked the prompt or the answer.</summary>
public sealed class ContentFilteredException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public ContentFilteredException()
        : this("A content filter blocked the prompt or the answer.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public ContentFilteredException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ContentFilteredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.ContentFiltered;

    /// <summary>Gets the filter categories that triggered, when the provider named them (e.g. <c>hate</c>, <c>violence</c>, <c>SAFETY</c>).</summary>
    public System.Collections.Generic.IReadOnlyList<string> Categories { get; init; } = System.Array.Empty<string>();
}
