using System;
using System.Globalization;
using System.Net;

namespace LlmProviders.Simulation;

/// <summary>Builds the typed exception of each simulated failure kind, as a real provider's error mapping would.</summary>
internal static class SimulatedFailures
{
    /// <summary>The supported kinds, in words, for validation messages.</summary>
    public const string SupportedKindsText =
        "Authentication, PermissionDenied, ModelNotFound, InvalidRequest, ContextLengthExceeded, ContentFiltered, RateLimited, " +
        "QuotaExhausted, Overloaded, Timeout, ProviderUnavailable, StreamInterrupted or MalformedResponse";

    /// <summary>The kinds drawn from when <see cref="SimulatedProviderOptions.FailureKinds"/> is empty: 429 and 503.</summary>
    public static readonly LlmErrorKind[] DefaultKinds = [LlmErrorKind.RateLimited, LlmErrorKind.ProviderUnavailable];

    /// <summary>Determines whether a provider can report <paramref name="kind"/> (the router's own kinds and Unknown cannot be simulated).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> when it can be simulated.</returns>
    public static bool IsSupported(LlmErrorKind kind) => kind is LlmErrorKind.Authentication or LlmErrorKind.PermissionDenied
        or LlmErrorKind.ModelNotFound or LlmErrorKind.InvalidRequest or LlmErrorKind.ContextLengthExceeded or LlmErrorKind.ContentFiltered
        or LlmErrorKind.RateLimited or LlmErrorKind.QuotaExhausted or LlmErrorKind.Overloaded or LlmErrorKind.Timeout
        or LlmErrorKind.ProviderUnavailable or LlmErrorKind.StreamInterrupted or LlmErrorKind.MalformedResponse;

    /// <summary>Creates the exception for a simulated failure.</summary>
    /// <param name="kind">The kind (supported).</param>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="model">The model asked for.</param>
    /// <param name="requestId">The simulated request id.</param>
    /// <param name="retryAfter">The Retry-After of a 429.</param>
    /// <param name="failureRate">The configured failure rate, for the message.</param>
    /// <returns>The exception.</returns>
    public static LlmProviderException Create(LlmErrorKind kind, string providerName, string model, string requestId, TimeSpan? retryAfter, double failureRate)
    {
        var (status, code, what, advice) = Describe(kind);
        string statusText = status is { } s ? string.Create(CultureInfo.InvariantCulture, $" (HTTP {(int)s})") : string.Empty;
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"Simulated failure from '{providerName}' ({model}): {what}{statusText}. {advice} It was drawn with FailureRate {failureRate:0.###}; set FailureRate to 0 to stop simulated failures.");
        return kind switch
        {
            LlmErrorKind.Authentication => new ProviderAuthenticationException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.PermissionDenied => new ProviderPermissionException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.ModelNotFound => new ModelNotFoundException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.InvalidRequest => new InvalidChatRequestException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.ContextLengthExceeded => new ContextLengthExceededException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.ContentFiltered => new ContentFilteredException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId, Categories = ["simulated"] },
            LlmErrorKind.RateLimited => new RateLimitedException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId, RetryAfter = retryAfter },
            LlmErrorKind.QuotaExhausted => new QuotaExhaustedException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.Overloaded => new ProviderOverloadedException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.Timeout => new ProviderTimeoutException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.ProviderUnavailable => new ProviderUnavailableException(message) { ProviderName = providerName, Model = model, StatusCode = status, ErrorCode = code, RequestId = requestId },
            LlmErrorKind.StreamInterrupted => new StreamInterruptedException(message) { ProviderName = providerName, Model = model, RequestId = requestId, PartialText = string.Empty },
            LlmErrorKind.MalformedResponse => new MalformedResponseException(message) { ProviderName = providerName, Model = model, StatusCode = status, RequestId = requestId },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"{kind} cannot be simulated; use {SupportedKindsText}."),
        };
    }

    private static (HttpStatusCode? Status, string? Code, string What, string Advice) Describe(LlmErrorKind kind) => kind switch
    {
        LlmErrorKind.Authentication => (HttpStatusCode.Unauthorized, "invalid_api_key", "the API key was rejected", "Check this provider's key; a router fails over to its next target."),
        LlmErrorKind.PermissionDenied => (HttpStatusCode.Forbidden, "permission_denied", "the key may not make this call", "Check the key's permissions; a router fails over to its next target."),
        LlmErrorKind.ModelNotFound => (HttpStatusCode.NotFound, "model_not_found", "the model does not exist", "Check the model id; a router fails over to its next target."),
        LlmErrorKind.InvalidRequest => (HttpStatusCode.BadRequest, "invalid_request_error", "the request was rejected as invalid", "Fix the request; no provider would accept it, so a router does not fail over."),
        LlmErrorKind.ContextLengthExceeded => (HttpStatusCode.BadRequest, "context_length_exceeded", "the prompt does not fit the context window", "Shorten the prompt or use a model with a bigger context; a router fails over to its next target."),
        LlmErrorKind.ContentFiltered => (HttpStatusCode.BadRequest, "content_filter", "a content filter blocked the prompt", "Rephrase the prompt; a router fails over only if FailoverOnContentFilter is set."),
        LlmErrorKind.RateLimited => (HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "rate limited", "Retry after RetryAfter, or fail over."),
        LlmErrorKind.QuotaExhausted => (HttpStatusCode.TooManyRequests, "insufficient_quota", "the account's quota is exhausted", "Top up the account; a router fails over to its next target."),
        LlmErrorKind.Overloaded => ((HttpStatusCode)529, "overloaded_error", "the provider is overloaded", "Retry shortly, or fail over."),
        LlmErrorKind.Timeout => (HttpStatusCode.GatewayTimeout, "timeout", "the call timed out", "Retry, or fail over."),
        LlmErrorKind.ProviderUnavailable => (HttpStatusCode.ServiceUnavailable, "service_unavailable", "the provider is unavailable", "Retry shortly, or fail over."),
        LlmErrorKind.StreamInterrupted => (null, null, "the stream broke before its first token", "Retry, or fail over."),
        LlmErrorKind.MalformedResponse => (HttpStatusCode.OK, null, "the response could not be understood", "Retry, or fail over."),
        _ => (null, null, kind.ToString(), string.Empty),
    };
}
