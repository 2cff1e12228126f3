using Microsoft.Extensions.Logging;

namespace LlmProviders.Routing;

/// <summary>Log messages of the runtime provider management. Never an API key.</summary>
internal static partial class ManagementLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Provider '{Provider}' ({Kind}) added at run time.")]
    public static partial void Added(ILogger logger, string provider, string kind);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Provider '{Provider}' ({Source}) removed; routers skip it from now on.")]
    public static partial void Removed(ILogger logger, string provider, LlmProviderSource source);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Default provider set to '{Provider}'.")]
    public static partial void DefaultSet(ILogger logger, string provider);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Default provider cleared.")]
    public static partial void DefaultCleared(ILogger logger);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Provider '{Provider}' ({Kind}) enabled from an API key.")]
    public static partial void Enabled(ILogger logger, string provider, string kind);
}
