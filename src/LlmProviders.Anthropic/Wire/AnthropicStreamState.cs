using System;
using System.Collections.Generic;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Anthropic.Wire;

/// <summary>
/// The state of one streamed Messages response. <see cref="Parser"/> reads each SSE event straight from its UTF-8 bytes with
/// <see cref="Utf8JsonReader"/> and returns the update to hand to the caller (a text, reasoning, signature or refusal delta)
/// or <see langword="null"/>; the rest is recorded here. Usage: input and cache counts from <c>message_start</c>, then every
/// count a <c>message_delta</c> carries replaces the earlier one (they are cumulative: never summed; a changed
/// <c>input_tokens</c> there wins), reported once on the final update. Tool input is the concatenated <c>partial_json</c>
/// (nothing, or only <c>""</c>, is <c>{}</c>); a tool block that never stopped (cut by <c>max_tokens</c>) is flagged incomplete.
/// <c>ping</c> and unknown events are ignored; <c>event: error</c> is recorded for the provider to throw.
/// </summary>
internal sealed class AnthropicStreamState
{
    private readonly string _providerName;
    private readonly string? _cachedModel;
    private readonly List<ToolBlock> _tools = [];
    private StringBuilder? _text;
    private AnthropicUsage _usage;

    public AnthropicStreamState(string providerName, string? cachedModel)
    {
        _providerName = providerName;
        _cachedModel = cachedModel;
        Parser = ParseEvent;
    }

    private enum EventType
    {
        Unknown,
        MessageStart,
        ContentBlockStart,
        ContentBlockDelta,
        ContentBlockStop,
        MessageDelta,
        MessageStop,
        Ping,
        Error,
    }

    private enum DeltaType
    {
        Unknown,
        Text,
        Thinking,
        Signature,
        InputJson,
    }

    /// <summary>Gets the item parser handed to <see cref="SseStreamReader"/>.</summary>
    public SseItemParser<ChatStreamUpdate?> Parser { get; }

    /// <summary>Gets the message id.</summary>
    public string? Id { get; private set; }

    /// <summary>Gets the model that answered.</summary>
    public string? Model { get; private set; }

    /// <summary>Gets the mapped stop reason.</summary>
    public ChatFinishReason? FinishReason { get; private set; }

    /// <summary>Gets a value indicating whether a <c>message_delta</c> carried a stop reason.</summary>
    public bool HasFinished { get; private set; }

    /// <summary>Gets a value indicating whether <c>message_stop</c> arrived.</summary>
    public bool Done { get; private set; }

    /// <summary>Gets the number of non-empty events seen.</summary>
    public int Events { get; private set; }

    /// <summary>Gets the number of updates returned to the caller.</summary>
    public int Updates { get; private set; }

    /// <summary>Gets the failure to parse the latest event.</summary>
    public Exception? PendingMalformed { get; private set; }

    /// <summary>Gets a value indicating whether another event followed a broken one.</summary>
    public bool MalformedConfirmed { get; private set; }

    /// <summary>Gets a value indicating whether an event was not valid UTF-8.</summary>
    public bool InvalidUtf8 { get; private set; }

    /// <summary>Gets the data of an <c>error</c> event, if one arrived.</summary>
    public string? ErrorEvent { get; private set; }

    /// <summary>Gets a value indicating whether the loop must stop and throw.</summary>
    public bool Failed => MalformedConfirmed || InvalidUtf8 || ErrorEvent is not null;

    /// <summary>Gets the text streamed so far.</summary>
    public string PartialText => _text?.ToString() ?? string.Empty;

    /// <summary>Gets the usage (see the class remarks), or <see langword="null"/> when none was reported.</summary>
    public UsageDetails? Usage => _usage.ToUsageDetails();

    /// <summary>Gets a value indicating whether any tool call started.</summary>
    public bool HasToolCalls => _tools.Count > 0;

    /// <summary>Builds the tool calls, in the order their blocks started.</summary>
    public IReadOnlyList<FunctionCallContent> CompleteToolCalls()
    {
        var calls = new FunctionCallContent[_tools.Count];
        for (int i = 0; i < _tools.Count; i++)
        {
            var t = _tools[i];
            string id = string.IsNullOrEmpty(t.Id) ? "toolu_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : t.Id;
            string name = t.Name ?? string.Empty;
            string? json = t.Json.Length > 0 ? t.Json.ToString() : t.InitialInput;
            if (!t.Stopped)
            {
                calls[i] = AnthropicToolCalls.Incomplete(id, name, json);
                continue;
            }

            var call = ToolCallJson.CreateCall(id, name, json);
            calls[i] = call.Exception is not null && FinishReason == ChatFinishReason.Length ? AnthropicToolCalls.Incomplete(id, name, json) : call;
        }

        return calls;
    }

