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

    private const int ToolCallIdLength = 9;

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
    /// <remarks>
    /// Mistral rejects tool-call ids that are not nine letters or digits (400 "Tool call id was … but must be a-z, A-Z, 0-9,
    /// with a length of 9"), which a conversation started elsewhere (OpenAI's <c>call_…</c>, a fail-over) carries. Such an id is
    /// replaced by nine base-62 characters derived from it (FNV-1a), the same for the call and its result; Mistral's own ids pass unchanged.
    /// </remarks>
    public override string ToolCallId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (IsMistralToolCallId(id))
        {
            return id;
        }

        const string Digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        ulong hash = 14695981039346656037UL;
        foreach (char c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return string.Create(ToolCallIdLength, hash, static (span, value) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = Digits[(int)(value % 62)];
                value /= 62;
            }
        });
    }

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

    private static bool IsMistralToolCallId(string id)
    {
        if (id.Length != ToolCallIdLength)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
