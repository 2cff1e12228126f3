using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using LlmProviders.Routing;
using Microsoft.Extensions.AI;

namespace LlmProviders.Interop;

/// <summary>Maps between Microsoft.Extensions.AI's request/response types and ours, both ways.</summary>
internal static class InteropMapping
{
    private const string LlmPrefix = "llm.";

    // ---------------------------------------------------------------- ChatOptions → ChatRequest

    /// <summary>Builds the request a provider receives for an <c>IChatClient</c> call.</summary>
    public static ChatRequest ToChatRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = options?.RawRepresentationFactory?.Invoke(client) is ChatRequest raw ? raw.Clone() : new ChatRequest();

        IList<ChatMessage> list;
        if (options?.Instructions is { Length: > 0 } instructions)
        {
            var withInstructions = new List<ChatMessage> { new(ChatRole.System, instructions) };
            withInstructions.AddRange(messages);
            list = withInstructions;
        }
        else
        {
            // Requests are never mutated, so the caller's list is used as it is.
            list = messages as IList<ChatMessage> ?? new List<ChatMessage>(messages);
        }

        // A raw request's messages stand when the call passes none.
        if (list.Count > 0 || request.Messages.Count == 0)
        {
            request.Messages = list;
        }

        if (options is null)
        {
            return request;
        }

        request.Model = options.ModelId ?? request.Model;
        request.Temperature = options.Temperature ?? request.Temperature;
        request.TopP = options.TopP ?? request.TopP;
        request.TopK = options.TopK ?? request.TopK;
        request.MaxOutputTokens = options.MaxOutputTokens ?? request.MaxOutputTokens;
        request.StopSequences = options.StopSequences ?? request.StopSequences;
        request.Seed = options.Seed ?? request.Seed;
        request.PresencePenalty = options.PresencePenalty ?? request.PresencePenalty;
        request.FrequencyPenalty = options.FrequencyPenalty ?? request.FrequencyPenalty;
        request.Tools = options.Tools ?? request.Tools;
        request.ToolMode = options.ToolMode ?? request.ToolMode;
        request.AllowParallelToolCalls = options.AllowMultipleToolCalls ?? request.AllowParallelToolCalls;
        request.ResponseFormat = options.ResponseFormat ?? request.ResponseFormat;
        request.ReasoningEffort = options.Reasoning?.Effort ?? request.ReasoningEffort;
        if (options.AdditionalProperties is { Count: > 0 } properties)
        {
            ApplyProperties(request, properties);
        }

