using Microsoft.Extensions.Logging;

namespace LlmProviders.Google;

/// <summary>Source-generated log messages of the Gemini provider. None of them carries the API key or message content.</summary>
internal static partial class GeminiLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Provider}: sending {Operation} request for model {Model}")]
    public static partial void RequestStarting(ILogger logger, string provider, string operation, string model);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Provider}: {Model} answered in {LatencyMs} ms (finish {FinishReason}, {InputTokens} input / {OutputTokens} output tokens)")]
    public static partial void RequestCompleted(ILogger logger, string provider, string? model, double latencyMs, string? finishReason, long? inputTokens, long? outputTokens);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Provider}: call for model {Model} failed with {ErrorKind} (HTTP {StatusCode}, request id {RequestId}, transient {IsTransient})")]
    public static partial void RequestFailed(ILogger logger, string provider, string? model, LlmErrorKind errorKind, int? statusCode, string? requestId, bool isTransient, LlmProviderException exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{Provider}: model list returned {Count} models in {LatencyMs} ms ({Pages} pages)")]
    public static partial void ModelsListed(ILogger logger, string provider, int count, double latencyMs, int pages);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Provider}: {Model} embedded {Count} inputs in {LatencyMs} ms ({InputTokens} input tokens)")]
    public static partial void EmbeddingsCompleted(ILogger logger, string provider, string? model, int count, double latencyMs, long? inputTokens);
}