    private ChatStreamUpdate? ParseEvent(string eventType, ReadOnlySpan<byte> data)
    {
        if (Failed || Done)
        {
            return null;
        }

        if (PendingMalformed is not null)
        {
            MalformedConfirmed = true;
            return null;
        }

        data = data.Trim(" \t\r\n"u8);
        if (data.IsEmpty)
        {
            return null;
        }

        Events++;
        if (!Utf8.IsValid(data))
        {
            InvalidUtf8 = true;
            return null;
        }

        if (string.Equals(eventType, "error", StringComparison.Ordinal))
        {
            ErrorEvent = Encoding.UTF8.GetString(data);
            return null;
        }

        try
        {
            return ParseData(data, eventType);
        }
        catch (JsonException ex)
        {
            PendingMalformed = ex;
            return null;
        }
        catch (InvalidOperationException ex)
        {
            PendingMalformed = ex;
            return null;
        }
    }

    private ChatStreamUpdate? ParseData(ReadOnlySpan<byte> data, string eventType)
    {
        var reader = new Utf8JsonReader(data, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The event is not a JSON object.");
        }

        var e = default(Event);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                e.Type = reader.TokenType == JsonTokenType.String ? TypeOf(ref reader) : EventType.Unknown;
                e.HasType = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                var index = Utf8JsonHelpers.ReadInt64(ref reader);
                e.Index = index is >= 0 and <= int.MaxValue ? (int)index.Value : -1;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                ReadDelta(ref reader, ref e);
            }
            else if (reader.ValueTextEquals("content_block"u8))
            {
                ReadBlock(ref reader, data, ref e);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                e.Usage = AnthropicJson.ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                ReadMessage(ref reader, ref e);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                e.IsError |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
                reader.Skip();
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);

        if (!e.HasType)
        {
            e.Type = TypeOf(eventType);
        }

        if (e.IsError || e.Type == EventType.Error)
        {
            ErrorEvent = Encoding.UTF8.GetString(data);
            return null;
        }

