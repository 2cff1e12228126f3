using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace LlmProviders.Costs;

/// <summary>
/// Estimates a request's prompt tokens before it is sent (no tokenizer: about four characters per token, plus per-message and
/// per-tool overheads and a fixed allowance per image). Used for worst-case budget reservations, the least-cost comparison and the
/// context-window filter; it errs on the high side.
/// </summary>
internal static class PromptTokenEstimator
{
    /// <summary>Tokens counted for each message's framing (role, separators).</summary>
    public const int PerMessage = 4;

    /// <summary>Tokens counted for each image or other binary part (a high-detail 512×512 tile set).</summary>
    public const int PerImage = 765;

    /// <summary>Tokens counted for each tool's framing, on top of its name, description and schema.</summary>
    public const int PerTool = 16;

    /// <summary>Estimates the prompt tokens of a request.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The estimate (at least 1).</returns>
    public static long Estimate(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        long chars = 0;
        long tokens = 3;
        var messages = request.Messages;
        for (int i = 0; i < messages.Count; i++)
        {
            tokens += PerMessage;
            var contents = messages[i].Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                switch (contents[j])
                {
                    case TextContent text:
                        chars += text.Text?.Length ?? 0;
                        break;
                    case TextReasoningContent reasoning:
                        chars += reasoning.Text?.Length ?? 0;
                        break;
                    case FunctionCallContent call:
                        chars += call.Name.Length + CountArguments(call.Arguments);
                        break;
                    case FunctionResultContent result:
                        chars += result.Result?.ToString()?.Length ?? 0;
                        break;
                    case DataContent or UriContent:
                        tokens += PerImage;
                        break;
                }
            }
        }

        if (request.Tools is { } tools)
        {
            for (int i = 0; i < tools.Count; i++)
            {
                var tool = tools[i];
                tokens += PerTool;
                chars += tool.Name.Length + (tool.Description?.Length ?? 0);
                if (tool is AIFunctionDeclaration function)
                {
                    chars += function.JsonSchema.GetRawText().Length;
                }
            }
        }

        return tokens + ((chars + 3) / 4);
    }

    /// <summary>Estimates the input tokens of an embedding request's inputs (about four characters per token, plus one per input).</summary>
    /// <param name="inputs">The texts to embed.</param>
    /// <returns>The estimate (at least 1).</returns>
    public static long Estimate(IList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        long tokens = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            tokens += 1 + (((inputs[i]?.Length ?? 0) + 3) / 4);
        }

        return Math.Max(tokens, 1);
    }

    private static long CountArguments(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return 0;
        }

        long chars = 0;
        foreach (var pair in arguments)
        {
            chars += pair.Key.Length + 4 + (pair.Value?.ToString()?.Length ?? 4);
        }

        return chars;
    }
}
