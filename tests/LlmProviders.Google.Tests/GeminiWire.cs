using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.Google.Tests;

/// <summary>Builds Gemini wire payloads for the tests (our own content, in the shape of the recorded API).</summary>
internal static class GeminiWire
{
    /// <summary>The usage of the conformance scenarios in Gemini's shape: 42 prompt (8 cached), 12 candidates + 5 thoughts, 59 total.</summary>
    public static readonly string ConformanceUsage = Usage(
        ProviderConformanceTests.ExpectedInputTokens,
        ProviderConformanceTests.ExpectedOutputTokens - ProviderConformanceTests.ExpectedReasoningTokens,
        ProviderConformanceTests.ExpectedReasoningTokens,
        ProviderConformanceTests.ExpectedCachedInputTokens,
        ProviderConformanceTests.ExpectedTotalTokens);

    /// <summary>Encodes a JSON string literal, keeping non-ASCII characters as raw UTF-8.</summary>
    public static string Str(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    public static string Usage(long prompt, long candidates, long thoughts, long cached, long total) =>
        $$$"""{"promptTokenCount":{{{prompt}}},"candidatesTokenCount":{{{candidates}}},"totalTokenCount":{{{total}}},"cachedContentTokenCount":{{{cached}}},"promptTokensDetails":[{"modality":"TEXT","tokenCount":{{{prompt}}}}],"thoughtsTokenCount":{{{thoughts}}}}""";

    public static string TextPart(string text, string? signature = null) =>
        signature is null ? $$$"""{"text":{{{Str(text)}}}}""" : $$$"""{"text":{{{Str(text)}}},"thoughtSignature":{{{Str(signature)}}}}""";

    public static string ThoughtPart(string text) => $$$"""{"text":{{{Str(text)}}},"thought":true}""";

    public static string CallPart(string name, string argsJson, string? signature = null, string? id = null)
    {
        var idField = id is null ? string.Empty : $",\"id\":{Str(id)}";
        var call = $$$"""{"functionCall":{"name":{{{Str(name)}}},"args":{{{argsJson}}}{{{idField}}}}""";
        return signature is null ? call + "}" : call + $",\"thoughtSignature\":{Str(signature)}}}";
    }

    /// <summary>A candidate with <paramref name="parts"/> (no content at all when null) and a finish reason (none when null).</summary>
    public static string Candidate(IEnumerable<string>? parts, string? finishReason = "STOP", string? safetyRatings = null, string? finishMessage = null)
    {
        var sb = new StringBuilder("{");
        if (parts is not null)
        {
            sb.Append("\"content\":{\"parts\":[").Append(string.Join(",", parts)).Append("],\"role\":\"model\"}");
        }

        if (finishReason is not null)
        {
            if (sb.Length > 1)
            {
                sb.Append(',');
            }

            sb.Append("\"finishReason\":").Append(Str(finishReason));
        }

        if (finishMessage is not null)
        {
            sb.Append(",\"finishMessage\":").Append(Str(finishMessage));
        }

        if (safetyRatings is not null)
        {
            sb.Append(",\"safetyRatings\":").Append(safetyRatings);
        }

        sb.Append(sb.Length > 1 ? ",\"index\":0}" : "\"index\":0}");
        return sb.ToString();
    }

    /// <summary>A <c>GenerateContentResponse</c>.</summary>
    public static string Response(
        string? candidate,
        string? usage = null,
        string? promptFeedback = null,
        string model = ProviderConformanceTests.ExpectedModel,
        string id = ProviderConformanceTests.ExpectedResponseId)
    {
        var sb = new StringBuilder("{");
        if (candidate is not null)
        {
            sb.Append("\"candidates\":[").Append(candidate).Append("],");
        }

        if (promptFeedback is not null)
        {
            sb.Append("\"promptFeedback\":").Append(promptFeedback).Append(',');
        }

        sb.Append("\"usageMetadata\":").Append(usage ?? ConformanceUsage);
        sb.Append(",\"modelVersion\":").Append(Str(model)).Append(",\"responseId\":").Append(Str(id)).Append('}');
        return sb.ToString();
    }

    /// <summary>A whole answer with text.</summary>
    public static string Completion(string? text, string finishReason = "STOP", string? usage = null) =>
        Response(Candidate(text is null ? null : [TextPart(text)], finishReason), usage);

    /// <summary>The two tool calls of the conformance scenarios (whole, object arguments, no ids).</summary>
    public static string[] ConformanceCallParts =>
    [
        CallPart(ProviderConformanceTests.WeatherToolName, ProviderConformanceTests.WeatherArguments, "c2lnLXdlYXRoZXI="),
        CallPart(ProviderConformanceTests.TimeToolName, ProviderConformanceTests.TimeArguments),
    ];

    /// <summary>An SSE body as Gemini frames it: <c>data: …</c> events separated by CRLF CRLF, no <c>[DONE]</c>.</summary>
    public static string Sse(IEnumerable<string> events) => string.Concat(events.Select(e => "data: " + e + "\r\n\r\n"));

    /// <summary>A streamed chunk with text parts and no finish reason; usage so far.</summary>
    public static string TextChunk(string text, string? usage = null) =>
        Response(Candidate([TextPart(text)], finishReason: null), usage ?? Usage(ProviderConformanceTests.ExpectedInputTokens, 1, 0, ProviderConformanceTests.ExpectedCachedInputTokens, ProviderConformanceTests.ExpectedInputTokens + 1));

    /// <summary>The last chunk: an empty text part carrying a signature, the finish reason and the final usage.</summary>
    public static string FinishChunk(string finishReason = "STOP", string? usage = null) =>
        Response(Candidate([TextPart(string.Empty, "c2lnLWZpbmFs")], finishReason), usage);

    /// <summary>Google's RPC error envelope, pretty-printed as the API sends it.</summary>
    public static string Error(int code, string status, string message, string? details = null) =>
        "{\n  \"error\": {\n    \"code\": " + code.ToString(CultureInfo.InvariantCulture) + ",\n    \"message\": " + Str(message) + ",\n    \"status\": " + Str(status) +
        (details is null ? string.Empty : ",\n    \"details\": " + details) + "\n  }\n}\n";

    public static string ApiKeyInvalidDetails =>
        """[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]""";

    public static string RetryDetails(string quotaId, string delay) =>
        $$$"""[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":{{{Str(quotaId)}}}}]},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":{{{Str(delay)}}}}]""";

    /// <summary>One page of the model list.</summary>
    public static string Models(string? nextPageToken, params (string Name, string[] Methods)[] models)
    {
        var sb = new StringBuilder("{\"models\":[");
        for (int i = 0; i < models.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var (name, methods) = models[i];
            sb.Append(CultureInfo.InvariantCulture, $$$"""{"name":{{{Str("models/" + name)}}},"version":"001","displayName":{{{Str(name.ToUpperInvariant())}}},"description":"A model.","inputTokenLimit":1048576,"outputTokenLimit":65536,"supportedGenerationMethods":[{{{string.Join(",", methods.Select(Str))}}}],"temperature":1,"topP":0.95,"topK":64,"maxTemperature":2,"thinking":true}""");
        }

        sb.Append(']');
        if (nextPageToken is not null)
        {
            sb.Append(",\"nextPageToken\":").Append(Str(nextPageToken));
        }

        return sb.Append('}').ToString();
    }
}
