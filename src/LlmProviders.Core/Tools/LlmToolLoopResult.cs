using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tools;

/// <summary>
/// The answer of a tool-invocation loop: the model's last answer, with <see cref="ChatResult.Usage"/> and
/// <see cref="ChatResult.Cost"/> summed over every model call of the loop, <see cref="ChatResult.Latency"/> the whole loop's,
/// and each step's details.
/// </summary>
/// <remarks>
/// <see cref="ChatResult.Cost"/> is known only when every step's cost is. The other fields (message, finish reason, provider,
/// model, trace …) are the last step's.
/// </remarks>
public sealed class LlmToolLoopResult : ChatResult
{
    /// <summary>Initializes a new result.</summary>
    /// <param name="message">The last assistant message.</param>
    /// <param name="steps">The model calls of the loop, in order.</param>
    /// <param name="messages">The messages the loop added to the conversation.</param>
    public LlmToolLoopResult(ChatMessage message, IReadOnlyList<LlmToolLoopStep> steps, IReadOnlyList<ChatMessage> messages)
        : base(message)
    {
        Steps = steps ?? throw new ArgumentNullException(nameof(steps));
        Messages = messages ?? throw new ArgumentNullException(nameof(messages));
    }

    /// <summary>Gets the model calls of the loop, in order, each with the tool results it led to.</summary>
    public IReadOnlyList<LlmToolLoopStep> Steps { get; }

    /// <summary>
    /// Gets the messages the loop added after the request's conversation, in order: each tool round's assistant message (its
    /// tool calls) and tool message (their results), then the last assistant message. Append them to continue the conversation.
    /// </summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>Gets the number of model calls the loop made.</summary>
    public int Iterations => Steps.Count;

    /// <summary>
    /// Gets or sets a value indicating whether the loop stopped at <see cref="LlmToolInvocationOptions.MaxIterations"/> with the
    /// model still asking for tools: the last answer's <see cref="ChatResult.ToolCalls"/> were not run.
    /// </summary>
    public bool MaxIterationsReached { get; set; }
}

/// <summary>One model call of a tool-invocation loop and the tool results it led to.</summary>
public sealed class LlmToolLoopStep
{
    /// <summary>Initializes a new step.</summary>
    /// <param name="response">The model's answer.</param>
    /// <param name="toolResults">The results of the tool calls it asked for (empty when none ran).</param>
    public LlmToolLoopStep(ChatResult response, IReadOnlyList<FunctionResultContent> toolResults)
    {
        Response = response ?? throw new ArgumentNullException(nameof(response));
        ToolResults = toolResults ?? throw new ArgumentNullException(nameof(toolResults));
    }

    /// <summary>Gets the model's answer of this step, with its own usage and cost.</summary>
    public ChatResult Response { get; }

    /// <summary>
    /// Gets the results of the tool calls the step asked for, in the order of the calls. A failed call's result is the error
    /// text sent to the model, with <see cref="FunctionResultContent.Exception"/> set.
    /// </summary>
    public IReadOnlyList<FunctionResultContent> ToolResults { get; }
}

/// <summary>
/// Keys of <see cref="ChatStreamUpdate.AdditionalProperties"/> on the final update of a streamed tool-invocation loop (whose
/// <see cref="ChatStreamUpdate.Usage"/> and <see cref="ChatStreamUpdate.Cost"/> are summed over the loop).
/// </summary>
public static class LlmToolLoopProperties
{
    /// <summary>The number of model calls the loop made (an <see cref="int"/>).</summary>
    public const string Iterations = "LlmProviders.ToolLoop.Iterations";

    /// <summary><see langword="true"/> when the loop stopped at <see cref="LlmToolInvocationOptions.MaxIterations"/> with tool calls pending.</summary>
    public const string MaxIterationsReached = "LlmProviders.ToolLoop.MaxIterationsReached";
}
