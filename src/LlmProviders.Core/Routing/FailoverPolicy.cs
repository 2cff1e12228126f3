namespace LlmProviders.Routing;

/// <summary>
/// Which failures move a chain to its next target (SPEC RT5). Caller cancellation never gets here: it is rethrown at once.
/// </summary>
internal static class FailoverPolicy
{
    /// <summary>Decides whether <paramref name="error"/> fails over to the next target.</summary>
    /// <param name="error">The failure of the current target.</param>
    /// <param name="failoverOnContentFilter">Whether a content-filter failure fails over.</param>
    /// <returns><see langword="true"/> to try the next target; <see langword="false"/> to throw <paramref name="error"/> as is.</returns>
    public static bool ShouldFailOver(LlmProviderException error, bool failoverOnContentFilter) => error.Kind switch
    {
        // Any provider would reject it: sending it elsewhere only spends money and time.
        LlmErrorKind.InvalidRequest => false,

        // Configurable: another provider's filter may let it through, or the caller may want to know.
        LlmErrorKind.ContentFiltered => failoverOnContentFilter,

        // Transient (RateLimited, Overloaded, Timeout, ProviderUnavailable, StreamInterrupted before the first update),
        // specific to this target (Authentication, PermissionDenied, ModelNotFound, QuotaExhausted, MalformedResponse,
        // BudgetExceeded), a bigger context elsewhere (ContextLengthExceeded), a nested router that gave up
        // (NoProviderAvailable, AllProvidersFailed), or unclassified (Unknown): the next target may succeed.
        _ => true,
    };
}
