using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.Mistral.Tests;

/// <summary>Builds Mistral wire payloads for the tests (our own content, in the shape of the recorded API: usage before choices, no tool-call type or index, usage in the finish chunk).</summary>
internal static class MistralWire
{
    public const string Created = "1769088720";

    /// <summary>A Mistral-style response id (32 hex characters).</summary>
    public const string HexId = "5f0c2a9be1d34c7f8a6b3e21d9c4f0a7";

    /// <summary>The usage of the conformance scenarios, in Mistral's shape (no details).</summary>
    public static readonly string ConformanceUsage = Usage(
        ProviderConformanceTests.ExpectedInputTokens,
        ProviderConformanceTests.ExpectedOutputTokens,
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

    public static string Usage(long prompt, long completion, long total) =>
        $$$"""{"prompt_tokens":{{{prompt}}},"total_tokens":{{{total}}},"completion_tokens":{{{completion}}}}""";

    /// <summary>A <c>chat.completion</c> body with one choice; <paramref name="contentJson"/> is the raw JSON of <c>message.content</c>.</summary>
    public static string CompletionRaw(
        string contentJson,
        string? finishReason = "stop",
        string toolCalls = "null",
        string? usage = null,
        string id = ProviderConformanceTests.ExpectedResponseId,
        string model = ProviderConformanceTests.ExpectedModel) =>
        $$$"""{"id":{{{Str(id)}}},"created":{{{Created}}},"model":{{{Str(model)}}},"usage":{{{usage ?? ConformanceUsage}}},"object":"chat.completion","choices":[{"index":0,"finish_reason":{{{Str(finishReason)}}},"message":{"role":"assistant","tool_calls":{{{toolCalls}}},"content":{{{contentJson}}}}}]}""";

    /// <summary>A <c>chat.completion</c> body whose content is the string <paramref name="content"/>.</summary>
    public static string Completion(string? content, string? finishReason = "stop", string toolCalls = "null", string? usage = null, string id = ProviderConformanceTests.ExpectedResponseId, string model = ProviderConformanceTests.ExpectedModel) =>
        CompletionRaw(Str(content), finishReason, toolCalls, usage, id, model);

    /// <summary>One complete tool call as Mistral sends it: no <c>type</c>, no <c>index</c>.</summary>
    public static string ToolCall(string id, string name, string argumentsJson) =>
        $$$"""{"id":{{{Str(id)}}},"function":{"name":{{{Str(name)}}},"arguments":{{{Str(argumentsJson)}}}}}""";

    /// <summary>The two tool calls of the conformance scenarios.</summary>
    public static string ConformanceToolCalls =>
        "[" + ToolCall(ProviderConformanceTests.WeatherCallId, ProviderConformanceTests.WeatherToolName, ProviderConformanceTests.WeatherArguments) + "," +
        ToolCall(ProviderConformanceTests.TimeCallId, ProviderConformanceTests.TimeToolName, ProviderConformanceTests.TimeArguments) + "]";

    /// <summary>A <c>chat.completion.chunk</c>: choice 0 with <paramref name="delta"/>; <paramref name="usage"/> is appended when given (Mistral: the finish chunk).</summary>
    public static string Chunk(string delta, string? finishReason = null, string? usage = null, string id = ProviderConformanceTests.ExpectedResponseId, string model = ProviderConformanceTests.ExpectedModel) =>
        $$$"""{"id":{{{Str(id)}}},"object":"chat.completion.chunk","created":{{{Created}}},"model":{{{Str(model)}}},"choices":[{"index":0,"delta":{{{delta}}},"finish_reason":{{{Str(finishReason)}}},"logprobs":null}]{{{(usage is null ? string.Empty : ",\"usage\":" + usage)}}}}""";

    /// <summary>The first chunk: role and empty content.</summary>
    public static string RoleChunk() => Chunk("""{"role":"assistant","content":""}""");

    /// <summary>A content delta.</summary>
    public static string TextChunk(string text) => Chunk($$$"""{"content":{{{Str(text)}}}}""");

    /// <summary>The finish chunk, with empty content and the usage (Mistral puts the usage here).</summary>
    public static string FinishChunk(string finishReason = "stop", string? usage = null) => Chunk("""{"content":""}""", finishReason, usage ?? ConformanceUsage);

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

    /// <summary>Mistral's flat error envelope: <c>{"object":"error","message","type","param","code"}</c>; <paramref name="messageJson"/> is raw JSON.</summary>
    public static string ErrorRaw(string messageJson, string? type, string? code) =>
        $$$"""{"object":"error","message":{{{messageJson}}},"type":{{{Str(type)}}},"param":null,"code":{{{Str(code)}}}}""";

    /// <summary>Mistral's flat error envelope with a string message.</summary>
    public static string Error(string message, string? type, string? code) => ErrorRaw(Str(message), type, code);

    /// <summary>A model list with Mistral's fields.</summary>
    public static string Models(params string[] ids)
    {
        var sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < ids.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(CultureInfo.InvariantCulture, $$$"""{"id":{{{Str(ids[i])}}},"object":"model","created":1735000000,"owned_by":"mistralai","capabilities":{"completion_chat":true,"completion_fim":false,"function_calling":true,"fine_tuning":false,"vision":false,"classification":false},"name":{{{Str(ids[i])}}},"description":"A model","max_context_length":32768,"aliases":[],"deprecation":null,"default_model_temperature":0.3,"type":"base"}""");
        }

        return sb.Append("]}").ToString();
    }
}
