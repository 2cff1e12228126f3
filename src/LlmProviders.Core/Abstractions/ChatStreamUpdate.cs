using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace LlmProviders;

/// <summary>
/// One update of a streamed answer: a text delta, a reasoning delta, or the final update with the finish reason,
/// the completed tool calls, usage and cost.
/// </summary>
/// <remarks>
/// A stream always ends with exactly one update whose <see cref="IsFinal"/> is <see langword="true"/>; a stream that
/// cannot deliver it ends with an exception instead (never a silent truncation).
/// </remarks>
public class ChatStreamUpdate
{
    /// <summary>Gets or sets the text delta, if any.</summary>
    public string? Text { get; set; }

    /// <summary>Gets or sets the reasoning delta, if any.</summary>
    public string? ReasoningText { get; set; }

    /// <summary>Gets or sets opaque reasoning data (a signature) that must be sent back with the reasoning, if any.</summary>
    public string? ReasoningProtectedData { get; set; }

    /// <summary>Gets or sets a refusal delta, if any.</summary>
    public string? Refusal { get; set; }

    /// <summary>Gets or sets tool calls completed by this update (their argument fragments fully assembled).</summary>
    public IReadOnlyList<FunctionCallContent>? ToolCalls { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether this update starts the answer over: the stream failed after updates had reached
    /// the caller, the request asked for <see cref="StreamInterruptionPolicy.Restart"/>, and the next target's answer differs from
    /// the text received so far. Discard that text and use this update's <see cref="Text"/> (the new answer so far) onward.
    /// </summary>
    public bool RestartsAnswer { get; set; }

    /// <summary>Gets or sets a value indicating whether this is the last update of the stream.</summary>
    public bool IsFinal { get; set; }

    /// <summary>Gets or sets why the model stopped (on the final update).</summary>
    public ChatFinishReason? FinishReason { get; set; }

    /// <summary>Gets or sets the content-filter categories that stopped the answer (on the final update); see <see cref="ChatResult.ContentFilterCategories"/>.</summary>
    public IReadOnlyList<string>? ContentFilterCategories { get; set; }

    /// <summary>Gets or sets the usage of the whole call (on the final update), following the convention of <see cref="ChatResult.Usage"/>.</summary>
    public UsageDetails? Usage { get; set; }

    /// <summary>Gets or sets the cost of the whole call in USD (on the final update), or <see langword="null"/> when unknown.</summary>
    public decimal? Cost { get; set; }

    /// <summary>Gets or sets the provider's response id.</summary>
    public string? ResponseId { get; set; }

    /// <summary>Gets or sets the registration name of the provider that produced this update.</summary>
    public string? ProviderName { get; set; }

    /// <summary>Gets or sets the model that produced this update, as the provider reported it.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the time from sending the request to the complete answer (on the final update).</summary>
    public TimeSpan? Latency { get; set; }

    /// <summary>Gets or sets the time to the first update (on the final update).</summary>
    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>Gets or sets a value indicating whether the stream is a replay from the response cache.</summary>
    public bool FromCache { get; set; }

    /// <summary>Gets or sets the router's decision trace (on the final update).</summary>
    public RoutingTrace? Trace { get; set; }

    /// <summary>Gets or sets additional provider-specific values.</summary>
    public AdditionalPropertiesDictionary? AdditionalProperties { get; set; }

    /// <inheritdoc />
    public override string ToString() => Text ?? string.Empty;
}
