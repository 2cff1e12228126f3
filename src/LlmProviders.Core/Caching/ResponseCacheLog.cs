using System;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Caching;

/// <summary>Log messages of the response cache.</summary>
internal static partial class ResponseCacheLog
{
    [LoggerMessage(EventId = 8101, Level = LogLevel.Debug, Message = "Route '{Route}': response cache hit (from '{Provider}').")]
    public static partial void Hit(ILogger logger, string route, string? provider);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Debug, Message = "Route '{Route}': identical request in flight; waiting for its answer.")]
    public static partial void Coalesced(ILogger logger, string route);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Route '{Route}': the response cache store failed to {Operation}; the call goes on without the cache.")]
    public static partial void StoreFailed(ILogger logger, string route, string operation, Exception exception);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Debug, Message = "Route '{Route}': the answer holds content that cannot be serialized; it is not cached.")]
    public static partial void NotCacheable(ILogger logger, string route);
}
