using System;
using System.Net;

namespace LlmProviders.Http;

/// <summary>Builds the typed <see cref="LlmProviderException"/> for a failure: status → kind, the body's code → a finer kind, headers → retry hints.</summary>
public static class LlmErrorFactory
{
    private const int MaxBodyLength = 4096;

    /// <summary>Maps an HTTP status to the kind of failure it means when the body says nothing finer.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The kind.</returns>
    public static LlmErrorKind KindFromStatus(HttpStatusCode status) => (int)status switch
    {
        400 or 422 => LlmErrorKind.InvalidRequest,
        401 => LlmErrorKind.Authentication,
        402 => LlmErrorKind.QuotaExhausted,
        403 => LlmErrorKind.PermissionDenied,
        404 => LlmErrorKind.ModelNotFound,
        408 => LlmErrorKind.Timeout,
        409 => LlmErrorKind.ProviderUnavailable,
        413 => LlmErrorKind.ContextLengthExceeded,
        429 => LlmErrorKind.RateLimited,
        529 => LlmErrorKind.Overloaded,
        504 => LlmErrorKind.Timeout,
        >= 500 => LlmErrorKind.ProviderUnavailable,
        _ => LlmErrorKind.Unknown,
    };

    /// <summary>Builds the exception for an error response.</summary>
    /// <param name="context">What the response said in its status and headers.</param>
    /// <param name="error">What the body said, parsed by the provider; <see langword="null"/> when it could not be parsed.</param>
    /// <returns>The typed exception.</returns>
    public static LlmProviderException FromResponse(in ProviderErrorContext context, ProviderError? error)
    {
        var kind = error?.Kind ?? (context.StatusCode is { } s ? KindFromStatus(s) : LlmErrorKind.Unknown);
        bool transient = error?.IsTransient ?? context.ShouldRetry ?? LlmProviderException.DefaultIsTransient(kind);
        if (kind == LlmErrorKind.QuotaExhausted)
        {
            transient = false;
        }

        string providerMessage = SecretRedactor.Redact(error?.Message, context.Secret) ?? DescribeBody(context.Body, context.Secret);
        string status = context.StatusCode is { } code ? $"HTTP {(int)code}" : "an error";
        string message = $"{context.ProviderName} returned {status} ({Describe(kind)}): {providerMessage}{Advice(kind)}";
        return Create(kind, message, null, context, error, transient);
    }

    /// <summary>Builds an exception of <paramref name="kind"/> that did not come from an error response (malformed body, interrupted stream, connect failure …).</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="context">The call.</param>
    /// <param name="innerException">The underlying failure.</param>
    /// <returns>The typed exception.</returns>
    public static LlmProviderException Create(LlmErrorKind kind, string message, in ProviderErrorContext context, Exception? innerException = null) =>
        Create(kind, SecretRedactor.Redact(message, context.Secret)!, innerException, context, null, context.ShouldRetry ?? LlmProviderException.DefaultIsTransient(kind));

    private static LlmProviderException Create(LlmErrorKind kind, string message, Exception? inner, in ProviderErrorContext c, ProviderError? e, bool transient)
    {
        var body = Truncate(SecretRedactor.Redact(c.Body, c.Secret));
        var retryAfter = c.RetryAfter ?? e?.RetryAfter;
        return kind switch
        {
            LlmErrorKind.Authentication => new ProviderAuthenticationException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.PermissionDenied => new ProviderPermissionException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.ModelNotFound => new ModelNotFoundException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.InvalidRequest => new InvalidChatRequestException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.ContextLengthExceeded => new ContextLengthExceededException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.ContentFiltered => new ContentFilteredException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body, Categories = e?.Categories ?? Array.Empty<string>() },
            LlmErrorKind.RateLimited => new RateLimitedException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.QuotaExhausted => new QuotaExhaustedException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = false, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.Overloaded => new ProviderOverloadedException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.Timeout => new ProviderTimeoutException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.ProviderUnavailable => new ProviderUnavailableException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.StreamInterrupted => new StreamInterruptedException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.MalformedResponse => new MalformedResponseException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            _ => new LlmProviderException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
        };
    }

    private static string Describe(LlmErrorKind kind) => kind switch
    {
        LlmErrorKind.Authentication => "authentication failed",
        LlmErrorKind.PermissionDenied => "permission denied",
        LlmErrorKind.ModelNotFound => "model not found",
        LlmErrorKind.InvalidRequest => "invalid request",
        LlmErrorKind.ContextLengthExceeded => "context length exceeded",
        LlmErrorKind.ContentFiltered => "content filtered",
        LlmErrorKind.RateLimited => "rate limited",
        LlmErrorKind.QuotaExhausted => "quota exhausted",
        LlmErrorKind.Overloaded => "overloaded",
        LlmErrorKind.Timeout => "timeout",
        LlmErrorKind.ProviderUnavailable => "provider unavailable",
        _ => "error",
    };

    private static string Advice(LlmErrorKind kind) => kind switch
    {
        LlmErrorKind.Authentication => ". Check the API key configured for this provider.",
        LlmErrorKind.PermissionDenied => ". The key is not allowed to make this call; check the key's project, organization or region.",
        LlmErrorKind.ModelNotFound => ". Check the model name (or deployment) and that this key can use it.",
        LlmErrorKind.ContextLengthExceeded => ". Shorten the prompt, lower MaxOutputTokens, or route to a model with a larger context window.",
        LlmErrorKind.RateLimited => ". Retry after RetryAfter, or fail over to another target.",
        LlmErrorKind.QuotaExhausted => ". Retrying will not help until the account's quota or credit is topped up.",
        LlmErrorKind.Overloaded => ". Retry shortly, or fail over to another target.",
        _ => string.Empty,
    };

    private static string DescribeBody(string? body, string? secret)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(empty body)";
        }

        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.StartsWith("<", StringComparison.Ordinal))
        {
            return "an HTML page instead of an error object (a proxy or gateway answered)";
        }

        var redacted = SecretRedactor.Redact(body, secret);
        return redacted.Length <= 300 ? redacted : string.Concat(redacted.AsSpan(0, 300), "…");
    }

    private static string? Truncate(string? body) =>
        body is null || body.Length <= MaxBodyLength ? body : string.Concat(body.AsSpan(0, MaxBodyLength), "…");
}
