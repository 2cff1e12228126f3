using Microsoft.Extensions.Logging;

namespace LlmProviders.Routing;

/// <summary>Log messages of the routing layer.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Chain '{Chain}': target '{Provider}' failed with {ErrorKind}; trying the next target.")]
    public static partial void FailingOver(ILogger logger, string chain, string provider, LlmErrorKind errorKind);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Chain '{Chain}': target '{Provider}' is not registered; skipped. Register it or remove it from the chain.")]
    public static partial void TargetNotRegistered(ILogger logger, string chain, string provider);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Chain '{Chain}': all {Attempts} attempts failed.")]
    public static partial void AllFailed(ILogger logger, string chain, int attempts);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Chain '{Chain}': the stream from '{Provider}' failed with {ErrorKind} after {Updates} updates reached the caller; the answer is incomplete.")]
    public static partial void StreamInterrupted(ILogger logger, string chain, string provider, LlmErrorKind errorKind, int updates);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Chain '{Chain}': the budget '{Budget}' refused the call.")]
    public static partial void BudgetRefused(ILogger logger, string chain, string budget);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Chain '{Chain}': '{Provider}' is slow to answer; hedging with '{Hedge}'.")]
    public static partial void Hedging(ILogger logger, string chain, string provider, string hedge);
}
