using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace LlmProviders;

/// <summary>The answer to a <see cref="ChatRequest"/>: the assistant message and everything known about how it was produced.</summary>
public class ChatResult
{
    private ChatMessage _message;

    /// <summary>Initializes a new result.</summary>
    /// <param name="message">The assistant message.</param>
    public ChatResult(ChatMessage message)
    {
        _message = message ?? throw new ArgumentNullException(nameof(message));
    }

    /// <summary>Gets or sets the assistant message: text, tool calls (<see cref="FunctionCallContent"/>) and reasoning (<see cref="TextReasoningContent"/>).</summary>
    public ChatMessage Message
    {
        get => _message;
        set => _message = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets the concatenated text of the assistant message.</summary>
    public string Text => _message.Text;

    /// <summary>Gets the concatenated reasoning text of the assistant message, or an empty string.</summary>
    public string ReasoningText
    {
        get
        {
            string? single = null;
            System.Text.StringBuilder? sb = null;
            foreach (var content in _message.Contents)
            {
                if (content is TextReasoningContent r && !string.IsNullOrEmpty(r.Text))
                {
                    if (single is null)
                    {
                        single = r.Text;
                    }
                    else
                    {
                        sb ??= new System.Text.StringBuilder(single);
                        sb.Append(r.Text);
                    }
                }
            }

            return sb?.ToString() ?? single ?? string.Empty;
        }
    }

    /// <summary>Gets the tool calls the model asked for, in order.</summary>
    public IReadOnlyList<FunctionCallContent> ToolCalls
    {
        get
        {
            List<FunctionCallContent>? calls = null;
            foreach (var content in _message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    (calls ??= []).Add(call);
                }
            }

            return calls ?? (IReadOnlyList<FunctionCallContent>)Array.Empty<FunctionCallContent>();
        }
    }

    /// <summary>
    /// Gets or sets why the model stopped. Known values are <see cref="ChatFinishReason.Stop"/>, <see cref="ChatFinishReason.Length"/>,
    /// <see cref="ChatFinishReason.ToolCalls"/> and <see cref="ChatFinishReason.ContentFilter"/>; a value the library does not
    /// know keeps the provider's raw string (see <see cref="FinishReasons.IsKnown"/>).
    /// </summary>
    public ChatFinishReason? FinishReason { get; set; }

    /// <summary>Gets or sets the model's refusal text, when it declined to answer (OpenAI <c>refusal</c>, Anthropic <c>refusal</c> stop reason).</summary>
    public string? Refusal { get; set; }

    /// <summary>
    /// Gets or sets the content-filter categories that stopped the answer when <see cref="FinishReason"/> is
    /// <see cref="ChatFinishReason.ContentFilter"/> and the provider named them (Azure OpenAI: <c>hate</c>, <c>sexual</c>,
    /// <c>violence</c>, <c>self_harm</c>, <c>jailbreak</c> …); otherwise <see langword="null"/>.
    /// </summary>
    public IReadOnlyList<string>? ContentFilterCategories { get; set; }

    /// <summary>
    /// Gets or sets the token usage. Input counts include cached reads and cache writes; output counts include reasoning;
    /// each part is also reported on its own (<see cref="UsageDetails.CachedInputTokenCount"/>,
    /// <see cref="UsageDetails.ReasoningTokenCount"/>, and <see cref="UsageCounts.CacheWriteInputTokens"/> in
    /// <see cref="UsageDetails.AdditionalCounts"/>).
    /// </summary>
    public UsageDetails? Usage { get; set; }

    /// <summary>Gets or sets the provider's id for this response.</summary>
    public string? ResponseId { get; set; }

    /// <summary>Gets or sets the registration name of the provider that answered.</summary>
    public string? ProviderName { get; set; }

    /// <summary>Gets or sets the model that answered, as the provider reported it.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the cost of the call in USD, or <see langword="null"/> when it is not known (never a silent zero).</summary>
    public decimal? Cost { get; set; }

    /// <summary>Gets a value indicating whether <see cref="Cost"/> is known.</summary>
    public bool IsCostKnown => Cost.HasValue;

    /// <summary>Gets or sets the wall-clock time from sending the request to the complete answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets or sets the time to the first streamed update, for streamed calls.</summary>
    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>Gets or sets a value indicating whether the result was served from the response cache (and so cost nothing).</summary>
    public bool FromCache { get; set; }

    /// <summary>Gets or sets the router's decision trace: candidates considered, why some were skipped, and every attempt.</summary>
    public RoutingTrace? Trace { get; set; }

    /// <summary>Gets or sets additional provider-specific values.</summary>
    public AdditionalPropertiesDictionary? AdditionalProperties { get; set; }

    /// <summary>Gets or sets the provider's raw response object, when one is kept.</summary>
    public object? RawRepresentation { get; set; }

    /// <inheritdoc />
    public override string ToString() => Text;
}
