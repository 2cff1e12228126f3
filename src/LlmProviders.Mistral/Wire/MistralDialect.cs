using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.Mistral.Wire;

/// <summary>
/// Mistral's differences from OpenAI's Chat Completions wire. Mistral validates bodies with <c>extra="forbid"</c>: every field
/// it does not know is a 422, so <c>max_tokens</c> replaces <c>max_completion_tokens</c>, <c>random_seed</c> replaces
/// <c>seed</c>, and <c>stream_options</c>, <c>reasoning_effort</c>, the <c>developer</c> role and message <c>name</c> are never
/// sent. <c>safe_prompt</c> is Mistral's own field. Errors come in several shapes (<see cref="MistralErrorParser"/>) and the
/// model list carries capabilities (<see cref="MistralModelsParser"/>).
/// </summary>
internal sealed class MistralDialect : OpenAIDialect
{
    /// <summary>What Mistral's API offers (magistral models reason; embeddings through <c>mistral-embed</c>).</summary>
    public const LlmCapabilities MistralCapabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.ParallelToolCalls | LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema |
        LlmCapabilities.Reasoning | LlmCapabilities.Embeddings | LlmCapabilities.ModelListing;

    private static readonly JsonEncodedText SafePromptField = JsonEncodedText.Encode("safe_prompt");

    private readonly bool _safePrompt;

    /// <summary>Initializes the dialect.</summary>
    /// <param name="baseUrl">The base URL (<c>https://api.mistral.ai/v1</c>).</param>
    /// <param name="apiKey">The API key (Bearer), or <see langword="null"/>.</param>
    /// <param name="safePrompt">Whether chat requests carry <c>safe_prompt: true</c>.</param>
    public MistralDialect(Uri baseUrl, string? apiKey, bool safePrompt)
        : base(baseUrl, apiKey)
    {
        _safePrompt = safePrompt;
    }

    /// <inheritdoc />
    public override string Kind => LlmProviderKinds.Mistral;

    /// <inheritdoc />
    public override LlmCapabilities DefaultCapabilities => MistralCapabilities;

    /// <inheritdoc />
    public override string DefaultChatModel => MistralProviderOptions.FallbackModel;

    /// <inheritdoc />
    public override string DefaultEmbeddingModel => MistralProviderOptions.FallbackEmbeddingModel;

    /// <inheritdoc />
    public override string MaxTokensField => "max_tokens";

    /// <inheritdoc />
    public override string SeedField => "random_seed";

    /// <inheritdoc />
    /// <value><see langword="false"/>: 422 extra_forbidden; Mistral puts usage in the finish chunk without being asked.</value>
    public override bool AcceptsStreamOptions => false;

    /// <inheritdoc />
    public override bool AcceptsReasoningEffort => false;

    /// <inheritdoc />
    public override bool AcceptsMessageName => false;

    /// <inheritdoc />
    public override string DimensionsField => "output_dimension";

    /// <inheritdoc />
    public override ProviderErrorParser ErrorParser => MistralErrorParser.Instance;

    /// <inheritdoc />
    public override bool UsesDeveloperRole(string model) => false;

    /// <inheritdoc />
    public override void WriteExtraChatFields(Utf8JsonWriter writer, ChatRequest request, IDictionary<string, JsonElement>? extra)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_safePrompt && (extra is null || !extra.ContainsKey("safe_prompt")))
        {
            writer.WriteBoolean(SafePromptField, true);
        }
    }

    /// <inheritdoc />
    public override List<LlmModelInfo> ParseModels(ReadOnlySpan<byte> json, out bool hasError) => MistralModelsParser.Parse(json, out hasError);
}
