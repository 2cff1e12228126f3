using Microsoft.Extensions.AI;

namespace LlmProviders;

/// <summary>Helpers for <see cref="ChatFinishReason"/> values.</summary>
public static class FinishReasons
{
    /// <summary>Determines whether <paramref name="reason"/> is one of the four values every provider is mapped to.</summary>
    /// <param name="reason">The finish reason.</param>
    /// <returns><see langword="true"/> for stop, length, tool calls and content filter; <see langword="false"/> for a raw provider value.</returns>
    public static bool IsKnown(ChatFinishReason reason) =>
        reason == ChatFinishReason.Stop || reason == ChatFinishReason.Length ||
        reason == ChatFinishReason.ToolCalls || reason == ChatFinishReason.ContentFilter;
}
