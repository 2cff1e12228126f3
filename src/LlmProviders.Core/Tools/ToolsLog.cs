using System;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Tools;

/// <summary>Log messages of the tool-invocation loop. Arguments and results are never logged (they may hold user data).</summary>
internal static partial class ToolsLog
{
    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "Tool '{Tool}' failed with {ExceptionType}; the error goes back to the model.")]
    public static partial void ToolFailed(ILogger logger, string tool, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Warning, Message = "The model called tool '{Tool}', which is not registered; the model is told so.")]
    public static partial void UnknownTool(ILogger logger, string tool);

    [LoggerMessage(EventId = 1803, Level = LogLevel.Warning, Message = "The model called tool '{Tool}' with arguments that are not a JSON object; the model is told so.")]
    public static partial void InvalidArguments(ILogger logger, string tool);

    [LoggerMessage(EventId = 1804, Level = LogLevel.Warning, Message = "The tool loop reached MaxIterations ({MaxIterations}) with tool calls pending; the last answer is returned as it is.")]
    public static partial void MaxIterationsReached(ILogger logger, int maxIterations);
}
