using System;
using System.Collections.Generic;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Wire;

/// <summary>
/// The state of one streamed chat completion. <see cref="Parser"/> reads each SSE event straight from its UTF-8 bytes with
/// <see cref="Utf8JsonReader"/> and returns the update to hand to the caller (a text, reasoning or refusal delta) or
/// <see langword="null"/>; everything else (finish reason, usage, tool-call fragments, <c>[DONE]</c>, error events, broken
/// events) is recorded here for the provider's loop to act on. Only choice 0 is kept.
/// </summary>
internal sealed class OpenAIStreamState
{
    private readonly string _providerName;
    private readonly string? _cachedModel;
    private readonly List<Fragment> _fragments = [];
    private StringBuilder? _text;
    private List<string>? _filtered;

    public OpenAIStreamState(string providerName, string? cachedModel)
    {
        _providerName = providerName;
        _cachedModel = cachedModel;
        Parser = ParseEvent;
    }

    /// <summary>Gets the item parser handed to <see cref="SseStreamReader"/>.</summary>
    public SseItemParser<ChatStreamUpdate?> Parser { get; }

    /// <summary>Gets the response id (the first non-empty one).</summary>
    public string? Id { get; private set; }

    /// <summary>Gets the model that answered (the first non-empty one).</summary>
    public string? Model { get; private set; }

    /// <summary>Gets the finish reason of choice 0, once one arrived.</summary>
    public ChatFinishReason? FinishReason { get; private set; }

    /// <summary>Gets a value indicating whether a finish reason arrived (a stream may then end without <c>[DONE]</c>).</summary>
    public bool HasFinished { get; private set; }

    /// <summary>Gets the content-filter categories marked <c>filtered</c> for choice 0 (Azure OpenAI), or <see langword="null"/>.</summary>
    public IReadOnlyList<string>? FilteredCategories => _filtered;

    /// <summary>Gets the usage (the last one sent: some servers send it in every chunk).</summary>
    public UsageDetails? Usage { get; private set; }

    /// <summary>Gets the call's cost in USD the service reported with the usage (OpenRouter <c>usage.cost</c>; the last one sent).</summary>
    public decimal? Cost { get; private set; }

    /// <summary>Gets or sets the catalog model the call is priced by when it is not the model that answered (Azure deployments), or <see langword="null"/>.</summary>
    public string? PricedModel { get; init; }

    /// <summary>Gets a value indicating whether <c>data: [DONE]</c> arrived.</summary>
    public bool Done { get; private set; }

    /// <summary>Gets the number of non-empty data events seen.</summary>
    public int Events { get; private set; }

    /// <summary>Gets the number of updates returned to the caller.</summary>
    public int Updates { get; private set; }

    /// <summary>Gets the failure to parse the latest event; whether it is a broken stream or a cut-off last event depends on what follows.</summary>
    public Exception? PendingMalformed { get; private set; }

    /// <summary>Gets a value indicating whether another event followed a broken one (so the stream itself is malformed).</summary>
    public bool MalformedConfirmed { get; private set; }

    /// <summary>Gets a value indicating whether an event was not valid UTF-8.</summary>
    public bool InvalidUtf8 { get; private set; }

    /// <summary>Gets the text of an error event (<c>data: {"error":…}</c>), if one arrived.</summary>
    public string? ErrorEvent { get; private set; }

    /// <summary>Gets the tool-call fragments assembled so far.</summary>
    public ToolCallAccumulator? ToolCalls { get; private set; }

    /// <summary>Gets a value indicating whether the loop must stop and throw.</summary>
    public bool Failed => MalformedConfirmed || InvalidUtf8 || ErrorEvent is not null;

    /// <summary>Gets the text streamed so far.</summary>
    public string PartialText => _text?.ToString() ?? string.Empty;

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
        if (data.SequenceEqual("[DONE]"u8))
        {
            Done = true;
            return null;
        }

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
            return ParseChunk(data);
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

    private ChatStreamUpdate? ParseChunk(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The event is not a JSON object.");
        }

