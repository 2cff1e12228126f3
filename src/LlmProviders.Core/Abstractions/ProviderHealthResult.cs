using System;

namespace LlmProviders;

/// <summary>The health of a provider.</summary>
public enum LlmHealthStatus
{
    /// <summary>Answering normally.</summary>
    Healthy = 0,

    /// <summary>Answering, but slowly or with some failures.</summary>
    Degraded = 1,

    /// <summary>Not answering, or failing.</summary>
    Unhealthy = 2,
}

/// <summary>The outcome of one health check of a provider.</summary>
public sealed class ProviderHealthResult
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="status">The status.</param>
    /// <param name="checkedAt">When the check ran.</param>
    /// <param name="latency">How long the check took.</param>
    /// <param name="message">What was found, in words.</param>
    /// <param name="error">The failure, if the check failed.</param>
    public ProviderHealthResult(string providerName, LlmHealthStatus status, DateTimeOffset checkedAt, TimeSpan latency, string? message = null, LlmProviderException? error = null)
    {
        ProviderName = providerName;
        Status = status;
        CheckedAt = checkedAt;
        Latency = latency;
        Message = message;
        Error = error;
    }

    /// <summary>Gets the provider's registration name.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the status.</summary>
    public LlmHealthStatus Status { get; }

    /// <summary>Gets when the check ran.</summary>
    public DateTimeOffset CheckedAt { get; }

    /// <summary>Gets how long the check took.</summary>
    public TimeSpan Latency { get; }

    /// <summary>Gets what was found, in words.</summary>
    public string? Message { get; }

    /// <summary>Gets the failure, if the check failed.</summary>
    public LlmProviderException? Error { get; }

    /// <summary>Gets a value indicating whether the provider is healthy.</summary>
    public bool IsHealthy => Status == LlmHealthStatus.Healthy;

    /// <inheritdoc />
    public override string ToString() => $"{ProviderName}: {Status} in {Latency.TotalMilliseconds:0} ms{(Message is null ? string.Empty : " — " + Message)}";
}
