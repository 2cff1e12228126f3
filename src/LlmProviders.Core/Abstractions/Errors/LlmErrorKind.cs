namespace LlmProviders;

/// <summary>The kind of a failure, one per <see cref="LlmProviderException"/> subtype; what routing and retry decisions switch on.</summary>
public enum LlmErrorKind
{
    /// <summary>A failure the library could not classify.</summary>
    Unknown = 0,

    /// <summary>The key or token was rejected (401; Gemini's 400 <c>API_KEY_INVALID</c>).</summary>
    Authentication,

    /// <summary>The key is valid but not allowed to do this (403).</summary>
    PermissionDenied,

    /// <summary>The model (or Azure deployment) does not exist or is not available to this key.</summary>
    ModelNotFound,

    /// <summary>The request was rejected as invalid (400, 422).</summary>
    InvalidRequest,

    /// <summary>The prompt plus the requested output does not fit the model's context window.</summary>
    ContextLengthExceeded,

    /// <summary>The prompt or the answer was blocked by a content filter.</summary>
    ContentFiltered,

    /// <summary>Too many requests or tokens for now (429); transient.</summary>
    RateLimited,

    /// <summary>The account's quota or credit is exhausted (OpenAI <c>insufficient_quota</c>, OpenRouter 402); not transient.</summary>
    QuotaExhausted,

    /// <summary>The provider is overloaded (Anthropic 529, "model overloaded"); transient.</summary>
    Overloaded,

    /// <summary>The call timed out (per attempt, first chunk, idle gap or total deadline).</summary>
    Timeout,

    /// <summary>The provider could not be reached or failed on its side (connect error, 5xx).</summary>
    ProviderUnavailable,

    /// <summary>A stream ended or broke before its terminal event.</summary>
    StreamInterrupted,

    /// <summary>The response could not be understood (truncated or invalid JSON, bad framing, invalid UTF-8, an HTML page, an empty body).</summary>
    MalformedResponse,

    /// <summary>A budget does not allow this call.</summary>
    BudgetExceeded,

    /// <summary>No target of the route could be tried.</summary>
    NoProviderAvailable,

    /// <summary>Every target that was tried failed.</summary>
    AllProvidersFailed,

    /// <summary>The caller cancelled the call (used in cost records and statistics; no exception has this kind).</summary>
    Cancelled,
}
