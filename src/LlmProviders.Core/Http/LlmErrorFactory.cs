using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace LlmProviders.Http;

/// <summary>Builds the typed <see cref="LlmProviderException"/> for a failure: status → kind, the body's code → a finer kind, headers → retry hints.</summary>
public static class LlmErrorFactory
{
    private const int MaxBodyLength = 4096;
    private const int MaxMessageDetail = 1000;

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
    /// <remarks>
    /// The body's kind overrides the status's. Whether the failure is transient follows, in order: the server's
    /// <c>x-should-retry</c> header, the body, the kind's default; a quota that is exhausted is never transient. A wait in
    /// the headers wins over one in the body.
    /// </remarks>
    public static LlmProviderException FromResponse(in ProviderErrorContext context, ProviderError? error)
    {
        var kind = error?.Kind ?? (context.StatusCode is { } s ? KindFromStatus(s) : LlmErrorKind.Unknown);
        bool transient = kind != LlmErrorKind.QuotaExhausted &&
            (context.ShouldRetry ?? error?.IsTransient ?? LlmProviderException.DefaultIsTransient(kind));

        string providerMessage = string.IsNullOrWhiteSpace(error?.Message)
            ? DescribeBody(context.Body, context.Secret)
            : Shorten(SecretRedactor.Redact(error.Message, context.Secret), MaxMessageDetail);
        string status = context.StatusCode is { } code ? $"HTTP {(int)code}" : "an error";
        string advice = Advice(kind, transient, context.RetryAfter ?? error?.RetryAfter);
        string message = $"{context.ProviderName} returned {status} ({Describe(kind)}): {EndSentence(providerMessage)}{(advice.Length == 0 ? string.Empty : " " + advice)}";
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
            LlmErrorKind.BudgetExceeded => new BudgetExceededException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.NoProviderAvailable => new NoProviderAvailableException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
            LlmErrorKind.AllProvidersFailed => new AllProvidersFailedException(message, inner) { ProviderName = c.ProviderName, Model = c.Model, StatusCode = c.StatusCode, ErrorCode = e?.Code, ErrorType = e?.Type, RequestId = c.RequestId, IsTransient = transient, RetryAfter = retryAfter, ResponseBody = body },
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

    private static string Advice(LlmErrorKind kind, bool transient, TimeSpan? retryAfter)
    {
        if (!transient && LlmProviderException.DefaultIsTransient(kind))
        {
            return "The provider said that retrying will not help; fail over to another target.";
        }

        return kind switch
        {
            LlmErrorKind.Authentication => "Check the API key configured for this provider.",
            LlmErrorKind.PermissionDenied => "The key is not allowed to make this call; check the key's project, organization or region.",
            LlmErrorKind.ModelNotFound => "Check the model name (or deployment) and that this key can use it.",
            LlmErrorKind.InvalidRequest => "Fix the request: sending it again, or to another target, will not help.",
            LlmErrorKind.ContextLengthExceeded => "Shorten the prompt, lower MaxOutputTokens, or route to a model with a larger context window.",
            LlmErrorKind.ContentFiltered => "Rephrase the prompt, or review the provider's content policy.",
            LlmErrorKind.RateLimited => retryAfter is { } wait
                ? $"Retry after {FormatWait(wait)}, or fail over to another target."
                : "Retry later, or fail over to another target.",
            LlmErrorKind.QuotaExhausted => "Retrying will not help until the account's quota or credit is topped up.",
            LlmErrorKind.Overloaded or LlmErrorKind.ProviderUnavailable => retryAfter is { } wait
                ? $"Retry after {FormatWait(wait)}, or fail over to another target."
                : "Retry shortly, or fail over to another target.",
            LlmErrorKind.Timeout => "Retry, allow more time, or fail over to another target.",
            _ => string.Empty,
        };
    }

    private static string FormatWait(TimeSpan wait) => wait.TotalSeconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{wait.TotalMilliseconds:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{wait.TotalSeconds:0.#} s");

    private static string DescribeBody(string? body, string? secret)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(empty body)";
        }

        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.StartsWith("<", StringComparison.Ordinal))
        {
            // A gateway's or proxy's page ("502 Bad Gateway", a Cloudflare challenge): its title says the most.
            var title = HtmlTitle(trimmed);
            return title.IsEmpty
                ? "an HTML page instead of an error object (a proxy or gateway answered)"
                : $"an HTML page instead of an error object (a proxy or gateway answered: \"{Shorten(SecretRedactor.Redact(title.ToString(), secret), 120)}\")";
        }

        return Shorten(SecretRedactor.Redact(body, secret), 300);
    }

    private static ReadOnlySpan<char> HtmlTitle(ReadOnlySpan<char> html)
    {
        int open = html.IndexOf("<title", StringComparison.OrdinalIgnoreCase);
        if (open < 0)
        {
            return default;
        }

        var rest = html[open..];
        int gt = rest.IndexOf('>');
        if (gt < 0)
        {
            return default;
        }

        rest = rest[(gt + 1)..];
        int close = rest.IndexOf("</title", StringComparison.OrdinalIgnoreCase);
        return (close < 0 ? default : rest[..close]).Trim();
    }

    private static string EndSentence(string text)
    {
        text = text.TrimEnd();
        return text.Length > 0 && text[^1] is '.' or '!' or '?' or '\u2026' ? text : text + ".";
    }

    // One line, at most max characters (never cutting a surrogate pair).
    private static string Shorten(string text, int max)
    {
        var sb = new StringBuilder(Math.Min(text.Length, max + 1));
        bool space = false;
        foreach (char c in text.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
            if (sb.Length >= max)
            {
                if (char.IsHighSurrogate(sb[^1]))
                {
                    sb.Length--;
                }

                return sb.Append('\u2026').ToString();
            }
        }

        return sb.ToString();
    }

    private static string? Truncate(string? body)
    {
        if (body is null || body.Length <= MaxBodyLength)
        {
            return body;
        }

        int cut = char.IsHighSurrogate(body[MaxBodyLength - 1]) ? MaxBodyLength - 1 : MaxBodyLength;
        return string.Concat(body.AsSpan(0, cut), "\u2026");
    }
}
