using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.OpenAI.Tests;

/// <summary>Builds OpenAI wire payloads for the tests (our own content, in the shape of the recorded API).</summary>
internal static class OpenAIWire
{
    public const string Created = "1767225600";

    /// <summary>The usage of the conformance scenarios, in OpenAI's shape.</summary>
    public static readonly string ConformanceUsage = Usage(
        ProviderConformanceTests.ExpectedInputTokens,
        ProviderConformanceTests.ExpectedOutputTokens,
        ProviderConformanceTests.ExpectedTotalTokens,
        ProviderConformanceTests.ExpectedCachedInputTokens,
        ProviderConformanceTests.ExpectedReasoningTokens);

    /// <summary>Encodes a JSON string literal, keeping non-ASCII characters (emoji included) as raw UTF-8, as OpenAI does.</summary>
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

    public static string Usage(long prompt, long completion, long total, long cached, long reasoning) =>
        $$$"""{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{total}}},"prompt_tokens_details":{"cached_tokens":{{{cached}}},"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":{{{reasoning}}},"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""";

    /// <summary>A <c>chat.completion</c> body with one choice.</summary>
    public static string Completion(
        string? content,
        string? finishReason = "stop",
        string? toolCalls = null,
        string? refusal = null,
        string? reasoningContent = null,
        string? usage = null,
        string id = ProviderConformanceTests.ExpectedResponseId,
        string model = ProviderConformanceTests.ExpectedModel)
    {
        var message = new StringBuilder();
        message.Append("{\"role\":\"assistant\",\"content\":").Append(Str(content));
        if (reasoningContent is not null)
        {
            message.Append(",\"reasoning_content\":").Append(Str(reasoningContent));
        }

        if (toolCalls is not null)
        {
            message.Append(",\"tool_calls\":").Append(toolCalls);
        }

        message.Append(",\"refusal\":").Append(Str(refusal)).Append(",\"annotations\":[]}");
        return $$$"""{"id":{{{Str(id)}}},"object":"chat.completion","created":{{{Created}}},"model":{{{Str(model)}}},"choices":[{"index":0,"message":{{{message}}},"logprobs":null,"finish_reason":{{{Str(finishReason)}}}}],"usage":{{{usage ?? ConformanceUsage}}},"service_tier":"default","system_fingerprint":"fp_conformance"}""";
    }

    /// <summary>One complete tool call of a non-streamed message.</summary>
    public static string ToolCall(string id, string name, string argumentsJson) =>
        $$$"""{"id":{{{Str(id)}}},"type":"function","function":{"name":{{{Str(name)}}},"arguments":{{{Str(argumentsJson)}}}}}""";

    /// <summary>The two tool calls of the conformance scenarios.</summary>
    public static string ConformanceToolCalls =>
        "[" + ToolCall(ProviderConformanceTests.WeatherCallId, ProviderConformanceTests.WeatherToolName, ProviderConformanceTests.WeatherArguments) + "," +
        ToolCall(ProviderConformanceTests.TimeCallId, ProviderConformanceTests.TimeToolName, ProviderConformanceTests.TimeArguments) + "]";

    /// <summary>A <c>chat.completion.chunk</c> with one choice whose delta is <paramref name="delta"/>.</summary>
    public static string Chunk(string delta, string? finishReason = null, int index = 0, string usage = "null", string id = ProviderConformanceTests.ExpectedResponseId, string model = ProviderConformanceTests.ExpectedModel, string obfuscation = "Xy7Q") =>
        $$$"""{"id":{{{Str(id)}}},"object":"chat.completion.chunk","created":{{{Created}}},"model":{{{Str(model)}}},"service_tier":"default","system_fingerprint":"fp_conformance","choices":[{"index":{{{index}}},"delta":{{{delta}}},"logprobs":null,"finish_reason":{{{Str(finishReason)}}}}],"usage":{{{usage}}},"obfuscation":{{{Str(obfuscation)}}}}""";

    /// <summary>The role chunk that opens a text stream.</summary>
    public static string RoleChunk(string content = "\"\"") => Chunk($$$"""{"role":"assistant","content":{{{content}}},"refusal":null}""");

    /// <summary>A content delta chunk.</summary>
    public static string TextChunk(string text, int index = 0) => Chunk($$$"""{"content":{{{Str(text)}}}}""", index: index);

    /// <summary>The finish chunk.</summary>
    public static string FinishChunk(string finishReason, int index = 0) => Chunk("{}", finishReason, index);

    /// <summary>The usage chunk of <c>include_usage</c>: <c>choices: []</c>.</summary>
    public static string UsageChunk(string? usage = null) =>
        $$$"""{"id":{{{Str(ProviderConformanceTests.ExpectedResponseId)}}},"object":"chat.completion.chunk","created":{{{Created}}},"model":{{{Str(ProviderConformanceTests.ExpectedModel)}}},"service_tier":"default","system_fingerprint":"fp_conformance","choices":[],"usage":{{{usage ?? ConformanceUsage}}},"obfuscation":"Ab3"}""";

    /// <summary>A first tool-call fragment (index, id, name, empty arguments).</summary>
    public static string ToolStartChunk(int index, string id, string name) =>
        Chunk($$$"""{"tool_calls":[{"index":{{{index}}},"id":{{{Str(id)}}},"type":"function","function":{"name":{{{Str(name)}}},"arguments":""}}]}""");

    /// <summary>A later tool-call fragment (index and an arguments piece only).</summary>
    public static string ToolArgumentsChunk(int index, string fragment) =>
        Chunk($$$"""{"tool_calls":[{"index":{{{index}}},"function":{"arguments":{{{Str(fragment)}}}}}]}""");

    /// <summary>An SSE body: one <c>data:</c> event per item, then <c>data: [DONE]</c> when <paramref name="done"/>.</summary>
    public static string Sse(IEnumerable<string> events, bool done = true)
    {
        var sb = new StringBuilder();
        foreach (var e in events)
        {
            sb.Append("data: ").Append(e).Append("\n\n");
        }

        if (done)
        {
            sb.Append("data: [DONE]\n\n");
        }

        return sb.ToString();
    }

    /// <summary>OpenAI's error envelope.</summary>
    public static string Error(string message, string? type, string? code, string? param = null) =>
        $$$"""{"error":{"message":{{{Str(message)}}},"type":{{{Str(type)}}},"param":{{{Str(param)}}},"code":{{{Str(code)}}}}}""";

    /// <summary>A model list.</summary>
    public static string Models(params string[] ids)
    {
        var sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < ids.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(CultureInfo.InvariantCulture, $$$"""{"id":{{{Str(ids[i])}}},"object":"model","created":1686588896,"owned_by":"openai"}""");
        }

        return sb.Append("]}").ToString();
    }
}
