using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Wire;

/// <summary>
/// The state of one NDJSON stream: parses each line (<see cref="Parser"/>, handed to <see cref="NdjsonStreamReader"/>) into the
/// update it carries, and keeps what the final update needs (the <c>done</c> object, the whole tool calls, the partial text).
/// A line that is not JSON is kept pending: followed by another line it is a malformed stream, last in the body it is a cut.
/// </summary>
internal sealed class OllamaStreamState
{
    private readonly string _providerName;
    private string? _textSingle;
    private StringBuilder? _textBuilder;
    private List<FunctionCallContent>? _toolCalls;

    public OllamaStreamState(string providerName, string? lastModel)
    {
        _providerName = providerName;
        Model = lastModel;
        Parser = Parse;
    }

    public NdjsonLineParser<ChatStreamUpdate?> Parser { get; }

    public string? Model { get; private set; }

    public int Lines { get; private set; }

    public int Updates { get; private set; }

    public bool Done { get; private set; }

    public bool Failed { get; private set; }

    public bool InvalidUtf8 { get; private set; }

    public JsonException? PendingMalformed { get; private set; }

    public string? ErrorMessage { get; private set; }

    public string? ErrorLine { get; private set; }

    public OllamaChunk Final { get; private set; }

    public IReadOnlyList<FunctionCallContent>? ToolCalls => _toolCalls;

    public string? PartialText => TextPieces.Collected(_textSingle, _textBuilder);

    private ChatStreamUpdate? Parse(ReadOnlySpan<byte> line)
    {
        Lines++;
        if (Failed || Done)
        {
            // Nothing after the end or a failure counts (the reader stops at the next check).
            return null;
        }

        if (PendingMalformed is not null)
        {
            // A broken line followed by another: the stream is malformed, not cut.
            Failed = true;
            return null;
        }

        if (!Utf8.IsValid(line))
        {
            InvalidUtf8 = true;
            Failed = true;
            return null;
        }

        OllamaChunk chunk;
        try
        {
            chunk = OllamaChatParser.Parse(line, Model, ref _toolCalls);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            PendingMalformed = ex as JsonException ?? new JsonException(ex.Message, ex);
            return null;
        }

        if (chunk.HasError)
        {
            ErrorMessage = chunk.Error;
            ErrorLine = OllamaErrorParser.BodyText(line);
            Failed = true;
            return null;
        }

        if (!chunk.HasMessage && !chunk.Done)
        {
            // Neither a message nor the end: not an Ollama chat line.
            PendingMalformed = new JsonException("The line is neither a chat message nor the final 'done' object.");
            return null;
        }

        if (chunk.Model is { Length: > 0 } model)
        {
            Model = model;
        }

        if (chunk.Done)
        {
            Done = true;
            Final = chunk;
        }

        if (chunk.Content is null && chunk.Thinking is null)
        {
            return null;
        }

        TextPieces.Append(ref _textSingle, ref _textBuilder, chunk.Content);
        Updates++;
        return new ChatStreamUpdate
        {
            Text = chunk.Content,
            ReasoningText = chunk.Thinking,
            ProviderName = _providerName,
            Model = Model,
        };
    }
}
