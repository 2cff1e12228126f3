using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Wire;

/// <summary>What one <c>GenerateContentResponse</c> (a whole answer, or one streamed chunk) said, for candidate 0.</summary>
internal sealed class ParsedResponse
{
    private string? _text;
    private StringBuilder? _textBuilder;
    private string? _reasoning;
    private StringBuilder? _reasoningBuilder;

    public bool HasCandidates { get; set; }

    public bool HasError { get; set; }

    public string? Text => _textBuilder?.ToString() ?? _text;

    public string? Reasoning => _reasoningBuilder?.ToString() ?? _reasoning;

    public string? ReasoningSignature { get; set; }

    public List<FunctionCallContent>? Calls { get; set; }

    public ChatFinishReason? FinishReason { get; set; }

    public string? RawFinishReason { get; set; }

    public string? FinishMessage { get; set; }

    public List<string>? SafetyCategories { get; set; }

    public string? BlockReason { get; set; }

    public string? BlockReasonMessage { get; set; }

    public List<string>? BlockCategories { get; set; }

    public UsageDetails? Usage { get; set; }

    public string? ResponseId { get; set; }

    public string? ModelVersion { get; set; }

    public void AppendText(string? piece) => TextPieces.Append(ref _text, ref _textBuilder, piece);

    public void AppendReasoning(string? piece) => TextPieces.Append(ref _reasoning, ref _reasoningBuilder, piece);
}

/// <summary>
/// Reads a <c>GenerateContentResponse</c> with <see cref="Utf8JsonReader"/> straight from its UTF-8 bytes: candidate 0's parts
/// (text, <c>thought</c> parts as reasoning, whole <c>functionCall</c>s with object arguments and <c>thoughtSignature</c>),
/// its finish reason and safety ratings, <c>promptFeedback</c>, <c>usageMetadata</c>, <c>modelVersion</c> and <c>responseId</c>.
/// Unknown fields are skipped. Throws <see cref="JsonException"/> (or <see cref="InvalidOperationException"/>) when the body is
/// not a JSON object.
/// </summary>
internal static class GeminiResponseParser
{
    /// <summary>Parses one response.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <param name="cachedModel">The model version seen last (reused when equal).</param>
    /// <param name="callCounter">The number of tool calls seen so far in this answer; generated ids continue from it.</param>
    /// <param name="cachedId">The response id seen last (a stream repeats it in every chunk; reused when equal).</param>
    /// <returns>What the response said.</returns>
    public static ParsedResponse Parse(ReadOnlySpan<byte> json, string? cachedModel, ref int callCounter, string? cachedId = null)
    {
        var result = new ParsedResponse();
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("candidates"u8))
            {
                ReadCandidates(ref reader, json, result, ref callCounter);
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                result.Usage = GeminiJson.ReadUsage(ref reader) ?? result.Usage;
            }
            else if (reader.ValueTextEquals("modelVersion"u8))
            {
                result.ModelVersion = Utf8JsonHelpers.ReadStringCached(ref reader, cachedModel);
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                result.ResponseId = Utf8JsonHelpers.ReadStringCached(ref reader, cachedId);
            }
            else if (reader.ValueTextEquals("promptFeedback"u8))
            {
                ReadPromptFeedback(ref reader, result);
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

    /// <summary>Creates the id of a tool call that came without one (Gemini's calls usually have none).</summary>
    public static string GeneratedCallId(int position) => "call_" + position.ToString(CultureInfo.InvariantCulture);

    private static void ReadCandidates(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ParsedResponse result, ref int callCounter)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        int position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                position++;
                continue;
            }

            // We ask for one candidate; should several come, the first is kept and the others are read past.
            bool keep = !result.HasCandidates;
            var target = keep ? result : new ParsedResponse();
            int counter = callCounter;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("content"u8))
                {
                    ReadContent(ref reader, json, target, ref counter);
                }
                else if (reader.ValueTextEquals("finishReason"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        target.RawFinishReason = reader.GetString();
                    }

                    target.FinishReason = GeminiJson.MapFinishReason(ref reader);
                }
                else if (reader.ValueTextEquals("finishMessage"u8))
                {
                    target.FinishMessage = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("safetyRatings"u8))
                {
                    target.SafetyCategories = ReadSafetyRatings(ref reader);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            if (keep)
            {
                result.HasCandidates = true;
                callCounter = counter;
            }

            position++;
        }
    }

    private static void ReadContent(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ParsedResponse result, ref int callCounter)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("parts"u8))
            {
                ReadParts(ref reader, json, result, ref callCounter);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    private static void ReadParts(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ParsedResponse result, ref int callCounter)
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

            string? text = null, signature = null, callName = null, callId = null, callArgs = null;
            bool thought = false, isCall = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8))
                {
                    text = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("thought"u8))
                {
                    thought = Utf8JsonHelpers.ReadBoolean(ref reader);
                }
                else if (reader.ValueTextEquals("thoughtSignature"u8))
                {
                    signature = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("functionCall"u8))
                {
                    isCall = ReadFunctionCall(ref reader, json, ref callName, ref callId, ref callArgs);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            if (isCall)
            {
                string id = string.IsNullOrEmpty(callId) ? GeneratedCallId(callCounter) : callId;
                callCounter++;
                var call = ToolCallJson.CreateCall(id, callName ?? string.Empty, callArgs);
                if (!string.IsNullOrEmpty(signature))
                {
                    (call.AdditionalProperties ??= [])[GeminiProvider.ThoughtSignatureKey] = signature;
                }

                (result.Calls ??= []).Add(call);
            }
            else if (thought)
            {
                result.AppendReasoning(text);
                if (!string.IsNullOrEmpty(signature))
                {
                    result.ReasoningSignature = signature;
                }
            }
            else
            {
                result.AppendText(text);
            }
        }
    }

    // {"name":…,"args":{…},"id":…}: the arguments are an object (its raw JSON text is kept for parsing).
    private static bool ReadFunctionCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref string? name, ref string? id, ref string? args)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                name = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                id = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("args"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    args = null;
                }
                else
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    int end = (int)reader.BytesConsumed;
                    args = Encoding.UTF8.GetString(json[start..end]);
                }
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        return true;
    }

    private static void ReadPromptFeedback(ref Utf8JsonReader reader, ParsedResponse result)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("blockReason"u8))
            {
                result.BlockReason = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("blockReasonMessage"u8))
            {
                result.BlockReasonMessage = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("safetyRatings"u8))
            {
                result.BlockCategories = ReadSafetyRatings(ref reader);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    // The categories that blocked, or were rated MEDIUM or HIGH.
    private static List<string>? ReadSafetyRatings(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        List<string>? categories = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? category = null;
            bool flagged = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("category"u8))
                {
                    category = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("blocked"u8))
                {
                    flagged |= Utf8JsonHelpers.ReadBoolean(ref reader);
                }
                else if (reader.ValueTextEquals("probability"u8))
                {
                    reader.Read();
                    flagged |= reader.TokenType == JsonTokenType.String && (reader.ValueTextEquals("HIGH"u8) || reader.ValueTextEquals("MEDIUM"u8));
                    reader.Skip();
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            if (flagged && !string.IsNullOrEmpty(category))
            {
                (categories ??= []).Add(category);
            }
        }

        return categories;
    }
}
