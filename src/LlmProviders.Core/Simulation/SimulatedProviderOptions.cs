using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;

namespace LlmProviders.Simulation;

/// <summary>
/// Configures a <see cref="SimulatedProvider"/>: what it answers, how fast, how often and how it fails, and what it costs.
/// </summary>
/// <remarks>
/// <para>Every random choice (whether a call fails, which failure, the latency within a range) comes from one random
/// sequence per provider, seeded by <see cref="Seed"/>: the same seed and the same sequence of calls give the same
/// outcomes. Each call draws the same number of values whatever the options, so changing, say, the latency range does not
/// shift which calls fail.</para>
/// <para>Timing: the first token (or the failure) comes after the latency (<see cref="Latency"/>, or a value drawn
/// between <see cref="MinLatency"/> and <see cref="MaxLatency"/>); each further token of a stream after
/// <see cref="TokenDelay"/>. A non-streamed call takes as long as the whole stream would.</para>
/// </remarks>
public sealed class SimulatedProviderOptions
{
    /// <summary>The text answered when neither <see cref="ResponseText"/> is changed nor <see cref="EchoPrompt"/> is set.</summary>
    public const string DefaultResponseText =
        "This answer comes from the simulated provider. It streams token by token, reports usage and cost, " +
        "and fails on cue, so routing configurations can be tested offline.";

    /// <summary>The largest <see cref="EmbeddingDimensions"/> (and <see cref="EmbeddingRequest.Dimensions"/>) the simulated provider makes.</summary>
    public const int MaxEmbeddingDimensions = 65536;

    /// <summary>Gets or sets the model the provider reports (and lists) when a request names none; a request's model is reported as asked.</summary>
    /// <value>The default value is <c>sim-1</c>.</value>
    [Required(ErrorMessage = "required; set it to the model id the simulated provider reports, e.g. \"sim-1\".")]
    public string Model { get; set; } = "sim-1";

    /// <summary>Gets or sets the embedding model the provider reports when an <see cref="EmbeddingRequest"/> names none.</summary>
    /// <value>The default value is <c>sim-embed-1</c>.</value>
    [Required(ErrorMessage = "required; set it to the embedding model id the simulated provider reports, e.g. \"sim-embed-1\".")]
    public string EmbeddingModel { get; set; } = "sim-embed-1";

    /// <summary>
    /// Gets or sets the number of dimensions of the simulated vectors when a request asks for none. The vectors are
    /// deterministic: the same text and <see cref="Seed"/> always give the same unit-length vector.
    /// </summary>
    /// <value>The default value is 8.</value>
    public int EmbeddingDimensions { get; set; } = 8;

    /// <summary>Gets or sets the seed of the provider's random sequence; set it for reproducible runs.</summary>
    /// <value>The default value is <see langword="null"/>: a different sequence each run.</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the fixed time to the first token (or to the failure). Ignored when <see cref="MinLatency"/> and <see cref="MaxLatency"/> are set.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the lower bound of a random time to the first token; set together with <see cref="MaxLatency"/>.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="Latency"/> applies.</value>
    public TimeSpan? MinLatency { get; set; }

    /// <summary>Gets or sets the upper bound of a random time to the first token; set together with <see cref="MinLatency"/>.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="Latency"/> applies.</value>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>Gets or sets the time between two tokens of the answer.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan TokenDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the fraction of calls that fail, from 0 (never) to 1 (always).</summary>
    /// <value>The default value is 0.</value>
    public double FailureRate { get; set; }

    /// <summary>
    /// Gets the kinds of failure a failing call draws from, with equal chance. Each produces its typed exception
    /// (e.g. <see cref="LlmErrorKind.RateLimited"/> → <see cref="RateLimitedException"/> with HTTP 429 and
    /// <see cref="RetryAfter"/>). Allowed: every kind a provider reports, not the router's own
    /// (<see cref="LlmErrorKind.BudgetExceeded"/>, <see cref="LlmErrorKind.NoProviderAvailable"/>, <see cref="LlmErrorKind.AllProvidersFailed"/>).
    /// </summary>
    /// <value>The default value is an empty list, which means <see cref="LlmErrorKind.RateLimited"/> (429) and <see cref="LlmErrorKind.ProviderUnavailable"/> (503).</value>
    public IList<LlmErrorKind> FailureKinds { get; } = new List<LlmErrorKind>();

    /// <summary>Gets or sets how long a simulated 429 asks the caller to wait (<see cref="LlmProviderException.RetryAfter"/>).</summary>
    /// <value>The default value is one second. <see langword="null"/> sends no Retry-After.</value>
    public TimeSpan? RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets after how many tokens every stream breaks, with a <see cref="StreamInterruptedException"/> carrying the
    /// text so far instead of the final update. 0 breaks before the first token. A stream with fewer tokens is not cut.
    /// Non-streamed calls are not affected.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: streams are not cut.</value>
    public int? StreamCutAfterTokens { get; set; }

    /// <summary>Gets or sets the answer's text.</summary>
    /// <value>The default value is <see cref="DefaultResponseText"/>.</value>
    [Required(ErrorMessage = "required; set the text the simulated provider answers (or set EchoPrompt to answer with the prompt).")]
    public string ResponseText { get; set; } = DefaultResponseText;

    /// <summary>
    /// Gets the tool calls the provider answers with, in order, when the request offers tools of those names and the
    /// conversation holds no tool result after its last user message (so a tool loop gets the calls, then, once the results
    /// are back, the text answer). Calls to tools the request does not offer are left out; when none is left the answer is text.
    /// The answer's finish reason is <see cref="Microsoft.Extensions.AI.ChatFinishReason.ToolCalls"/>; its output tokens are
    /// those of the arguments.
    /// </summary>
    /// <value>The default value is an empty list: the provider never calls tools.</value>
    public IList<SimulatedToolCall> ToolCalls { get; } = new List<SimulatedToolCall>();

    /// <summary>Gets or sets a value indicating whether the answer repeats the text of the last user message instead of <see cref="ResponseText"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool EchoPrompt { get; set; }

    /// <summary>Gets or sets the price of a million input tokens, in USD, used for <see cref="ChatResult.Cost"/> and <see cref="EmbeddingResult.Cost"/>.</summary>
    /// <value>The default value is 0.</value>
    public decimal InputPricePerMillionTokens { get; set; }

    /// <summary>Gets or sets the price of a million output tokens, in USD, used for <see cref="ChatResult.Cost"/>.</summary>
    /// <value>The default value is 0.</value>
    public decimal OutputPricePerMillionTokens { get; set; }

    /// <summary>
    /// Gets or sets the capabilities the provider declares, for testing capability-based routing. Chat, streaming, tool calls
    /// (<see cref="ToolCalls"/>) and embeddings are simulated. A router skips the provider for embeddings
    /// when <see cref="LlmCapabilities.Embeddings"/> is removed.
    /// </summary>
    /// <value>The default value is <see cref="LlmCapabilities.Chat"/> | <see cref="LlmCapabilities.Streaming"/> | <see cref="LlmCapabilities.Embeddings"/> | <see cref="LlmCapabilities.ModelListing"/>.</value>
    public LlmCapabilities Capabilities { get; set; } = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Embeddings | LlmCapabilities.ModelListing;

    /// <summary>Gets or sets a value indicating whether the provider presents itself as local (like Ollama).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IsLocal { get; set; }

    /// <summary>Gets or sets a value indicating whether health checks report the provider healthy.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Healthy { get; set; } = true;
}
