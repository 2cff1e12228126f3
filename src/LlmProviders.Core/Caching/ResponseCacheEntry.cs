using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace LlmProviders.Caching;

/// <summary>
/// A stored entry: a result (<see cref="Message"/> and the result's fields) or a recorded stream (<see cref="Updates"/>). The
/// Microsoft.Extensions.AI parts (message, usage, tool calls, additional properties) are kept as JSON written with
/// <see cref="AIJsonUtilities.DefaultOptions"/>; the rest with the source-generated <see cref="ResponseCacheJsonContext"/> (AOT-safe).
/// </summary>
internal sealed class ResponseCacheEntry
{
    /// <summary>The layout version written; entries of another version are misses.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public DateTimeOffset CreatedAt { get; set; }

    public JsonElement? Message { get; set; }

    public string? FinishReason { get; set; }

    public List<string>? ContentFilterCategories { get; set; }

    public string? Refusal { get; set; }

    public JsonElement? Usage { get; set; }

    public string? ResponseId { get; set; }

    public string? ProviderName { get; set; }

    public string? Model { get; set; }

    public decimal? OriginalCost { get; set; }

    public JsonElement? AdditionalProperties { get; set; }

    public List<ResponseCacheUpdate>? Updates { get; set; }

    private static JsonTypeInfo<ChatMessage> MessageInfo => (JsonTypeInfo<ChatMessage>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage));

    private static JsonTypeInfo<UsageDetails> UsageInfo => (JsonTypeInfo<UsageDetails>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(UsageDetails));

    private static JsonTypeInfo<AdditionalPropertiesDictionary> PropertiesInfo =>
        (JsonTypeInfo<AdditionalPropertiesDictionary>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AdditionalPropertiesDictionary));

    /// <summary>Captures a result; <see langword="null"/> when part of it cannot be serialized (then it is not cached).</summary>
    public static ResponseCacheEntry? FromResult(ChatResult result, DateTimeOffset now)
    {
        try
        {
            return new ResponseCacheEntry
            {
                CreatedAt = now,
                Message = JsonSerializer.SerializeToElement(result.Message, MessageInfo),
                FinishReason = result.FinishReason?.Value,
                ContentFilterCategories = result.ContentFilterCategories is { } categories ? [.. categories] : null,
                Refusal = result.Refusal,
                Usage = ToElement(result.Usage),
                ResponseId = result.ResponseId,
                ProviderName = result.ProviderName,
                Model = result.Model,
                OriginalCost = result.Cost,
                AdditionalProperties = ToElement(result.AdditionalProperties),
            };
        }
        catch (Exception ex) when (IsSerializationFailure(ex))
        {
            return null;
        }
    }

    /// <summary>Creates a fresh result from a stored one (no trace, cost and flags left to the caller).</summary>
    public ChatResult ToResult() => new(Message is { } message ? message.Deserialize(MessageInfo)! : new ChatMessage(ChatRole.Assistant, string.Empty))
    {
        FinishReason = FinishReason is null ? null : new ChatFinishReason(FinishReason),
        ContentFilterCategories = ContentFilterCategories,
        Refusal = Refusal,
        Usage = ToUsage(Usage),
        ResponseId = ResponseId,
        ProviderName = ProviderName,
        Model = Model,
        AdditionalProperties = ToProperties(AdditionalProperties),
    };

    /// <summary>Serializes the entry.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ResponseCacheJsonContext.Default.ResponseCacheEntry);

    /// <summary>Reads an entry; <see langword="null"/> for bytes that are not an entry of this version.</summary>
    public static ResponseCacheEntry? FromBytes(byte[] bytes)
    {
        try
        {
            var entry = JsonSerializer.Deserialize(bytes, ResponseCacheJsonContext.Default.ResponseCacheEntry);
            return entry is { Version: CurrentVersion } ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static JsonElement? ToElement(UsageDetails? usage) => usage is null ? null : JsonSerializer.SerializeToElement(usage, UsageInfo);

    internal static JsonElement? ToElement(AdditionalPropertiesDictionary? properties) =>
        properties is null ? null : JsonSerializer.SerializeToElement(properties, PropertiesInfo);

    internal static JsonElement? ToElement(IReadOnlyList<FunctionCallContent>? calls)
    {
        if (calls is null)
        {
            return null;
        }

        var carrier = new ChatMessage(ChatRole.Assistant, [.. calls]);
        return JsonSerializer.SerializeToElement(carrier, MessageInfo);
    }

    internal static UsageDetails? ToUsage(JsonElement? element) => element is { } e ? e.Deserialize(UsageInfo) : null;

    internal static AdditionalPropertiesDictionary? ToProperties(JsonElement? element) => element is { } e ? e.Deserialize(PropertiesInfo) : null;

    internal static List<FunctionCallContent>? ToCalls(JsonElement? element)
    {
        if (element is not { } e || e.Deserialize(MessageInfo) is not { } carrier)
        {
            return null;
        }

        var calls = new List<FunctionCallContent>(carrier.Contents.Count);
        foreach (var content in carrier.Contents)
        {
            if (content is FunctionCallContent call)
            {
                calls.Add(call);
            }
        }

        return calls;
    }

    internal static bool IsSerializationFailure(Exception ex) => ex is NotSupportedException or InvalidOperationException or JsonException or ArgumentException;
}

/// <summary>One recorded update of a stream.</summary>
internal sealed class ResponseCacheUpdate
{
    public string? Text { get; set; }

    public string? ReasoningText { get; set; }

    public string? ReasoningProtectedData { get; set; }

    public string? Refusal { get; set; }

    public JsonElement? ToolCalls { get; set; }

    public bool RestartsAnswer { get; set; }

    public bool IsFinal { get; set; }

    public string? FinishReason { get; set; }

    public List<string>? ContentFilterCategories { get; set; }

    public JsonElement? Usage { get; set; }

    public decimal? Cost { get; set; }

    public string? ResponseId { get; set; }

    public string? ProviderName { get; set; }

    public string? Model { get; set; }

    public JsonElement? AdditionalProperties { get; set; }

    /// <summary>Captures an update as it is now; throws a serialization exception for parts that cannot be serialized.</summary>
    public static ResponseCacheUpdate From(ChatStreamUpdate update) => new()
    {
        Text = update.Text,
        ReasoningText = update.ReasoningText,
        ReasoningProtectedData = update.ReasoningProtectedData,
        Refusal = update.Refusal,
        ToolCalls = ResponseCacheEntry.ToElement(update.ToolCalls),
        RestartsAnswer = update.RestartsAnswer,
        IsFinal = update.IsFinal,
        FinishReason = update.FinishReason?.Value,
        ContentFilterCategories = update.ContentFilterCategories is { } categories ? [.. categories] : null,
        Usage = ResponseCacheEntry.ToElement(update.Usage),
        Cost = update.Cost,
        ResponseId = update.ResponseId,
        ProviderName = update.ProviderName,
        Model = update.Model,
        AdditionalProperties = ResponseCacheEntry.ToElement(update.AdditionalProperties),
    };

    /// <summary>Creates a fresh update flagged as a replay from the cache.</summary>
    public ChatStreamUpdate ToUpdate() => new()
    {
        Text = Text,
        ReasoningText = ReasoningText,
        ReasoningProtectedData = ReasoningProtectedData,
        Refusal = Refusal,
        ToolCalls = ResponseCacheEntry.ToCalls(ToolCalls),
        RestartsAnswer = RestartsAnswer,
        IsFinal = IsFinal,
        FinishReason = FinishReason is null ? null : new ChatFinishReason(FinishReason),
        ContentFilterCategories = ContentFilterCategories,
        Usage = ResponseCacheEntry.ToUsage(Usage),
        ResponseId = ResponseId,
        ProviderName = ProviderName,
        Model = Model,
        AdditionalProperties = ResponseCacheEntry.ToProperties(AdditionalProperties),
        FromCache = true,
    };
}

/// <summary>The source-generated JSON contract of <see cref="ResponseCacheEntry"/>.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResponseCacheEntry))]
internal sealed partial class ResponseCacheJsonContext : JsonSerializerContext
{
}
