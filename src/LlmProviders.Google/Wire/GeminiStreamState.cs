using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Wire;

/// <summary>
/// The state of one streamed <c>streamGenerateContent?alt=sse</c> answer. Each event is a whole <c>GenerateContentResponse</c>
/// read straight from its UTF-8 bytes; <see cref="OnEvent"/> returns the update to hand to the caller (a text or thought delta)
/// or <see langword="null"/>. The usage is cumulative in every chunk (the last one is kept, never summed); function calls
/// arrive whole and are collected for the final update; the finish reason arrives on the last chunk. There is no
/// <c>[DONE]</c>: the stream is complete at the end of the body once a finish reason arrived.
/// </summary>
internal sealed class GeminiStreamState
{
    private readonly string _providerName;
    private readonly string? _cachedModel;
    private StringBuilder? _text;
    private int _callCounter;

    public GeminiStreamState(string providerName, string? cachedModel)
    {
        _providerName = providerName;
        _cachedModel = cachedModel;
    }

    /// <summary>Gets the response id (the first non-empty one).</summary>
    public string? Id { get; private set; }

    /// <summary>Gets the model version that answered (the first non-empty one).</summary>
    public string? Model { get; private set; }

    /// <summary>Gets the mapped finish reason, once one arrived.</summary>
    public ChatFinishReason? FinishReason { get; private set; }

    /// <summary>Gets the raw finish reason.</summary>
    public string? RawFinishReason { get; private set; }

    /// <summary>Gets the safety categories flagged on the candidate.</summary>
    public List<string>? SafetyCategories { get; private set; }

    /// <summary>Gets a value indicating whether a finish reason arrived (the stream may then end).</summary>
    public bool HasFinished { get; private set; }

    /// <summary>Gets the usage (the last one sent: it is cumulative).</summary>
    public UsageDetails? Usage { get; private set; }

    /// <summary>Gets the tool calls collected so far.</summary>
    public List<FunctionCallContent>? ToolCalls { get; private set; }

    /// <summary>Gets the block reason of a blocked prompt (<c>promptFeedback.blockReason</c> with no candidates).</summary>
    public string? BlockReason { get; private set; }

    /// <summary>Gets the safety categories flagged on a blocked prompt.</summary>
    public List<string>? BlockCategories { get; private set; }

    /// <summary>Gets the number of non-empty events seen.</summary>
    public int Events { get; private set; }

    /// <summary>Gets the number of updates returned to the caller.</summary>
    public int Updates { get; private set; }

    /// <summary>Gets the failure to parse the latest event; whether it is a broken stream or a cut-off last event depends on what follows.</summary>
    public Exception? PendingMalformed { get; private set; }

    /// <summary>Gets a value indicating whether another event followed a broken one (so the stream itself is malformed).</summary>
    public bool MalformedConfirmed { get; private set; }

    /// <summary>Gets a value indicating whether an event was not valid UTF-8.</summary>
    public bool InvalidUtf8 { get; private set; }

    /// <summary>Gets the text of an error (a <c>data:</c> event with <c>error</c>, or raw JSON error text), if one arrived.</summary>
    public string? ErrorEvent { get; private set; }

    /// <summary>Gets raw text outside the SSE framing that is not an error object.</summary>
    public string? UnframedText { get; private set; }

    /// <summary>Gets a value indicating whether the loop must stop and throw.</summary>
    public bool Failed => MalformedConfirmed || InvalidUtf8 || ErrorEvent is not null || UnframedText is not null || BlockReason is not null;

    /// <summary>Gets the text streamed so far.</summary>
    public string PartialText => _text?.ToString() ?? string.Empty;

    /// <summary>Handles text outside the SSE framing: an error object, or text that makes the stream malformed.</summary>
    /// <returns>Always <see langword="null"/>: such text is never an update.</returns>
    public ChatStreamUpdate? OnRaw(ReadOnlySpan<byte> raw)
    {
        if (!Utf8.IsValid(raw))
        {
            InvalidUtf8 = true;
            return null;
        }

        Events++;
        if (GeminiErrorParser.Parse(raw, System.Net.HttpStatusCode.OK) is not null)
        {
            ErrorEvent = Encoding.UTF8.GetString(raw);
        }
        else
        {
            UnframedText = Encoding.UTF8.GetString(raw[..Math.Min(raw.Length, 4096)]);
        }

        return null;
    }

    /// <summary>Handles one event's data.</summary>
    public ChatStreamUpdate? OnEvent(ReadOnlySpan<byte> data)
    {
        if (Failed)
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

        ParsedResponse chunk;
        try
        {
            chunk = GeminiResponseParser.Parse(data, Model ?? _cachedModel, ref _callCounter, Id);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            PendingMalformed = ex;
            return null;
        }

        if (chunk.HasError)
        {
            ErrorEvent = Encoding.UTF8.GetString(data);
            return null;
        }

        if (string.IsNullOrEmpty(Id) && !string.IsNullOrEmpty(chunk.ResponseId))
        {
            Id = chunk.ResponseId;
        }

        if (string.IsNullOrEmpty(Model) && !string.IsNullOrEmpty(chunk.ModelVersion))
        {
            Model = chunk.ModelVersion;
        }

        if (chunk.Usage is { } usage)
        {
            Usage = usage;
        }

        if (!chunk.HasCandidates && chunk.BlockReason is { Length: > 0 } blocked)
        {
            BlockReason = blocked;
            BlockCategories = chunk.BlockCategories;
            return null;
        }

        if (chunk.Calls is { } calls)
        {
            (ToolCalls ??= []).AddRange(calls);
        }

        if (chunk.SafetyCategories is { } categories)
        {
            SafetyCategories = categories;
        }

        if (chunk.RawFinishReason is { Length: > 0 } raw)
        {
            RawFinishReason = raw;
            FinishReason = chunk.FinishReason;
            HasFinished = true;
        }

        string? text = chunk.Text;
        string? reasoning = chunk.Reasoning;
        if (string.IsNullOrEmpty(text) && string.IsNullOrEmpty(reasoning))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(text))
        {
            (_text ??= new StringBuilder()).Append(text);
        }

        Updates++;
        return new ChatStreamUpdate
        {
            Text = string.IsNullOrEmpty(text) ? null : text,
            ReasoningText = string.IsNullOrEmpty(reasoning) ? null : reasoning,
            ReasoningProtectedData = chunk.ReasoningSignature,
            ProviderName = _providerName,
            ResponseId = Id,
            Model = Model,
        };
    }
}
