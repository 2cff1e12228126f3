using System;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static LlmProviders.Http.Utf8JsonHelpers;

namespace LlmProviders.Anthropic.Wire;

/// <summary>The token counts of an Anthropic <c>usage</c> object (each <see langword="null"/> when absent).</summary>
internal struct AnthropicUsage
{
    public long? Input;
    public long? CacheRead;
    public long? CacheWrite;
    public long? Output;
    public long? Thinking;

    public readonly bool IsEmpty => Input is null && CacheRead is null && CacheWrite is null && Output is null;

    /// <summary>Takes every count <paramref name="later"/> carries (a later cumulative report wins; absent counts are kept).</summary>
    public void Merge(in AnthropicUsage later)
    {
        Input = later.Input ?? Input;
        CacheRead = later.CacheRead ?? CacheRead;
        CacheWrite = later.CacheWrite ?? CacheWrite;
        Output = later.Output ?? Output;
        Thinking = later.Thinking ?? Thinking;
    }

    /// <summary>
    /// Converts to <see cref="UsageDetails"/>: input = <c>input_tokens</c> + cache reads + cache writes (Anthropic's
    /// <c>input_tokens</c> excludes cached tokens), cached = cache reads, cache writes also under
    /// <see cref="UsageCounts.CacheWriteInputTokens"/>, reasoning only when reported.
    /// </summary>
    public readonly UsageDetails? ToUsageDetails()
    {
        if (IsEmpty)
        {
            return null;
        }

        long input = (Input ?? 0) + (CacheRead ?? 0) + (CacheWrite ?? 0);
        var usage = new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = Output,
            TotalTokenCount = input + (Output ?? 0),
            CachedInputTokenCount = CacheRead,
            ReasoningTokenCount = Thinking,
        };
        if (CacheWrite is { } write)
        {
            usage.AdditionalCounts = new AdditionalPropertiesDictionary<long> { [UsageCounts.CacheWriteInputTokens] = write };
        }

        return usage;
    }
}

/// <summary>Small <see cref="Utf8JsonReader"/> helpers shared by the Anthropic parsers: lenient about types, strict about syntax.</summary>
internal static class AnthropicJson
{
    /// <summary>Reads the raw JSON text of the next value (a tool's <c>input</c> object).</summary>
    public static string ReadRawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return string.Empty;
        }

        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        int end = (int)reader.BytesConsumed;
        return Encoding.UTF8.GetString(json[start..end]);
    }

    /// <summary>
    /// Maps <c>stop_reason</c>: <c>end_turn</c> and <c>stop_sequence</c> → stop, <c>max_tokens</c> (and
    /// <c>model_context_window_exceeded</c>) → length, <c>tool_use</c> → tool calls, <c>refusal</c> → content filter;
    /// <c>pause_turn</c> and unknown values keep the raw string.
    /// </summary>
    public static ChatFinishReason? MapStopReason(ref Utf8JsonReader reader, out bool refusal)
    {
        refusal = false;
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (reader.ValueTextEquals("end_turn"u8) || reader.ValueTextEquals("stop_sequence"u8))
        {
            return ChatFinishReason.Stop;
        }

        if (reader.ValueTextEquals("tool_use"u8))
        {
            return ChatFinishReason.ToolCalls;
        }

        if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("model_context_window_exceeded"u8))
        {
            return ChatFinishReason.Length;
        }

        if (reader.ValueTextEquals("refusal"u8))
        {
            refusal = true;
            return ChatFinishReason.ContentFilter;
        }

        var raw = reader.GetString();
        return string.IsNullOrWhiteSpace(raw) ? null : new ChatFinishReason(raw);
    }

    /// <summary>Reads a <c>usage</c> object (the reader is on the property name).</summary>
    public static AnthropicUsage ReadUsage(ref Utf8JsonReader reader)
    {
        var usage = default(AnthropicUsage);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return usage;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                usage.Input = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                usage.Output = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                usage.CacheRead = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                usage.CacheWrite = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("output_tokens_details"u8))
            {
                usage.Thinking = ReadNestedInt64(ref reader, "thinking_tokens"u8) ?? usage.Thinking;
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        EnsureEndObject(ref reader);
        return usage;
    }

    /// <summary>Reads <c>stop_details</c> and returns its <c>explanation</c> (the reader is on the property name).</summary>
    public static string? ReadStopExplanation(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? explanation = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("explanation"u8))
            {
                explanation = ReadString(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        EnsureEndObject(ref reader);
        return explanation;
    }
}