        var delta = default(Delta);
        bool isError = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                ReadChoices(ref reader, data, ref delta);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                if (OpenAIJson.ReadUsage(ref reader, out var cost) is { } usage)
                {
                    Usage = usage;
                    Cost = cost ?? Cost;
                }
            }
            else if (reader.ValueTextEquals("id"u8) && string.IsNullOrEmpty(Id))
            {
                // Azure's prompt-filter and content-filter chunks carry "id":"" and "model":"": never recorded.
                Id = Utf8JsonHelpers.ReadString(ref reader) is { Length: > 0 } id ? id : null;
            }
            else if (reader.ValueTextEquals("model"u8) && string.IsNullOrEmpty(Model))
            {
                Model = Utf8JsonHelpers.ReadStringCached(ref reader, _cachedModel) is { Length: > 0 } model ? model : null;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                isError |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                // The flat error envelope (Mistral, legacy vLLM): {"object":"error","message":…,"type":…,"code":…}.
                reader.Read();
                isError |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("error"u8);
                reader.Skip();
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);

        if (isError)
        {
            ErrorEvent = Encoding.UTF8.GetString(data);
            return null;
        }

        if (delta.Kept)
        {
            for (int i = 0; i < _fragments.Count; i++)
            {
                var f = _fragments[i];
                (ToolCalls ??= new ToolCallAccumulator()).Append(f.Index, f.Id, f.Name, f.Arguments);
            }

            if (delta.FinishReason is { } finish)
            {
                FinishReason = finish;
            }

            HasFinished |= delta.Finished;
            if (delta.FilteredCategories is { } categories)
            {
                // Azure OpenAI's content-filter annotations, also those arriving after the finish chunk.
                for (int i = 0; i < categories.Count; i++)
                {
                    if (_filtered is null || !_filtered.Contains(categories[i]))
                    {
                        (_filtered ??= []).Add(categories[i]);
                    }
                }
            }
        }

        _fragments.Clear();
        if (!delta.Kept || (string.IsNullOrEmpty(delta.Text) && string.IsNullOrEmpty(delta.Reasoning) && string.IsNullOrEmpty(delta.Refusal)))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(delta.Text))
        {
            (_text ??= new StringBuilder()).Append(delta.Text);
        }

        Updates++;
        return new ChatStreamUpdate
        {
            Text = string.IsNullOrEmpty(delta.Text) ? null : delta.Text,
            ReasoningText = string.IsNullOrEmpty(delta.Reasoning) ? null : delta.Reasoning,
            Refusal = string.IsNullOrEmpty(delta.Refusal) ? null : delta.Refusal,
            ProviderName = _providerName,
            ResponseId = Id,
            Model = Model,
        };
    }

    private void ReadChoices(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref Delta kept)
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

            var choice = default(Delta);
            int fragmentsBefore = _fragments.Count;
            long? index = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
                {
                    ReadDelta(ref reader, data, ref choice);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    choice.FinishReason = OpenAIJson.MapFinishReason(ref reader);
                    choice.Finished = choice.FinishReason is not null;
                }
                else if (reader.ValueTextEquals("index"u8))
                {
                    index = Utf8JsonHelpers.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("content_filter_results"u8))
                {
                    OpenAIContentFilter.ReadFilteredCategories(ref reader, ref choice.FilteredCategories);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            if (!kept.Kept && (index ?? position) == 0)
            {
                choice.Kept = true;
                kept = choice;
            }
            else
            {
                // Another choice (n > 1): drop its tool-call fragments.
                _fragments.RemoveRange(fragmentsBefore, _fragments.Count - fragmentsBefore);
            }

            position++;
        }
    }

    private void ReadDelta(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref Delta delta)
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
                // A string, or an array of blocks whose "thinking" ones are reasoning (Mistral magistral).
                delta.Text = OpenAIChatResponseParser.ReadContent(ref reader, out string? thinking);
                if (thinking is not null)
                {
                    delta.Reasoning = delta.Reasoning is null ? thinking : delta.Reasoning + thinking;
                }
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                delta.Reasoning ??= Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                delta.Refusal = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                ReadToolCallFragments(ref reader, data);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }

    private void ReadToolCallFragments(ref Utf8JsonReader reader, ReadOnlySpan<byte> data)
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

            var fragment = default(Fragment);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    var index = Utf8JsonHelpers.ReadInt64(ref reader);
                    fragment.Index = index is >= 0 and <= int.MaxValue ? (int)index.Value : null;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    fragment.Id = Utf8JsonHelpers.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    OpenAIChatResponseParser.ReadFunction(ref reader, data, ref fragment.Name, ref fragment.Arguments);
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            _fragments.Add(fragment);
        }
    }

    private struct Delta
    {
        public bool Kept;
        public bool Finished;
        public string? Text;
        public string? Reasoning;
        public string? Refusal;
        public ChatFinishReason? FinishReason;
        public List<string>? FilteredCategories;
    }

    private struct Fragment
    {
        public int? Index;
        public string? Id;
        public string? Name;
        public string? Arguments;
    }
}
