using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Wire;

/// <summary>What one embeddings request body is written from.</summary>
/// <param name="Request">The request.</param>
/// <param name="ModelPath">The model's resource name (<c>models/gemini-embedding-001</c>).</param>
/// <param name="Batch">Whether the body is a <c>batchEmbedContents</c> body (several inputs) rather than an <c>embedContent</c> one.</param>
/// <param name="Start">The index of the first input this body carries.</param>
/// <param name="Count">The number of inputs this body carries (at most <see cref="GeminiEmbeddings.MaxBatchSize"/>).</param>
internal readonly record struct GeminiEmbeddingWriteState(EmbeddingRequest Request, string ModelPath, bool Batch, int Start, int Count);

/// <summary>The parts of an embeddings response the library keeps.</summary>
internal struct ParsedGeminiEmbeddings
{
    public List<float[]>? Vectors;
    public UsageDetails? Usage;
    public bool HasError;
}

/// <summary>
/// Writes <c>POST …:embedContent</c> (<c>{"content":{"parts":[{"text"}]},"outputDimensionality"}</c>) and
/// <c>POST …:batchEmbedContents</c> (<c>{"requests":[{"model","content","outputDimensionality"}]}</c>) bodies, and reads their
/// answers (<c>{"embedding":{"values":[…]}}</c>, <c>{"embeddings":[{"values":[…]}]}</c>, an optional <c>usageMetadata</c>), by
/// hand, without reflection. <see cref="EmbeddingRequest.AdditionalRequestFields"/> (e.g. <c>taskType</c>, <c>title</c>) go in
/// each embed request (the top level of <c>embedContent</c>, every entry of <c>batchEmbedContents</c>).
/// </summary>
internal static class GeminiEmbeddings
{
    /// <summary>The most entries one <c>batchEmbedContents</c> call accepts ("at most 100 requests can be in one batch").</summary>
    public const int MaxBatchSize = 100;

    public static PooledJsonContent CreateContent(in GeminiEmbeddingWriteState state) =>
        PooledJsonContent.Create(state, static (writer, s) => Write(writer, s));

    public static void Write(Utf8JsonWriter writer, GeminiEmbeddingWriteState state)
    {
        var inputs = state.Request.Inputs;
        if (!state.Batch)
        {
            WriteOne(writer, state, inputs[state.Start], withModel: false);
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName("requests"u8);
        writer.WriteStartArray();
        for (int i = state.Start; i < state.Start + state.Count; i++)
        {
            WriteOne(writer, state, inputs[i], withModel: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads an embeddings response of either shape.</summary>
    /// <param name="json">The body (BOM stripped).</param>
    /// <returns>The vectors in the order sent, and the usage.</returns>
    /// <exception cref="JsonException">The body is not an embeddings response.</exception>
    public static ParsedGeminiEmbeddings Parse(ReadOnlySpan<byte> json)
    {
        var parsed = new ParsedGeminiEmbeddings();
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("embedding"u8))
            {
                if (parsed.Vectors is not null)
                {
                    throw new JsonException("The response has embeddings twice.");
                }

                reader.Read();
                parsed.Vectors = [ReadContentEmbedding(ref reader)];
            }
            else if (reader.ValueTextEquals("embeddings"u8))
            {
                if (parsed.Vectors is not null)
                {
                    throw new JsonException("The response has embeddings twice.");
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException($"'embeddings' is a {reader.TokenType}, not an array.");
                }

                var vectors = new List<float[]>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    vectors.Add(ReadContentEmbedding(ref reader));
                }

                parsed.Vectors = vectors;
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                parsed.Usage = GeminiJson.ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                parsed.HasError |= reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
                reader.Skip();
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

    private static void WriteOne(Utf8JsonWriter writer, in GeminiEmbeddingWriteState state, string text, bool withModel)
    {
        var request = state.Request;
        var extra = request.AdditionalRequestFields;
        writer.WriteStartObject();
        if (withModel && Keep(extra, "model"))
        {
            writer.WriteString("model"u8, state.ModelPath);
        }

        if (Keep(extra, "content"))
        {
            writer.WritePropertyName("content"u8);
            writer.WriteStartObject();
            writer.WritePropertyName("parts"u8);
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("text"u8, text);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (request.Dimensions is { } dimensions && Keep(extra, "outputDimensionality"))
        {
            writer.WriteNumber("outputDimensionality"u8, dimensions);
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

    // A ContentEmbedding: {"values":[…]} (the reader is on its start).
    private static float[] ReadContentEmbedding(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"An embedding is a {reader.TokenType}, not an object with values.");
        }

        float[]? values = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("values"u8))
            {
                reader.Read();
                if (values is not null)
                {
                    throw new JsonException("An embedding has its values twice.");
                }

                values = EmbeddingWire.ReadVector(ref reader);
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        return values ?? throw new JsonException("An embedding has no values.");
    }

    private static bool Keep(IDictionary<string, JsonElement>? extra, string name) => extra is null || !extra.ContainsKey(name);
}
