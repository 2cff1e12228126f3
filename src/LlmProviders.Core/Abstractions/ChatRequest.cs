using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmProviders;

/// <summary>
/// A chat request: the conversation, the sampling parameters, and the fields the router and the cost tracker read.
/// </summary>
/// <remarks>
/// The library never mutates a request: routing to a target with another model or overrides works on a <see cref="Clone"/>.
/// </remarks>
public class ChatRequest
{
    private IList<ChatMessage> _messages;

    /// <summary>Initializes a new, empty request.</summary>
    public ChatRequest()
    {
        _messages = [];
    }

    /// <summary>Initializes a new request with a conversation.</summary>
    /// <param name="messages">The conversation so far.</param>
    public ChatRequest(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        _messages = messages as IList<ChatMessage> ?? messages.ToList();
    }

    /// <summary>Initializes a new request with one user message.</summary>
    /// <param name="userMessage">The user's text.</param>
    public ChatRequest(string userMessage)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        _messages = [new ChatMessage(ChatRole.User, userMessage)];
    }

    /// <summary>Gets or sets the conversation.</summary>
    public IList<ChatMessage> Messages
    {
        get => _messages;
        set => _messages = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the model id. <see langword="null"/> lets the route or the provider's default decide.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the sampling temperature.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets nucleus sampling (top-p).</summary>
    public float? TopP { get; set; }

    /// <summary>Gets or sets top-k sampling, for providers that support it.</summary>
    public int? TopK { get; set; }

    /// <summary>Gets or sets the maximum number of output tokens (reasoning tokens included where the provider counts them so).</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets the stop sequences.</summary>
    public IList<string>? StopSequences { get; set; }

    /// <summary>Gets or sets the sampling seed, for providers that support deterministic sampling.</summary>
    public long? Seed { get; set; }

    /// <summary>Gets or sets the presence penalty.</summary>
    public float? PresencePenalty { get; set; }

    /// <summary>Gets or sets the frequency penalty.</summary>
    public float? FrequencyPenalty { get; set; }

    /// <summary>Gets or sets the tools the model may call.</summary>
    public IList<AITool>? Tools { get; set; }

    /// <summary>Gets or sets whether and which tool the model must call.</summary>
    public ChatToolMode? ToolMode { get; set; }

    /// <summary>Gets or sets whether the model may call several tools in one turn. <see langword="null"/> keeps the provider's default.</summary>
    public bool? AllowParallelToolCalls { get; set; }

    /// <summary>Gets or sets the response format: text, JSON, or JSON constrained by a schema.</summary>
    public ChatResponseFormat? ResponseFormat { get; set; }

    /// <summary>Gets or sets the reasoning effort for reasoning models.</summary>
    public ReasoningEffort? ReasoningEffort { get; set; }

    /// <summary>Gets or sets the name of the route to use. <see langword="null"/> uses the default route.</summary>
    public string? RouteName { get; set; }

    /// <summary>Gets or sets the registration name of the provider this request must go to.</summary>
    public string? PinnedProvider { get; set; }

    /// <summary>Gets or sets the capabilities a target must have to be considered.</summary>
    public LlmCapabilities RequiredCapabilities { get; set; }

    /// <summary>Gets or sets the request's priority when it waits for capacity.</summary>
    /// <value>The default value is <see cref="RequestPriority.Normal"/>.</value>
    public RequestPriority Priority { get; set; } = RequestPriority.Normal;

    /// <summary>Gets or sets whether the router may fail over to other targets. <see langword="null"/> follows the configuration.</summary>
    public bool? AllowFallback { get; set; }

    /// <summary>Gets or sets the most this call may cost, in USD. Targets whose worst-case cost is higher are skipped.</summary>
    public decimal? MaxCost { get; set; }

    /// <summary>Gets or sets the preferred maximum latency; targets known to be slower are skipped.</summary>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>Gets or sets how this request uses the response cache.</summary>
    /// <value>The default value is <see cref="ResponseCacheMode.Default"/>.</value>
    public ResponseCacheMode CacheMode { get; set; }

    /// <summary>Gets or sets what the router does when a stream fails after its first update.</summary>
    /// <value>The default value is <see cref="StreamInterruptionPolicy.Fail"/>.</value>
    public StreamInterruptionPolicy StreamInterruption { get; set; }

    /// <summary>
    /// Gets or sets the strategy that orders the route's targets for this request (SPEC RT3), overriding the route's own.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the route's strategy (or <c>LLM_ROUTING_STRATEGY</c>).</value>
    public LlmProviders.Routing.RoutingStrategyKind? RoutingStrategy { get; set; }

    /// <summary>Gets or sets free-form tags (workspace, execution id, user, feature …) that flow into cost records, metrics and logs.</summary>
    public IDictionary<string, string>? Tags { get; set; }

    /// <summary>
    /// Gets or sets provider-specific top-level JSON fields to add to the request body (an escape hatch for
    /// parameters the model does not cover). A field named here replaces the one the provider would write.
    /// </summary>
    public IDictionary<string, JsonElement>? AdditionalRequestFields { get; set; }

    /// <summary>
    /// Creates a copy whose lists and dictionaries (messages, stop sequences, tools, tags, additional fields) can be
    /// changed without touching this request. The elements themselves (each <see cref="ChatMessage"/>, each tool) are shared.
    /// </summary>
    /// <returns>The copy.</returns>
    public virtual ChatRequest Clone()
    {
        var clone = (ChatRequest)MemberwiseClone();
        clone._messages = new List<ChatMessage>(_messages);
        clone.StopSequences = StopSequences is null ? null : new List<string>(StopSequences);
        clone.Tools = Tools is null ? null : new List<AITool>(Tools);
        clone.Tags = Tags is null ? null : new Dictionary<string, string>(Tags, (Tags as Dictionary<string, string>)?.Comparer ?? StringComparer.Ordinal);
        clone.AdditionalRequestFields = AdditionalRequestFields is null
            ? null
            : new Dictionary<string, JsonElement>(AdditionalRequestFields, (AdditionalRequestFields as Dictionary<string, JsonElement>)?.Comparer ?? StringComparer.Ordinal);
        return clone;
    }

    /// <summary>
    /// Creates a copy that asks for <paramref name="model"/>, or returns this request when it already does (or when
    /// <paramref name="model"/> is <see langword="null"/>: no override). The copy shares the lists of this request (the
    /// library never mutates either); use <see cref="Clone"/> to change them.
    /// </summary>
    /// <param name="model">The model the copy asks for; <see langword="null"/> keeps this request's.</param>
    /// <returns>A request for <paramref name="model"/>.</returns>
    public ChatRequest WithModel(string? model)
    {
        if (model is null || string.Equals(model, Model, StringComparison.Ordinal))
        {
            return this;
        }

        var clone = (ChatRequest)MemberwiseClone();
        clone.Model = model;
        return clone;
    }
}
