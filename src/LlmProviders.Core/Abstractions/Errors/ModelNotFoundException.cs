using System;

namespace LlmProviders;

/// <summary>The model does not exist or this key cannot use it.</summary>
public sealed class ModelNotFoundException : LlmProviderException
{
    /// <summary>Initializes a new instance.</summary>
    public ModelNotFoundException()
        : this("The model does not exist or this key cannot use it.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public ModelNotFoundException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ModelNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override LlmErrorKind Kind => LlmErrorKind.ModelNotFound;
}
