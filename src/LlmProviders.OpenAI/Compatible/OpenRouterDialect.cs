using System;
using System.Collections.Generic;
using System.Net;
using System.Text.Json;
using LlmProviders.Http;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.OpenAI;

/// <summary>
/// OpenRouter (<c>https://openrouter.ai/api/v1</c>): bearer key, the attribution headers <c>HTTP-Referer</c> and <c>X-Title</c>,
/// and reasoning effort as <c>reasoning: {"effort": …}</c>. Read by the shared parsers: <c>: OPENROUTER PROCESSING</c> comment
/// lines, <c>usage.cost</c> (the call's cost), mid-stream error events, numeric error codes and 402 (credit exhausted, not
/// transient). A 403 from its moderation (<c>metadata.flagged_input</c>/<c>reasons</c>) is a content-filter failure.
/// </summary>
internal sealed class OpenRouterDialect(Uri baseUrl, OpenAICompatibleProviderOptions options, bool isLocal)
    : OpenAICompatibleDialect(baseUrl, options, isLocal, AttributionHeaders(options))
{
    /// <summary>What OpenRouter's routed models can do (by model).</summary>
    public const LlmCapabilities Capabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.ParallelToolCalls | LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema |
        LlmCapabilities.Reasoning | LlmCapabilities.PromptCaching | LlmCapabilities.ModelListing;

    private static readonly ProviderErrorParser Parser = ParseError;

    /// <inheritdoc />
    public override string Kind => LlmProviderKinds.OpenRouter;

    /// <inheritdoc />
    public override LlmCapabilities DefaultCapabilities => Capabilities;

    /// <summary>Gets OpenRouter's auto router, which picks a model per prompt.</summary>
    public override string DefaultChatModel => "openrouter/auto";

    /// <inheritdoc />
    public override ProviderErrorParser ErrorParser => Parser;

    /// <inheritdoc />
    public override void WriteExtraChatFields(Utf8JsonWriter writer, ChatRequest request, IDictionary<string, JsonElement>? extra)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(request);
        if (request.ReasoningEffort is { } effort && (extra is null || !extra.ContainsKey("reasoning")))
        {
            writer.WritePropertyName("reasoning"u8);
            writer.WriteStartObject();
            writer.WriteString("effort"u8, OpenAIChatRequestWriter.ReasoningEffortValue(effort));
            writer.WriteEndObject();
        }
    }

    private static ProviderError? ParseError(ReadOnlySpan<byte> body, HttpStatusCode status)
    {
        var error = OpenAIErrorParser.Parse(body, status);
        if (error is not null && status == HttpStatusCode.Forbidden && (body.IndexOf("\"flagged_input\""u8) >= 0 || body.IndexOf("\"reasons\""u8) >= 0))
        {
            error.Kind = LlmErrorKind.ContentFiltered;
        }

        return error;
    }

    private static List<KeyValuePair<string, string>> AttributionHeaders(OpenAICompatibleProviderOptions compatible)
    {
        var headers = new List<KeyValuePair<string, string>>(2);
        if (compatible is not OpenRouterProviderOptions options)
        {
            return headers;
        }

        if (options.SiteUrl is { IsAbsoluteUri: true } site)
        {
            headers.Add(new("HTTP-Referer", site.AbsoluteUri));
        }

        if (!string.IsNullOrWhiteSpace(options.AppName))
        {
            headers.Add(new("X-Title", options.AppName.Trim()));
        }

        return headers;
    }
}
