using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>Builds Azure OpenAI wire payloads for the tests (our own content, in the shape of the recorded API: alphabetical keys, content-filter annotations).</summary>
internal static class AzureWire
{
    public const string Endpoint = "https://contoso-eastus.openai.azure.com";

    public const string Created = "1767225600";

    /// <summary>The usage of the conformance scenarios, in Azure's (OpenAI's) shape.</summary>
    public static readonly string ConformanceUsage = Usage(
        ProviderConformanceTests.ExpectedInputTokens,
        ProviderConformanceTests.ExpectedOutputTokens,
        ProviderConformanceTests.ExpectedTotalTokens,
        ProviderConformanceTests.ExpectedCachedInputTokens,
        ProviderConformanceTests.ExpectedReasoningTokens);

    /// <summary>Encodes a JSON string literal, keeping non-ASCII characters (emoji included) as raw UTF-8.</summary>
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
        $$$"""{"completion_tokens":{{{completion}}},"completion_tokens_details":{"accepted_prediction_tokens":0,"audio_tokens":0,"reasoning_tokens":{{{reasoning}}},"rejected_prediction_tokens":0},"prompt_tokens":{{{prompt}}},"prompt_tokens_details":{"audio_tokens":0,"cached_tokens":{{{cached}}}},"total_tokens":{{{total}}}}""";

    /// <summary>Content-filter results with the four harm categories; the named ones are <c>filtered: true</c>.</summary>
    public static string Filters(params string[] filtered)
    {
        var sb = new StringBuilder("{");
        string[] categories = ["hate", "self_harm", "sexual", "violence"];
        for (int i = 0; i < categories.Length; i++)
        {
            bool isFiltered = Array.IndexOf(filtered, categories[i]) >= 0;
            sb.Append(i > 0 ? "," : string.Empty)
              .Append(CultureInfo.InvariantCulture, $$$"""{{{Str(categories[i])}}}:{"filtered":{{{(isFiltered ? "true" : "false")}}},"severity":{{{Str(isFiltered ? "high" : "safe")}}}}""");
        }

        foreach (var extra in filtered)
        {
            if (Array.IndexOf(categories, extra) < 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $$$""","{{{extra}}}":{"filtered":true,"detected":true}""");
            }
        }

