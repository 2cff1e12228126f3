using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Wire;

/// <summary>What a non-streamed chat completion said, read by <see cref="OpenAIChatResponseParser"/>.</summary>
internal struct ParsedCompletion
{
    public string? Id;
    public string? Model;
    public bool HasChoices;
    public bool HasError;
    public decimal? Cost;
    public string? Text;
    public string? Refusal;
    public string? Reasoning;
    public List<FunctionCallContent>? ToolCalls;
    public ChatFinishReason? FinishReason;
    public UsageDetails? Usage;
    public List<string>? FilteredCategories;
}

/// <summary>
/// Reads a <c>chat.completion</c> body with <see cref="Utf8JsonReader"/> straight from its UTF-8 bytes: unknown fields are
/// skipped, unknown finish reasons kept raw, only choice 0 is kept. Throws <see cref="JsonException"/> (or
/// <see cref="InvalidOperationException"/> for strings that are not valid UTF-16) when the body is not a JSON object.
/// </summary>
internal static class OpenAIChatResponseParser
{
    public static ParsedCompletion Parse(ReadOnlySpan<byte> json, string? cachedModel)
    {
        var result = default(ParsedCompletion);
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                ReadChoices(ref reader, json, ref result);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                result.Usage = OpenAIJson.ReadUsage(ref reader, out result.Cost);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                result.Id = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                result.Model = Utf8JsonHelpers.ReadStringCached(ref reader, cachedModel);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                result.HasError |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
                reader.Skip();
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);
        return result;
    }

    private static void ReadChoices(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref ParsedCompletion result)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        int position = 0;
        bool kept = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                position++;
                continue;
            }

            var choice = default(ParsedCompletion);
            long? index = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("message"u8))
                {
                    ReadMessage(ref reader, json, ref choice);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    choice.FinishReason = OpenAIJson.ReadFinishReason(ref reader);
                }
                else if (reader.ValueTextEquals("index"u8))
                {
                    index = Utf8JsonHelpers.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("content_filter_results"u8))
                {
                    // Azure OpenAI: the categories that stopped the answer (finish_reason content_filter).
                    OpenAIContentFilter.ReadFilteredCategories(ref reader, ref choice.FilteredCategories);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);

            // We ask for one choice; when several come, keep index 0 (or the first, when no index is given).
            if (!kept && (index ?? position) == 0)
            {
                kept = true;
                result.Text = choice.Text;
                result.Refusal = choice.Refusal;
                result.Reasoning = choice.Reasoning;
                result.ToolCalls = choice.ToolCalls;
                result.FinishReason = choice.FinishReason;
                result.FilteredCategories = choice.FilteredCategories;
            }

            position++;
        }

        result.HasChoices |= kept;
    }

    private static void ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref ParsedCompletion choice)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                choice.Text = ReadContent(ref reader, out string? thinking);
                if (thinking is not null)
                {
                    choice.Reasoning = choice.Reasoning is null ? thinking : choice.Reasoning + thinking;
                }
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                choice.Refusal = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                choice.ToolCalls = ReadToolCalls(ref reader, json);
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                var reasoning = Utf8JsonHelpers.ReadString(ref reader);
                if (!string.IsNullOrEmpty(reasoning))
                {
                    choice.Reasoning = choice.Reasoning is null ? reasoning : choice.Reasoning + reasoning;
                }
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    // content is a string or null; some compatible servers send an array of blocks ({"type":"text","text":…}, {"type":"thinking",…}).
    // Shared with the stream parser (Mistral magistral streams delta.content as such arrays).
    internal static string? ReadContent(ref Utf8JsonReader reader, out string? thinking)
    {
        thinking = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        string? single = null;
        StringBuilder? builder = null;
        string? thinkingSingle = null;
        StringBuilder? thinkingBuilder = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                TextPieces.Append(ref single, ref builder, reader.GetString());
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            bool isThinking = false;
            string? text = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    isThinking = reader.TokenType == JsonTokenType.String && (reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("reasoning"u8));
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    text = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("thinking"u8))
                {
                    // Mistral magistral: {"type":"thinking","thinking":[{"type":"text","text":…}]}
                    text = ReadContent(ref reader, out _);
                    isThinking = true;
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            if (isThinking)
            {
                TextPieces.Append(ref thinkingSingle, ref thinkingBuilder, text);
            }
            else
            {
                TextPieces.Append(ref single, ref builder, text);
            }
        }

        thinking = TextPieces.Collected(thinkingSingle, thinkingBuilder);
        return TextPieces.Collected(single, builder);
    }

    private static List<FunctionCallContent>? ReadToolCalls(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        List<FunctionCallContent>? calls = null;
        int position = 0;
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
                if (reader.ValueTextEquals("id"u8))
                {
                    id = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    ReadFunction(ref reader, json, ref name, ref arguments);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            (calls ??= []).Add(OpenAIJson.CreateCall(id, name, arguments, position));
            position++;
        }

        return calls;
    }

    /// <summary>Reads a <c>function</c> object: <c>name</c> and <c>arguments</c> (a JSON string, or an object from some servers).</summary>
    internal static void ReadFunction(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref string? name, ref string? arguments)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
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
}
