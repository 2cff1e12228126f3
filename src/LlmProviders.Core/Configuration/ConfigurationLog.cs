using Microsoft.Extensions.Logging;

namespace LlmProviders.Configuration;

/// <summary>Log messages of configuration binding.</summary>
internal static partial class ConfigurationLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "{Path}: the optional {Type} provider is skipped: it has no API key (set ApiKey or {Variables} to use it).")]
    public static partial void OptionalProviderSkipped(ILogger logger, string path, string type, string variables);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "{Path}: the route is skipped: every target is an optional provider without a key.")]
    public static partial void RouteSkipped(ILogger logger, string path);
}