        return sb.Append('}').ToString();
    }

    /// <summary>The prompt-filter results of a completion or of the first stream chunk.</summary>
    public static string PromptFilterResults => $$$"""[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"detected":false,"filtered":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}},"prompt_index":0}]""";

    /// <summary>A <c>chat.completion</c> body as Azure sends it (alphabetical keys, filter annotations).</summary>
    public static string Completion(
        string? content,
        string? finishReason = "stop",
        string? toolCalls = null,
        string? refusal = null,
        string? usage = null,
        string id = ProviderConformanceTests.ExpectedResponseId,
        string model = ProviderConformanceTests.ExpectedModel,
        string? filters = null)
    {
        var message = new StringBuilder();
        message.Append("{\"annotations\":[],\"content\":").Append(Str(content)).Append(",\"refusal\":").Append(Str(refusal)).Append(",\"role\":\"assistant\"");
        if (toolCalls is not null)
        {
            message.Append(",\"tool_calls\":").Append(toolCalls);
        }

        message.Append('}');
        return $$$"""{"choices":[{"content_filter_results":{{{filters ?? Filters()}}},"finish_reason":{{{Str(finishReason)}}},"index":0,"logprobs":null,"message":{{{message}}}}],"created":{{{Created}}},"id":{{{Str(id)}}},"model":{{{Str(model)}}},"object":"chat.completion","prompt_filter_results":{{{PromptFilterResults}}},"system_fingerprint":"fp_azure","usage":{{{usage ?? ConformanceUsage}}}}""";
    }

    /// <summary>One complete tool call of a non-streamed message.</summary>
    public static string ToolCall(string id, string name, string argumentsJson) =>
        $$$"""{"function":{"arguments":{{{Str(argumentsJson)}}},"name":{{{Str(name)}}}},"id":{{{Str(id)}}},"type":"function"}""";

    /// <summary>The two tool calls of the conformance scenarios.</summary>
    public static string ConformanceToolCalls =>
        "[" + ToolCall(ProviderConformanceTests.WeatherCallId, ProviderConformanceTests.WeatherToolName, ProviderConformanceTests.WeatherArguments) + "," +
        ToolCall(ProviderConformanceTests.TimeCallId, ProviderConformanceTests.TimeToolName, ProviderConformanceTests.TimeArguments) + "]";

    /// <summary>The first event of every Azure stream: <c>choices: []</c>, blank id/model/object, <c>created: 0</c>, the prompt-filter results.</summary>
    public static string PromptFilterChunk() =>
        $$$"""{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":{{{PromptFilterResults}}}}""";

    /// <summary>A <c>chat.completion.chunk</c> with one choice whose delta is <paramref name="delta"/>.</summary>
    public static string Chunk(string delta, string? finishReason = null, string? filters = null, string id = ProviderConformanceTests.ExpectedResponseId, string model = ProviderConformanceTests.ExpectedModel) =>
        $$$"""{"choices":[{"content_filter_results":{{{filters ?? "{}"}}},"delta":{{{delta}}},"finish_reason":{{{Str(finishReason)}}},"index":0,"logprobs":null}],"created":{{{Created}}},"id":{{{Str(id)}}},"model":{{{Str(model)}}},"obfuscation":"Qw3rty","object":"chat.completion.chunk","system_fingerprint":null,"usage":null}""";

    /// <summary>The role chunk that opens a text stream.</summary>
    public static string RoleChunk(string content = "\"\"") => Chunk($$$"""{"content":{{{content}}},"refusal":null,"role":"assistant"}""");

    /// <summary>A content delta chunk (with the harm-category annotations Azure puts on content chunks).</summary>
    public static string TextChunk(string text) => Chunk($$$"""{"content":{{{Str(text)}}}}""", filters: Filters());

    /// <summary>The finish chunk.</summary>
    public static string FinishChunk(string finishReason, string? filters = null) => Chunk("{}", finishReason, filters);

    /// <summary>The usage chunk of <c>include_usage</c>: <c>choices: []</c>.</summary>
    public static string UsageChunk(string? usage = null) =>
        $$$"""{"choices":[],"created":{{{Created}}},"id":{{{Str(ProviderConformanceTests.ExpectedResponseId)}}},"model":{{{Str(ProviderConformanceTests.ExpectedModel)}}},"obfuscation":"Zx","object":"chat.completion.chunk","system_fingerprint":null,"usage":{{{usage ?? ConformanceUsage}}}}""";

    /// <summary>An asynchronous-filter annotation chunk that arrives after the finish chunk: blank id/model, <c>created: 0</c>, <c>finish_reason: null</c>.</summary>
    public static string AsyncFilterChunk(string? filters = null) =>
        $$$"""{"choices":[{"content_filter_offsets":{"check_offset":12,"end_offset":48,"start_offset":12},"content_filter_results":{{{filters ?? Filters()}}},"finish_reason":null,"index":0}],"created":0,"id":"","model":"","object":""}""";

    /// <summary>A first tool-call fragment (index, id, name, empty arguments).</summary>
    public static string ToolStartChunk(int index, string id, string name) =>
        Chunk($$$"""{"tool_calls":[{"function":{"arguments":"","name":{{{Str(name)}}}},"id":{{{Str(id)}}},"index":{{{index}}},"type":"function"}]}""");

    /// <summary>A later tool-call fragment (index and an arguments piece only).</summary>
    public static string ToolArgumentsChunk(int index, string fragment) =>
        Chunk($$$"""{"tool_calls":[{"function":{"arguments":{{{Str(fragment)}}}},"index":{{{index}}}}]}""");

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

    /// <summary>Azure's short error envelope <c>{"error":{"code","message"}}</c> (codes are strings, even <c>"401"</c>).</summary>
    public static string Error(string code, string message) =>
        $$$"""{"error":{"code":{{{Str(code)}}},"message":{{{Str(message)}}}}}""";

    /// <summary>OpenAI's envelope as Azure relays it for request errors.</summary>
    public static string OpenAIError(string message, string? type, string? code, string? param = null) =>
        $$$"""{"error":{"code":{{{Str(code)}}},"message":{{{Str(message)}}},"param":{{{Str(param)}}},"type":{{{Str(type)}}}}}""";

    /// <summary>The 400 of a prompt rejected by the content filter, naming the filtered categories in <c>innererror</c>.</summary>
    public static string PromptFilteredError(params string[] filtered) =>
        """{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":""" + Filters(filtered) + "}}}";

    /// <summary>The 429 of a token rate limit, with the wait in its message.</summary>
    public static string RateLimitError(int seconds) => Error(
        "429",
        $"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after {seconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.");

    /// <summary>The 404 of a deployment that does not exist.</summary>
    public static string DeploymentNotFound =>
        Error("DeploymentNotFound", "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.");

    /// <summary>Azure's model list (base models the resource can deploy).</summary>
    public static string Models(params string[] ids)
    {
        var sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < ids.Length; i++)
        {
            sb.Append(i > 0 ? "," : string.Empty)
              .Append(CultureInfo.InvariantCulture, $$$"""{"capabilities":{"chat_completion":true,"completion":false,"embeddings":false,"fine_tune":false,"inference":true},"created_at":1715558400,"deprecation":{"inference":1767225600},"id":{{{Str(ids[i])}}},"lifecycle_status":"generally-available","object":"model","status":"succeeded"}""");
        }

        return sb.Append("],\"object\":\"list\"}").ToString();
    }

    /// <summary>An embeddings response; vectors in the given order with their indexes.</summary>
    public static string Embeddings(string model, params (int Index, float[] Vector)[] items)
    {
        var sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < items.Length; i++)
        {
            sb.Append(i > 0 ? "," : string.Empty).Append("{\"embedding\":[");
            for (int j = 0; j < items[i].Vector.Length; j++)
            {
                sb.Append(j > 0 ? "," : string.Empty).Append(items[i].Vector[j].ToString("R", CultureInfo.InvariantCulture));
            }

            sb.Append(CultureInfo.InvariantCulture, $"],\"index\":{items[i].Index},\"object\":\"embedding\"}}");
        }

        return sb.Append(CultureInfo.InvariantCulture, $$$"""],"model":{{{Str(model)}}},"object":"list","usage":{"prompt_tokens":7,"total_tokens":7}}""").ToString();
    }
}
