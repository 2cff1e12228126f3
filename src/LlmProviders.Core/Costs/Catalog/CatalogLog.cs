using Microsoft.Extensions.Logging;

namespace LlmProviders.Costs;

/// <summary>Log messages of the model catalog.</summary>
internal static partial class CatalogLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "LiteLLM price file '{Path}': skipped '{Key}': {Reason}.")]
    public static partial void LiteLlmEntrySkipped(ILogger logger, string path, string key, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "LiteLLM price file '{Path}': imported {Imported} models, skipped {Skipped}.")]
    public static partial void LiteLlmFileImported(ILogger logger, string path, int imported, int skipped);
}
