using System;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Resilience;

/// <summary>Log messages of the per-target resilience layer.</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Target '{Provider}': attempt {Attempt} failed with {ErrorKind}; retrying in {DelayMs} ms.")]
    public static partial void Retrying(ILogger logger, string provider, int attempt, LlmErrorKind errorKind, double delayMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Target '{Provider}': the provider asked to wait {Delay}, longer than MaxServerDelay {Cap}; not retrying here so the router fails over.")]
    public static partial void RetryDelayTooLong(ILogger logger, string provider, TimeSpan delay, TimeSpan cap);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Target '{Provider}': circuit opened for {Break} (trip {Trips}) after {ErrorKind}.")]
    public static partial void CircuitOpened(ILogger logger, string provider, TimeSpan @break, long trips, string errorKind);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Target '{Provider}': probe succeeded; circuit closed.")]
    public static partial void CircuitClosed(ILogger logger, string provider);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Target '{Provider}': {Timeout} timeout of {Limit} reached.")]
    public static partial void TimedOut(ILogger logger, string provider, string timeout, TimeSpan limit);
}
