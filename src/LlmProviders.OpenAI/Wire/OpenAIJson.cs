using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;
using static LlmProviders.Http.Utf8JsonHelpers;

namespace LlmProviders.OpenAI.Wire;

/// <summary>Small <see cref="Utf8JsonReader"/> helpers shared by the OpenAI parsers: lenient about types, strict about syntax.</summary>
internal static class OpenAIJson
{
    /// <summary>Maps OpenAI's <c>finish_reason</c>; values the library does not know keep the raw string.</summary>
    public static ChatFinishReason? ReadFinishReason(ref Utf8JsonReader reader)
    {
        reader.Read();
        return MapFinishReason(ref reader);
    }

    /// <summary>Maps the <c>finish_reason</c> value the reader is on (Together's <c>eos</c> is a stop); values the library does not know keep the raw string.</summary>
    public static ChatFinishReason? MapFinishReason(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (reader.ValueTextEquals("stop"u8) || reader.ValueTextEquals("eos"u8))
        {
            return ChatFinishReason.Stop;
        }

        if (reader.ValueTextEquals("length"u8) || reader.ValueTextEquals("model_length"u8))
        {
            return ChatFinishReason.Length;
        }

        if (reader.ValueTextEquals("tool_calls"u8))
        {
            return ChatFinishReason.ToolCalls;
        }

        if (reader.ValueTextEquals("content_filter"u8))
        {
            return ChatFinishReason.ContentFilter;
        }

        var raw = reader.GetString();
        return string.IsNullOrWhiteSpace(raw) ? null : new ChatFinishReason(raw);
    }

    /// <summary>Reads a <c>usage</c> object (the reader is on the property name); <c>null</c> gives <see langword="null"/>.</summary>
    public static UsageDetails? ReadUsage(ref Utf8JsonReader reader) => ReadUsage(ref reader, out _);

    /// <summary>Reads a <c>usage</c> object and the call's cost in USD that some services report in it (OpenRouter <c>usage.cost</c>).</summary>
    public static UsageDetails? ReadUsage(ref Utf8JsonReader reader, out decimal? cost)
    {
        cost = null;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? input = null, output = null, total = null, cached = null, reasoning = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                input = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                output = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                total = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = ReadNestedInt64(ref reader, "cached_tokens"u8) ?? cached;
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoning = ReadNestedInt64(ref reader, "reasoning_tokens"u8) ?? reasoning;
            }
            else if (reader.ValueTextEquals("cost"u8))
            {
                cost = ReadCost(ref reader) ?? cost;
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        EnsureEndObject(ref reader);
        return new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = total ?? (input is null && output is null ? null : (input ?? 0) + (output ?? 0)),
            CachedInputTokenCount = cached,
            ReasoningTokenCount = reasoning,
        };
    }

    // A non-negative number of USD (or a numeric string); anything else is not a cost.
    private static decimal? ReadCost(ref Utf8JsonReader reader)
    {
        reader.Read();
        decimal value;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetDecimal(out value))
            {
                return null;
            }
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            if (!decimal.TryParse(reader.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value))
            {
                return null;
            }
        }
        else
        {
            reader.Skip();
            return null;
        }

        return value >= 0 ? value : null;
    }

    /// <summary>
    /// Gives tool calls that share an id ids of their own (LocalAI sends the completion id as every call's id): the later
    /// calls become <c>{id}_{position}</c>, so that each result can be matched to its call. Unique ids are kept as they are.
    /// </summary>
    public static IReadOnlyList<FunctionCallContent> WithUniqueIds(IReadOnlyList<FunctionCallContent> calls)
    {
        FunctionCallContent[]? renamed = null;
        for (int i = 1; i < calls.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (string.Equals(calls[j].CallId, calls[i].CallId, StringComparison.Ordinal))
                {
                    renamed ??= [.. calls];
                    var call = calls[i];
                    renamed[i] = new FunctionCallContent(call.CallId + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), call.Name, call.Arguments)
                    {
                        Exception = call.Exception,
                        RawRepresentation = call.RawRepresentation,
                    };
                    break;
                }
            }
        }

        return renamed ?? calls;
    }

    /// <summary>Creates the tool call of a non-streamed response (arguments parsed now; invalid JSON sets the call's exception).</summary>
    public static FunctionCallContent CreateCall(string? id, string? name, string? arguments, int position) =>
        ToolCallJson.CreateCall(string.IsNullOrEmpty(id) ? "call_" + position.ToString(System.Globalization.CultureInfo.InvariantCulture) : id, name ?? string.Empty, arguments);
}