        switch (e.Type)
        {
            case EventType.MessageStart:
                Id ??= e.Id;
                Model ??= e.Model;
                _usage.Merge(e.Usage);
                return null;

            case EventType.ContentBlockStart:
                return BlockStarted(ref e);

            case EventType.ContentBlockDelta:
                return Delta(ref e);

            case EventType.ContentBlockStop:
                foreach (var tool in _tools)
                {
                    if (tool.Index == e.Index)
                    {
                        tool.Stopped = true;
                    }
                }

                return null;

            case EventType.MessageDelta:
                _usage.Merge(e.Usage);
                if (e.HasStopReason)
                {
                    FinishReason = e.StopReason;
                    HasFinished = true;
                }

                if (e.Refusal && !string.IsNullOrEmpty(e.Explanation))
                {
                    return Update(new ChatStreamUpdate { Refusal = e.Explanation });
                }

                return null;

            case EventType.MessageStop:
                Done = true;
                return null;

            default:
                // ping, and event types added later.
                return null;
        }
    }

    private ChatStreamUpdate? BlockStarted(ref Event e)
    {
        switch (e.BlockType)
        {
            case "tool_use":
                _tools.Add(new ToolBlock(e.Index) { Id = e.Id, Name = e.Name, InitialInput = IsEmptyObject(e.Input) ? null : e.Input });
                return null;
            case "text" when !string.IsNullOrEmpty(e.Text):
                (_text ??= new StringBuilder()).Append(e.Text);
                return Update(new ChatStreamUpdate { Text = e.Text });
            case "thinking" when !string.IsNullOrEmpty(e.Text) || !string.IsNullOrEmpty(e.Signature):
                return Update(new ChatStreamUpdate
                {
                    ReasoningText = string.IsNullOrEmpty(e.Text) ? null : e.Text,
                    ReasoningProtectedData = string.IsNullOrEmpty(e.Signature) ? null : e.Signature,
                });
            case "redacted_thinking":
                return Update(new ChatStreamUpdate
                {
                    ReasoningProtectedData = e.Signature,
                    AdditionalProperties = new AdditionalPropertiesDictionary { [AnthropicRequestWriter.RedactedThinkingProperty] = true },
                });
            default:
                return null;
        }
    }

    private ChatStreamUpdate? Delta(ref Event e)
    {
        switch (e.DeltaType)
        {
            case DeltaType.Text when !string.IsNullOrEmpty(e.Text):
                (_text ??= new StringBuilder()).Append(e.Text);
                return Update(new ChatStreamUpdate { Text = e.Text });
            case DeltaType.Thinking when !string.IsNullOrEmpty(e.Text):
                return Update(new ChatStreamUpdate { ReasoningText = e.Text });
            case DeltaType.Signature when !string.IsNullOrEmpty(e.Signature):
                return Update(new ChatStreamUpdate { ReasoningProtectedData = e.Signature });
            case DeltaType.InputJson:
                ToolBlock? block = null;
                foreach (var tool in _tools)
                {
                    if (tool.Index == e.Index)
                    {
                        block = tool;
                    }
                }

                if (block is null)
                {
                    block = new ToolBlock(e.Index);
                    _tools.Add(block);
                }

                block.Json.Append(e.Text);
                return null;
            default:
                return null;
        }
    }

    private ChatStreamUpdate Update(ChatStreamUpdate update)
    {
        Updates++;
        update.ProviderName = _providerName;
        update.ResponseId = Id;
        update.Model = Model;
        return update;
    }

    private void ReadMessage(ref Utf8JsonReader reader, ref Event e)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                e.Id = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                e.Model = Utf8JsonHelpers.ReadStringCached(ref reader, _cachedModel);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                e.Usage = AnthropicJson.ReadUsage(ref reader);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    private static void ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref Event e)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                e.BlockType = reader.TokenType != JsonTokenType.String ? null
                    : reader.ValueTextEquals("tool_use"u8) ? "tool_use"
                    : reader.ValueTextEquals("text"u8) ? "text"
                    : reader.ValueTextEquals("thinking"u8) ? "thinking"
                    : reader.ValueTextEquals("redacted_thinking"u8) ? "redacted_thinking"
                    : "other";
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                e.Id = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                e.Name = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8))
            {
                e.Text = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("signature"u8) || reader.ValueTextEquals("data"u8))
            {
                e.Signature = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                e.Input = AnthropicJson.ReadRawValue(ref reader, data);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    private static void ReadDelta(ref Utf8JsonReader reader, ref Event e)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                e.DeltaType = reader.TokenType != JsonTokenType.String ? DeltaType.Unknown
                    : reader.ValueTextEquals("text_delta"u8) ? DeltaType.Text
                    : reader.ValueTextEquals("input_json_delta"u8) ? DeltaType.InputJson
                    : reader.ValueTextEquals("thinking_delta"u8) ? DeltaType.Thinking
                    : reader.ValueTextEquals("signature_delta"u8) ? DeltaType.Signature
                    : DeltaType.Unknown;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("partial_json"u8))
            {
                e.Text = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                e.Signature = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    e.StopReason = AnthropicJson.MapStopReason(ref reader, out e.Refusal);
                    e.HasStopReason = e.StopReason is not null;
                }
            }
            else if (reader.ValueTextEquals("stop_details"u8))
            {
                e.Explanation = AnthropicJson.ReadStopExplanation(ref reader);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    private static EventType TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("content_block_delta"u8) ? EventType.ContentBlockDelta
        : reader.ValueTextEquals("content_block_start"u8) ? EventType.ContentBlockStart
        : reader.ValueTextEquals("content_block_stop"u8) ? EventType.ContentBlockStop
        : reader.ValueTextEquals("message_start"u8) ? EventType.MessageStart
        : reader.ValueTextEquals("message_delta"u8) ? EventType.MessageDelta
        : reader.ValueTextEquals("message_stop"u8) ? EventType.MessageStop
        : reader.ValueTextEquals("ping"u8) ? EventType.Ping
        : reader.ValueTextEquals("error"u8) ? EventType.Error
        : EventType.Unknown;

    private static EventType TypeOf(string eventType) => eventType switch
    {
        "content_block_delta" => EventType.ContentBlockDelta,
        "content_block_start" => EventType.ContentBlockStart,
        "content_block_stop" => EventType.ContentBlockStop,
        "message_start" => EventType.MessageStart,
        "message_delta" => EventType.MessageDelta,
        "message_stop" => EventType.MessageStop,
        "ping" => EventType.Ping,
        "error" => EventType.Error,
        _ => EventType.Unknown,
    };

    private static bool IsEmptyObject(string? json) =>
        string.IsNullOrWhiteSpace(json) || json.AsSpan().Trim().SequenceEqual("{}") || json.AsSpan().Trim().SequenceEqual("null");

    private struct Event
    {
        public EventType Type;
        public bool HasType;
        public int Index;
        public string? Id;
        public string? Model;
        public string? Name;
        public string? BlockType;
        public DeltaType DeltaType;
        public string? Text;
        public string? Signature;
        public string? Input;
        public ChatFinishReason? StopReason;
        public bool HasStopReason;
        public bool Refusal;
        public string? Explanation;
        public AnthropicUsage Usage;
        public bool IsError;
    }

    private sealed class ToolBlock(int index)
    {
        public int Index { get; } = index;

        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? InitialInput { get; set; }

        public bool Stopped { get; set; }

        public StringBuilder Json { get; } = new();
    }
}
