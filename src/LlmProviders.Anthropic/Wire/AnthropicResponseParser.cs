using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Anthropic.Wire;

/// <summary>What a non-streamed Messages response says.</summary>
internal struct ParsedMessage
{
    public string? Id;
    public string? Model;
    public List<AIContent>? Contents;
    public ChatFinishReason? FinishReason;
    public bool IsRefusal;
    public string? RefusalExplanation;
    public AnthropicUsage Usage;
    public bool HasError;
    public bool HasContent;
}

/// <summary>
/// Reads a Messages response (<c>{"id","type":"message","role","model","content":[…],"stop_reason","usage"}</c>) with
/// <see cref="Utf8JsonReader"/> straight from its UTF-8 bytes: blocks <c>text</c>, <c>thinking</c> (signature kept as
/// <see cref="TextReasoningContent.ProtectedData"/>), <c>redacted_thinking</c> (kept opaquely), <c>tool_use</c>; server-tool
/// blocks and unknown fields are skipped. Throws <see cref="JsonException"/> for a body that is not such an object.
/// </summary>
internal static class AnthropicResponseParser
{
    public static ParsedMessage Parse(ReadOnlySpan<byte> json, string? cachedModel)
    {
        var result = default(ParsedMessage);
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        bool lastIsTool = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                result.HasContent = true;
                result.Contents = ReadContent(ref reader, json, out lastIsTool);
            }
            else if (reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                result.FinishReason = AnthropicJson.MapStopReason(ref reader, out result.IsRefusal);
            }
            else if (reader.ValueTextEquals("stop_details"u8))
            {
                result.RefusalExplanation = AnthropicJson.ReadStopExplanation(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                result.Usage = AnthropicJson.ReadUsage(ref reader);
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

        // A tool call cut off by max_tokens is flagged, not run.
        if (lastIsTool && result.FinishReason == ChatFinishReason.Length && result.Contents is { Count: > 0 } contents &&
            contents[^1] is FunctionCallContent cut)
        {
            contents[^1] = AnthropicToolCalls.Incomplete(cut.CallId, cut.Name, cut.Arguments is null ? null : ToolCallJson.SerializeArguments(cut.Arguments));
        }

        return result;
    }

    private static List<AIContent> ReadContent(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out bool lastIsTool)
    {
        lastIsTool = false;
        var contents = new List<AIContent>(2);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return contents;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var block = default(Block);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    block.Type = reader.TokenType != JsonTokenType.String ? BlockType.Other
                        : reader.ValueTextEquals("text"u8) ? BlockType.Text
                        : reader.ValueTextEquals("tool_use"u8) ? BlockType.ToolUse
                        : reader.ValueTextEquals("thinking"u8) ? BlockType.Thinking
                        : reader.ValueTextEquals("redacted_thinking"u8) ? BlockType.RedactedThinking
                        : BlockType.Other;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8))
                {
                    block.Text = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("signature"u8) || reader.ValueTextEquals("data"u8))
                {
                    block.Signature = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    block.Id = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    block.Name = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("input"u8))
                {
                    block.Input = AnthropicJson.ReadRawValue(ref reader, json);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            lastIsTool = false;
            switch (block.Type)
            {
                case BlockType.Text when !string.IsNullOrEmpty(block.Text):
                    if (contents.Count > 0 && contents[^1] is TextContent previous && previous.AdditionalProperties is null)
                    {
                        // Adjacent text blocks (e.g. split by citations) read as one text.
                        previous.Text += block.Text;
                    }
                    else
                    {
                        contents.Add(new TextContent(block.Text));
                    }

                    break;
                case BlockType.Thinking:
                    contents.Add(new TextReasoningContent(block.Text) { ProtectedData = string.IsNullOrEmpty(block.Signature) ? null : block.Signature });
                    break;
                case BlockType.RedactedThinking:
                    contents.Add(RedactedThinking(block.Signature));
                    break;
                case BlockType.ToolUse:
                    string id = string.IsNullOrEmpty(block.Id) ? "toolu_" + contents.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : block.Id;
                    contents.Add(ToolCallJson.CreateCall(id, block.Name ?? string.Empty, block.Input));
                    lastIsTool = true;
                    break;
                default:
                    break;
            }
        }

        return contents;
    }

    /// <summary>Creates the opaque content of a <c>redacted_thinking</c> block (sent back as it came).</summary>
    public static TextReasoningContent RedactedThinking(string? data) =>
        new(string.Empty)
        {
            ProtectedData = data,
            AdditionalProperties = new AdditionalPropertiesDictionary { [AnthropicRequestWriter.RedactedThinkingProperty] = true },
        };

    private enum BlockType
    {
        Other,
        Text,
        ToolUse,
        Thinking,
        RedactedThinking,
    }

    private struct Block
    {
        public BlockType Type;
        public string? Text;
        public string? Signature;
        public string? Id;
        public string? Name;
        public string? Input;
    }
}