        return request;
    }

    private static void ApplyProperties(ChatRequest request, AdditionalPropertiesDictionary properties)
    {
        foreach (var (key, value) in properties)
        {
            if (value is null)
            {
                continue;
            }

            if (!key.StartsWith(LlmPrefix, StringComparison.Ordinal))
            {
                if (ToJson(value) is { } json)
                {
                    request.AdditionalRequestFields ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    request.AdditionalRequestFields[key] = json;
                }

                continue;
            }

            switch (key)
            {
                case LlmInteropPropertyNames.RouteName:
                    request.RouteName = value.ToString();
                    break;
                case LlmInteropPropertyNames.PinnedProvider:
                    request.PinnedProvider = value.ToString();
                    break;
                case LlmInteropPropertyNames.RequiredCapabilities:
                    request.RequiredCapabilities = Enum<LlmCapabilities>(key, value);
                    break;
                case LlmInteropPropertyNames.Priority:
                    request.Priority = Enum<RequestPriority>(key, value);
                    break;
                case LlmInteropPropertyNames.CacheMode:
                    request.CacheMode = Enum<ResponseCacheMode>(key, value);
                    break;
                case LlmInteropPropertyNames.StreamInterruption:
                    request.StreamInterruption = Enum<StreamInterruptionPolicy>(key, value);
                    break;
                case LlmInteropPropertyNames.RoutingStrategy:
                    request.RoutingStrategy = Enum<RoutingStrategyKind>(key, value);
                    break;
                case LlmInteropPropertyNames.AllowFallback:
                    request.AllowFallback = value is bool b ? b : bool.TryParse(value.ToString(), out b) ? b : throw Invalid(key, value, "true or false");
                    break;
                case LlmInteropPropertyNames.MaxCost:
                    request.MaxCost = ToDecimal(key, value);
                    break;
                case LlmInteropPropertyNames.MaxLatency:
                    request.MaxLatency = value is TimeSpan t ? t : TimeSpan.TryParse(value.ToString(), CultureInfo.InvariantCulture, out t) ? t : throw Invalid(key, value, "a TimeSpan, e.g. \"00:00:05\"");
                    break;
                case LlmInteropPropertyNames.Tags:
                    if (value is not IEnumerable<KeyValuePair<string, string>> tags)
                    {
                        throw Invalid(key, value, "an IDictionary<string, string>");
                    }

                    request.Tags = request.Tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(request.Tags, StringComparer.Ordinal);
                    foreach (var (name, tag) in tags)
                    {
                        request.Tags[name] = tag;
                    }

                    break;
                default:
                    if (key.StartsWith(LlmInteropPropertyNames.TagPrefix, StringComparison.Ordinal) && key.Length > LlmInteropPropertyNames.TagPrefix.Length)
                    {
                        request.Tags = request.Tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(request.Tags, StringComparer.Ordinal);
                        request.Tags[key[LlmInteropPropertyNames.TagPrefix.Length..]] = value.ToString() ?? string.Empty;
                    }

                    // Response-side keys (a ChatResponse's properties passed back in) and unknown llm.* keys are ignored.
                    break;
            }
        }
    }

    private static T Enum<T>(string key, object value)
        where T : struct, Enum =>
        value is T typed ? typed
        : System.Enum.TryParse<T>(value.ToString(), ignoreCase: true, out var parsed) ? parsed
        : throw Invalid(key, value, "one of " + string.Join(", ", System.Enum.GetNames<T>()));

    private static decimal ToDecimal(string key, object value) => value switch
    {
        decimal d => d,
        double d => (decimal)d,
        float f => (decimal)f,
        int i => i,
        long l => l,
        _ => decimal.TryParse(value.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : throw Invalid(key, value, "a number of USD, e.g. 0.05"),
    };

    private static InvalidChatRequestException Invalid(string key, object value, string expected) =>
        new($"ChatOptions.AdditionalProperties[\"{key}\"] is '{value}' ({value.GetType().Name}); it must be {expected}.");

    // Provider-specific fields: JSON as given, primitives written as JSON (no reflection).
    private static JsonElement? ToJson(object value)
    {
        if (value is JsonElement element)
        {
            return element;
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (value)
            {
                case string s: writer.WriteStringValue(s); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case int i: writer.WriteNumberValue(i); break;
                case long l: writer.WriteNumberValue(l); break;
                case double d: writer.WriteNumberValue(d); break;
                case float f: writer.WriteNumberValue(f); break;
                case decimal m: writer.WriteNumberValue(m); break;
                default: return null;
            }
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    // ---------------------------------------------------------------- ChatRequest → ChatOptions

    /// <summary>Builds the options an <c>IChatClient</c> receives for a provider call; routing fields travel as <see cref="LlmInteropPropertyNames"/> keys.</summary>
    public static ChatOptions ToChatOptions(ChatRequest request, string? defaultModel)
    {
        var options = new ChatOptions
        {
            ModelId = request.Model ?? defaultModel,
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopK = request.TopK,
            MaxOutputTokens = request.MaxOutputTokens,
            StopSequences = request.StopSequences,
            Seed = request.Seed,
            PresencePenalty = request.PresencePenalty,
            FrequencyPenalty = request.FrequencyPenalty,
            Tools = request.Tools,
            ToolMode = request.ToolMode,
            AllowMultipleToolCalls = request.AllowParallelToolCalls,
            ResponseFormat = request.ResponseFormat,
            Reasoning = request.ReasoningEffort is { } effort ? new ReasoningOptions { Effort = effort } : null,
        };

        if (request.AdditionalRequestFields is { Count: > 0 } fields)
        {
            var properties = options.AdditionalProperties ??= [];
            foreach (var (key, value) in fields)
            {
                properties[key] = value;
            }
        }

        if (request.RouteName is not null)
        {
            Set(options, LlmInteropPropertyNames.RouteName, request.RouteName);
        }

        if (request.PinnedProvider is not null)
        {
            Set(options, LlmInteropPropertyNames.PinnedProvider, request.PinnedProvider);
        }

        if (request.RequiredCapabilities != LlmCapabilities.None)
        {
            Set(options, LlmInteropPropertyNames.RequiredCapabilities, request.RequiredCapabilities);
        }

        if (request.Priority != RequestPriority.Normal)
        {
            Set(options, LlmInteropPropertyNames.Priority, request.Priority);
        }

        if (request.AllowFallback is { } allow)
        {
            Set(options, LlmInteropPropertyNames.AllowFallback, allow);
        }

        if (request.MaxCost is { } maxCost)
        {
            Set(options, LlmInteropPropertyNames.MaxCost, maxCost);
        }

        if (request.MaxLatency is { } maxLatency)
        {
            Set(options, LlmInteropPropertyNames.MaxLatency, maxLatency);
        }

        if (request.CacheMode != ResponseCacheMode.Default)
        {
            Set(options, LlmInteropPropertyNames.CacheMode, request.CacheMode);
        }

        if (request.StreamInterruption != StreamInterruptionPolicy.Fail)
        {
            Set(options, LlmInteropPropertyNames.StreamInterruption, request.StreamInterruption);
        }

        if (request.RoutingStrategy is { } strategy)
        {
            Set(options, LlmInteropPropertyNames.RoutingStrategy, strategy);
        }

        if (request.Tags is { Count: > 0 } tags)
        {
            Set(options, LlmInteropPropertyNames.Tags, tags);
        }

        return options;
    }

    private static void Set(ChatOptions options, string key, object value) => (options.AdditionalProperties ??= [])[key] = value;

    // ---------------------------------------------------------------- ChatResult → ChatResponse

    /// <summary>Presents a result as a <c>ChatResponse</c>; <c>RawRepresentation</c> is the result itself.</summary>
    public static ChatResponse ToChatResponse(ChatResult result, DateTimeOffset createdAt)
    {
        var properties = result.AdditionalProperties is { Count: > 0 } existing ? new AdditionalPropertiesDictionary(existing) : [];
        AddResultProperties(properties, result.ProviderName, result.Cost, result.Latency, result.TimeToFirstToken, result.FromCache, result.Trace, result.Refusal, result.ContentFilterCategories);
        return new ChatResponse(result.Message)
        {
            ResponseId = result.ResponseId,
            ModelId = result.Model,
            CreatedAt = createdAt,
            FinishReason = result.FinishReason,
            Usage = result.Usage,
            RawRepresentation = result,
            AdditionalProperties = properties,
        };
    }

    private static void AddResultProperties(
        AdditionalPropertiesDictionary properties, string? providerName, decimal? cost, TimeSpan? latency, TimeSpan? timeToFirstToken, bool fromCache,
        RoutingTrace? trace, string? refusal, IReadOnlyList<string>? categories)
    {
        if (providerName is not null)
        {
            properties[LlmInteropPropertyNames.ProviderName] = providerName;
        }

        if (cost is { } c)
        {
            properties[LlmInteropPropertyNames.Cost] = c;
        }

        if (latency is { } l)
        {
            properties[LlmInteropPropertyNames.Latency] = l;
        }

        if (timeToFirstToken is { } t)
        {
            properties[LlmInteropPropertyNames.TimeToFirstToken] = t;
        }

        if (fromCache)
        {
            properties[LlmInteropPropertyNames.FromCache] = true;
        }

        if (trace is not null)
        {
            properties[LlmInteropPropertyNames.Trace] = trace;
        }

        if (refusal is not null)
        {
            properties[LlmInteropPropertyNames.Refusal] = refusal;
        }

        if (categories is { Count: > 0 })
        {
            properties[LlmInteropPropertyNames.ContentFilterCategories] = categories;
        }
    }

    // ---------------------------------------------------------------- ChatStreamUpdate → ChatResponseUpdate

    /// <summary>Presents a stream update as a <c>ChatResponseUpdate</c>: text, reasoning, tool calls as contents, usage as a <c>UsageContent</c>.</summary>
    public static ChatResponseUpdate ToChatResponseUpdate(ChatStreamUpdate update, DateTimeOffset createdAt)
    {
        int count = (update.Text is { Length: > 0 } ? 1 : 0) + (update.ReasoningText is { Length: > 0 } || update.ReasoningProtectedData is not null ? 1 : 0)
            + (update.ToolCalls?.Count ?? 0) + (update.Usage is not null ? 1 : 0);
        var contents = new List<AIContent>(count);
        if (update.ReasoningText is { Length: > 0 } || update.ReasoningProtectedData is not null)
        {
            contents.Add(new TextReasoningContent(update.ReasoningText) { ProtectedData = update.ReasoningProtectedData });
        }

        if (update.Text is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        if (update.ToolCalls is { } calls)
        {
            for (int i = 0; i < calls.Count; i++)
            {
                contents.Add(calls[i]);
            }
        }

        if (update.Usage is { } usage)
        {
            contents.Add(new UsageContent(usage));
        }

        var result = new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = update.ResponseId,
            ModelId = update.Model,
            CreatedAt = createdAt,
            FinishReason = update.FinishReason,
            RawRepresentation = update,
        };

        if (update.IsFinal || update.RestartsAnswer || update.Refusal is not null || update.AdditionalProperties is { Count: > 0 } || update.ContentFilterCategories is not null)
        {
            var properties = update.AdditionalProperties is { Count: > 0 } existing ? new AdditionalPropertiesDictionary(existing) : [];
            if (update.RestartsAnswer)
            {
                properties[LlmInteropPropertyNames.RestartsAnswer] = true;
            }

            AddResultProperties(properties, update.ProviderName, update.Cost, update.Latency, update.TimeToFirstToken, update.FromCache, update.Trace, update.Refusal, update.ContentFilterCategories);
            result.AdditionalProperties = properties;
        }

        return result;
    }

    // ---------------------------------------------------------------- ChatResponse → ChatResult

    /// <summary>Builds our result from a client's response: one assistant message (several are merged in order), usage, and what our own keys carry back.</summary>
    public static ChatResult ToChatResult(ChatResponse response, string providerName, string? requestedModel, TimeSpan latency)
    {
        ChatMessage message;
        var messages = response.Messages;
        if (messages.Count == 1)
        {
            message = messages[0];
        }
        else
        {
            var contents = new List<AIContent>();
            foreach (var m in messages)
            {
                foreach (var content in m.Contents)
                {
                    contents.Add(content);
                }
            }

            message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = messages.Count > 0 ? messages[^1].MessageId : null };
        }

        var result = new ChatResult(message)
        {
            FinishReason = response.FinishReason,
            Usage = response.Usage,
            ResponseId = response.ResponseId,
            ProviderName = providerName,
            Model = response.ModelId ?? requestedModel,
            Latency = latency,
            RawRepresentation = response,
        };

        if (response.AdditionalProperties is { Count: > 0 } properties)
        {
            AdditionalPropertiesDictionary? rest = null;
            foreach (var (key, value) in properties)
            {
                if (!key.StartsWith(LlmPrefix, StringComparison.Ordinal))
                {
                    (rest ??= [])[key] = value;
                    continue;
                }

                switch (key)
                {
                    case LlmInteropPropertyNames.Cost when value is decimal cost:
                        result.Cost = cost;
                        break;
                    case LlmInteropPropertyNames.Refusal when value is string refusal:
                        result.Refusal = refusal;
                        break;
                    case LlmInteropPropertyNames.ContentFilterCategories when value is IReadOnlyList<string> categories:
                        result.ContentFilterCategories = categories;
                        break;
                    case LlmInteropPropertyNames.FromCache when value is bool fromCache:
                        result.FromCache = fromCache;
                        break;
                    case LlmInteropPropertyNames.TimeToFirstToken when value is TimeSpan ttft:
                        result.TimeToFirstToken = ttft;
                        break;
                }
            }

            result.AdditionalProperties = rest;
        }

        return result;
    }
}
