using System;
using System.Collections.Generic;
using System.Net;

namespace LlmProviders.Http;

/// <summary>What a provider's error response said, parsed by the provider from its own body shape.</summary>
public sealed class ProviderError
{
    /// <summary>Gets or sets the kind the provider's code or type maps to, overriding the status-based kind; <see langword="null"/> keeps the status mapping.</summary>
    public LlmErrorKind? Kind { get; set; }

    /// <summary>Gets or sets the provider's message.</summary>
    public string? Message { get; set; }

    /// <summary>Gets or sets the provider's error code.</summary>
    public string? Code { get; set; }

    /// <summary>Gets or sets the provider's error type.</summary>
    public string? Type { get; set; }

    /// <summary>Gets or sets a wait the body asked for (e.g. Gemini's <c>RetryInfo.retryDelay</c>), used when no header says.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Gets or sets content-filter categories named by the body.</summary>
    public IReadOnlyList<string>? Categories { get; set; }

    /// <summary>Gets or sets whether the failure is transient, overriding the kind's default (the server's <c>x-should-retry</c> header, when present, wins over it; an exhausted quota is never transient).</summary>
    public bool? IsTransient { get; set; }
}

/// <summary>Everything known about a failed call, from which <see cref="LlmErrorFactory"/> builds the typed exception.</summary>
public readonly struct ProviderErrorContext
{
    /// <summary>Gets the provider's registration name.</summary>
    public required string ProviderName { get; init; }

    /// <summary>Gets the model asked for.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the HTTP status, if any.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets the provider's request id.</summary>
    public string? RequestId { get; init; }

    /// <summary>Gets the wait the response headers asked for.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the <c>x-should-retry</c> header's value.</summary>
    public bool? ShouldRetry { get; init; }

    /// <summary>Gets the raw error body.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the configured API key, so that it is redacted from every text kept.</summary>
    public string? Secret { get; init; }
}
