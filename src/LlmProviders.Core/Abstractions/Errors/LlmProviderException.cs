using System;
using System.Net;
using System.Text;

namespace LlmProviders;

/// <summary>
/// The base of every failure this library reports. Carries the provider, the model, the HTTP status, the provider's
/// error code and type, the request id, whether the failure is transient, and how long the provider asked to wait.
/// </summary>
/// <remarks>Messages say what happened and what to do. They never contain an API key, not even in part.</remarks>
public class LlmProviderException : Exception
{
    private readonly bool? _isTransient;

    /// <summary>Initializes a new instance.</summary>
    public LlmProviderException()
        : this("The LLM provider call failed.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    public LlmProviderException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public LlmProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the kind of failure.</summary>
    public virtual LlmErrorKind Kind => LlmErrorKind.Unknown;

    /// <summary>Gets the registration name of the provider that failed.</summary>
    public string? ProviderName { get; init; }

    /// <summary>Gets the model the call asked for.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// Gets or sets the tokens the failed call consumed before it failed (a stream cut after its usage arrived, a filtered answer),
    /// or <see langword="null"/> when none are known. Failed attempts that consumed tokens are charged (SPEC C2).
    /// </summary>
    public Microsoft.Extensions.AI.UsageDetails? Usage { get; set; }

    /// <summary>Gets or sets what the failed call cost, in USD, or <see langword="null"/> when unknown or nothing was consumed.</summary>
    public decimal? Cost { get; set; }

    /// <summary>Gets the HTTP status code, when the failure came with one.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets the provider's error code (e.g. <c>rate_limit_exceeded</c>, <c>DeploymentNotFound</c>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets the provider's error type (e.g. <c>invalid_request_error</c>, <c>overloaded_error</c>).</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the provider's request id, for support tickets.</summary>
    public string? RequestId { get; init; }

    /// <summary>Gets a value indicating whether trying again (later, or elsewhere) may succeed.</summary>
    public bool IsTransient
    {
        get => _isTransient ?? DefaultIsTransient(Kind);
        init => _isTransient = value;
    }

    /// <summary>Gets how long the provider asked to wait before trying again, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the provider's error body (truncated, keys redacted), for diagnostics.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>Gets the default of <see cref="IsTransient"/> for a kind of failure.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> for rate limits, overloads, timeouts, unavailability and interrupted streams.</returns>
    public static bool DefaultIsTransient(LlmErrorKind kind) => kind is LlmErrorKind.RateLimited or LlmErrorKind.Overloaded
        or LlmErrorKind.Timeout or LlmErrorKind.ProviderUnavailable or LlmErrorKind.StreamInterrupted;

    /// <summary>Describes the failure: type, provider and model, status, request id, message, inner exception and stack trace, with key-shaped text redacted.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder(256);
        sb.Append(GetType().FullName).Append(": [").Append(ProviderName ?? "?").Append('/').Append(Model ?? "?").Append(']');
        if (StatusCode is { } status)
        {
            sb.Append(" (HTTP ").Append((int)status).Append(')');
        }

        if (RequestId is not null)
        {
            sb.Append(" (request ").Append(RequestId).Append(')');
        }

        sb.Append(' ').Append(Message);
        if (InnerException is { } inner)
        {
            sb.Append(" ---> ").Append(inner.ToString()).AppendLine().Append("   --- End of inner exception stack trace ---");
        }

        if (StackTrace is { } stackTrace)
        {
            sb.AppendLine().Append(stackTrace);
        }

        // Messages built by the library are already redacted; an inner exception's are not.
        return Http.SecretRedactor.Redact(sb.ToString());
    }
}
