using System;

namespace LlmProviders.Resilience;

/// <summary>
/// Tells why a target's resilience layer gave up on a call, so the router (and its decision trace) can say why it failed over.
/// The marks live in <see cref="Exception.Data"/> of the exception thrown.
/// </summary>
public static class TargetResilienceErrors
{
    internal const string RetryDelayTooLongKey = "LlmProviders.Resilience.RetryDelayTooLong";
    internal const string CircuitOpenKey = "LlmProviders.Resilience.CircuitOpen";
    internal const string LocalLimitKey = "LlmProviders.Resilience.LocalLimit";

    /// <summary>
    /// Whether the provider asked to wait longer than <see cref="TargetRetryOptions.MaxServerDelay"/>: the failure was thrown at
    /// once, without retrying on the same target, so the router fails over now instead of sleeping.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> when the server delay was over the cap.</returns>
    public static bool IsRetryDelayTooLong(Exception? exception) => Has(exception, RetryDelayTooLongKey);

    /// <summary>Whether the call was refused because the target's circuit is open, isolated, or half-open with its probe in flight (no request was sent).</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> for a refusal of the circuit breaker.</returns>
    public static bool IsCircuitOpen(Exception? exception) => Has(exception, CircuitOpenKey);

    /// <summary>Whether the call was refused by a client-side limit (rate limit, quota group, headers, adaptive cool-down, concurrency) before any request was sent.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> for a refusal of a client-side limit.</returns>
    public static bool IsClientSideLimit(Exception? exception) => Has(exception, LocalLimitKey);

    internal static T Mark<T>(T exception, string key)
        where T : Exception
    {
        exception.Data[key] = true;
        return exception;
    }

    private static bool Has(Exception? exception, string key) =>
        exception is not null && exception.Data.Count > 0 && exception.Data[key] is true;
}
