using System;
using Microsoft.Extensions.AI;

namespace LlmProviders.Anthropic.Wire;

/// <summary>
/// Builds the tool calls of Anthropic answers. A call whose input was cut off by <c>max_tokens</c> is never parsed as if it
/// were whole: it has no arguments, its <see cref="FunctionCallContent.Exception"/> says why, and its
/// <see cref="AIContent.AdditionalProperties"/> carry <c>incomplete = true</c> and the partial JSON text under
/// <c>anthropic.partial_json</c>.
/// </summary>
internal static class AnthropicToolCalls
{
    /// <summary>The key set to <see langword="true"/> on a call cut off by <c>max_tokens</c>.</summary>
    public const string IncompleteProperty = "incomplete";

    /// <summary>The key of the partial input JSON text of a cut-off call.</summary>
    public const string PartialJsonProperty = "anthropic.partial_json";

    public static FunctionCallContent Incomplete(string id, string name, string? partialJson)
    {
        var call = new FunctionCallContent(id, name)
        {
            Exception = new InvalidOperationException(
                $"The input of tool call '{name}' ({id}) was cut off by max_tokens; the call is incomplete and must not be run. Raise MaxOutputTokens and ask again."),
        };
        call.AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [IncompleteProperty] = true,
            [PartialJsonProperty] = partialJson ?? string.Empty,
        };
        return call;
    }
}
