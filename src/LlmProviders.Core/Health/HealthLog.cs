using Microsoft.Extensions.Logging;

namespace LlmProviders.Health;

/// <summary>The health monitor's log messages.</summary>
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Health monitor started: each provider is checked every {Interval} unless configured otherwise.")]
    public static partial void Started(ILogger logger, System.TimeSpan interval);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Health monitor stopped.")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Health check of '{Provider}' changed from {Previous} to {Status}: {Message}")]
    public static partial void StatusChanged(ILogger logger, string provider, LlmHealthStatus? previous, LlmHealthStatus status, string? message);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Debug, Message = "Health check of '{Provider}': {Status} in {LatencyMs} ms.")]
    public static partial void Checked(ILogger logger, string provider, LlmHealthStatus status, double latencyMs);
}
