using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Wire;

/// <summary>What one <c>/api/embed</c> body is written from.</summary>
/// <param name="Request">The request.</param>
/// <param name="Model">The model.</param>
/// <param name="KeepAlive">How long the server keeps the model loaded, or <see langword="null"/> for its default.</param>
internal readonly record struct OllamaEmbeddingWriteState(EmbeddingRequest Request, string Model, TimeSpan? KeepAlive);

/// <summary>The parts of an <c>/api/embed</c> answer the library keeps.</summary>
internal struct ParsedOllamaEmbeddings
{
    public List<float[]>? Vectors;
    public string? Model;
    public long? PromptEvalCount;
    public string? Error;
    public bool HasError;
}

/// <summary>
/// Writes <c>POST /api/embed</c> (<c>{"model","input":[…],"dimensions","keep_alive"}</c>) and reads its answer
/// (<c>{"model","embeddings":[[…]],"prompt_eval_count"}</c>), by hand, without reflection.
/// </summary>
internal static class OllamaEmbeddings
{
    public static PooledJsonContent CreateContent(in OllamaEmbeddingWriteState state) =>
        PooledJsonContent.Create(state, static (writer, s) => Write(writer, s));

    public static void Write(Utf8JsonWriter writer, OllamaEmbeddingWriteState state)
    {
        var request = state.Request;
        var extra = request.AdditionalRequestFields;
        writer.WriteStartObject();
        if (Keep(extra, "model"))
        {
            writer.WriteString("model"u8, state.Model);
        }

        if (Keep(extra, "input"))
        {
            writer.WritePropertyName("input"u8);
            writer.WriteStartArray();
            var inputs = request.Inputs;
            for (int i = 0; i < inputs.Count; i++)
            {
                writer.WriteStringValue(inputs[i]);
            }

            writer.WriteEndArray();
        }

        if (request.Dimensions is { } dimensions && Keep(extra, "dimensions"))
        {
            writer.WriteNumber("dimensions"u8, dimensions);
        }

        if (state.KeepAlive is { } keepAlive && Keep(extra, "keep_alive"))
        {
            writer.WriteNumber("keep_alive"u8, keepAlive < TimeSpan.Zero ? -1 : (long)Math.Ceiling(keepAlive.TotalSeconds));
        }

        if (extra is not null)
        {
            foreach (var field in extra)
            {
                if (field.Value.ValueKind != JsonValueKind.Undefined)
                {
                    writer.WritePropertyName(field.Key);
                    field.Value.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads an <c>/api/embed</c> answer.</summary>
    /// <param name="json">The body (BOM stripped).</param>
    /// <returns>The vectors in input order, the model, the prompt token count, or the error text.</returns>
    /// <exception cref="JsonException">The body is not an embeddings answer.</exception>
    public static ParsedOllamaEmbeddings Parse(ReadOnlySpan<byte> json)
    {
        var parsed = new ParsedOllamaEmbeddings();
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("embeddings"u8))
            {
                if (parsed.Vectors is not null)
                {
                    throw new JsonException("The answer has 'embeddings' twice.");
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException($"'embeddings' is a {reader.TokenType}, not an array.");
                }

                var vectors = new List<float[]>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    vectors.Add(EmbeddingWire.ReadVector(ref reader));
                }

                parsed.Vectors = vectors;
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                parsed.Model = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_eval_count"u8))
            {
                parsed.PromptEvalCount = Utf8JsonHelpers.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                parsed.HasError |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
                if (reader.TokenType == JsonTokenType.String)
                {
                    parsed.Error = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        Utf8JsonHelpers.EnsureEndOfDocument(ref reader);
        return parsed;
    }

    /// <summary>The usage of an answer: input = <c>prompt_eval_count</c>; none when the server sent none.</summary>
    public static UsageDetails? CreateUsage(in ParsedOllamaEmbeddings parsed) => parsed.PromptEvalCount is { } count
        ? new UsageDetails { InputTokenCount = count, TotalTokenCount = count }
        : null;

    private static bool Keep(IDictionary<string, JsonElement>? extra, string name) => extra is null || !extra.ContainsKey(name);
}
