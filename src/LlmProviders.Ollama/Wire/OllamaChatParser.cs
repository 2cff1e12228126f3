using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Wire;

/// <summary>What one <c>/api/chat</c> object says: a whole response, or one NDJSON line of a stream.</summary>
internal struct OllamaChunk
{
    public string? Model;
    public string? Content;
    public string? Thinking;
    public bool Done;
    public string? DoneReason;
    public string? Error;
    public bool HasError;
    public bool HasMessage;
    public int ToolCallCount;
    public long? PromptEvalCount;
    public long? EvalCount;
    public long? TotalDuration;
    public long? LoadDuration;
    public long? PromptEvalDuration;
    public long? EvalDuration;
    public DateTimeOffset? CreatedAt;
}

/// <summary>
/// Reads one <c>/api/chat</c> object with <see cref="Utf8JsonReader"/> straight from its UTF-8 bytes: <c>model</c>,
/// <c>created_at</c> (read only on the <c>done</c> object), <c>message</c> (<c>content</c>, <c>thinking</c>, whole
/// <c>tool_calls</c> with arguments as objects and usually no id), <c>done</c>, <c>done_reason</c>, the metrics (all
/// <c>omitempty</c>, durations in nanoseconds) and <c>error</c>. Unknown fields are skipped.
/// </summary>
internal static class OllamaChatParser
{
    /// <summary>Parses one object.</summary>
    /// <param name="json">The object's bytes.</param>
    /// <param name="cachedModel">The model name seen before (reused when the same).</param>
    /// <param name="toolCalls">Receives the tool calls, created with stable ids (<c>call_0</c>, <c>call_1</c> … across the whole answer) when the server gives none.</param>
    /// <returns>What the object says.</returns>
    /// <exception cref="JsonException">The object is not valid JSON.</exception>
    public static OllamaChunk Parse(ReadOnlySpan<byte> json, string? cachedModel, ref List<FunctionCallContent>? toolCalls)
    {
        var chunk = default(OllamaChunk);
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The line is not a JSON object.");
        }

        ReadOnlySpan<byte> createdAt = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                ReadMessage(ref reader, json, ref chunk, ref toolCalls);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                chunk.Model = Utf8JsonHelpers.ReadStringCached(ref reader, cachedModel);
            }
            else if (reader.ValueTextEquals("done"u8))
            {
                chunk.Done = Utf8JsonHelpers.ReadBoolean(ref reader);
            }
            else if (reader.ValueTextEquals("created_at"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    createdAt = reader.ValueSpan;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("done_reason"u8))
            {
                chunk.DoneReason = ReadDoneReason(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_eval_count"u8))
            {
                chunk.PromptEvalCount = Utf8JsonHelpers.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("eval_count"u8))
            {
                chunk.EvalCount = Utf8JsonHelpers.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("total_duration"u8))
            {
                chunk.TotalDuration = Utf8JsonHelpers.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("load_duration"u8))
            {
                chunk.LoadDuration = Utf8JsonHelpers.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_eval_duration"u8))
            {
                chunk.PromptEvalDuration = Utf8JsonHelpers.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("eval_duration"u8))
            {
                chunk.EvalDuration = Utf8JsonHelpers.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                chunk.Error = ReadErrorValue(ref reader);
                chunk.HasError = chunk.Error is not null;
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);
        if (chunk.Done && !createdAt.IsEmpty)
        {
            chunk.CreatedAt = OllamaJson.ParseTimestamp(createdAt);
        }

        return chunk;
    }

    /// <summary>Builds the usage of a <c>done</c> object: absent counts (omitempty) are zero; total is their sum.</summary>
    public static UsageDetails CreateUsage(in OllamaChunk done)
    {
        long input = done.PromptEvalCount ?? 0;
        long output = done.EvalCount ?? 0;
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    /// <summary>Builds the provider-specific values of a <c>done</c> object: durations, tokens per second, the creation time.</summary>
    public static AdditionalPropertiesDictionary? CreateMetrics(in OllamaChunk done)
    {
        if (done.TotalDuration is null && done.LoadDuration is null && done.EvalDuration is null && done.PromptEvalDuration is null && done.CreatedAt is null)
        {
            return null;
        }

        var properties = new AdditionalPropertiesDictionary();
        if (done.TotalDuration is { } total)
        {
            properties[OllamaProvider.TotalDurationProperty] = OllamaJson.FromNanoseconds(total);
        }

        if (done.LoadDuration is { } load)
        {
            properties[OllamaProvider.LoadDurationProperty] = OllamaJson.FromNanoseconds(load);
        }

        if (done.PromptEvalDuration is { } promptEval)
        {
            properties[OllamaProvider.PromptEvalDurationProperty] = OllamaJson.FromNanoseconds(promptEval);
        }

        if (done.EvalDuration is { } eval)
        {
            properties[OllamaProvider.EvalDurationProperty] = OllamaJson.FromNanoseconds(eval);
        }

        if (TokensPerSecond(done) is { } rate)
        {
            properties[OllamaProvider.TokensPerSecondProperty] = rate;
        }

        if (done.CreatedAt is { } created)
        {
            properties[OllamaProvider.CreatedAtProperty] = created;
        }

        return properties;
    }

    /// <summary>Output tokens per second: <c>eval_count</c> / <c>eval_duration</c> (ns); <see langword="null"/> when either is missing or zero.</summary>
    public static double? TokensPerSecond(in OllamaChunk done) =>
        done.EvalCount is > 0 && done.EvalDuration is > 0 ? done.EvalCount.Value * 1e9 / done.EvalDuration.Value : null;

    private static void ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref OllamaChunk chunk, ref List<FunctionCallContent>? toolCalls)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        chunk.HasMessage = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                chunk.Content = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                chunk.Thinking = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                ReadToolCalls(ref reader, json, ref chunk, ref toolCalls);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    // "" is no text: no string is allocated for the empty content of tool-call and done lines.
    private static string? ReadText(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueSpan.IsEmpty ? null : reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref OllamaChunk chunk, ref List<FunctionCallContent>? toolCalls)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? id = null, name = null, arguments = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("name"u8))
                        {
                            name = Utf8JsonHelpers.ReadString(ref reader);
                        }
                        else if (reader.ValueTextEquals("arguments"u8))
                        {
                            arguments = Utf8JsonHelpers.ReadRawValue(ref reader, json);
                        }
                        else
                        {
                            Utf8JsonHelpers.SkipValue(ref reader);
                        }
                    }

                    Utf8JsonHelpers.EnsureEndObject(ref reader);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    id = Utf8JsonHelpers.ReadString(ref reader);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            toolCalls ??= [];
            int position = toolCalls.Count;
            string callId = string.IsNullOrEmpty(id) ? "call_" + position.ToString(CultureInfo.InvariantCulture) : id;
            toolCalls.Add(ToolCallJson.CreateCall(callId, name ?? string.Empty, arguments));
            chunk.ToolCallCount++;
        }
    }

    private static string? ReadDoneReason(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        // The common values without allocating.
        if (reader.ValueTextEquals("stop"u8))
        {
            return "stop";
        }

        if (reader.ValueTextEquals("length"u8))
        {
            return "length";
        }

        return reader.GetString();
    }

    // {"error":"text"}, or defensively an object {"message": …}.
    private static string? ReadErrorValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            string? message = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("message"u8))
                {
                    message = Utf8JsonHelpers.ReadString(ref reader);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            return message;
        }

        reader.Skip();
        return null;
    }
}
