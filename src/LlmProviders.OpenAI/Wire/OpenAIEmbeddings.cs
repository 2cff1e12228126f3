using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Wire;

/// <summary>What one embeddings request body is written from.</summary>
internal readonly record struct EmbeddingWriteState(EmbeddingRequest Request, string Model, OpenAIDialect Dialect);

/// <summary>The parts of an embeddings response the library keeps.</summary>
internal struct ParsedEmbeddings
{
    public float[]?[] Vectors;
    public string? Model;
    public UsageDetails? Usage;
    public bool HasData;
    public bool HasError;
}

/// <summary>
/// Writes <c>POST /embeddings</c> (<c>{"model","input":[…],"dimensions"}</c>) and reads its answer
/// (<c>{"data":[{"index","embedding":[…]}],"model","usage":{"prompt_tokens","total_tokens"}}</c>), by hand, without reflection.
/// Vectors sent as base64 (<c>encoding_format: "base64"</c>) are read too.
/// </summary>
internal static class OpenAIEmbeddings
{
    public static PooledJsonContent CreateContent(in EmbeddingWriteState state) =>
        PooledJsonContent.Create(state, static (writer, s) => Write(writer, s));

    public static void Write(Utf8JsonWriter writer, EmbeddingWriteState state)
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

        if (request.Dimensions is { } dimensions && Keep(extra, state.Dialect.DimensionsField))
        {
            writer.WriteNumber(state.Dialect.DimensionsField, dimensions);
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

    /// <summary>Reads an embeddings response.</summary>
    /// <param name="json">The body (BOM stripped).</param>
    /// <param name="expected">The number of inputs sent.</param>
    /// <returns>The vectors by index (an entry may be <see langword="null"/> when the server skipped it), the model and the usage.</returns>
    /// <exception cref="JsonException">The body is not an embeddings response.</exception>
    public static ParsedEmbeddings Parse(ReadOnlySpan<byte> json, int expected)
    {
        var parsed = new ParsedEmbeddings { Vectors = new float[]?[expected] };
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                parsed.HasData = true;
                int position = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    ReadItem(ref reader, parsed.Vectors, position++);
                }
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                parsed.Model = Utf8JsonHelpers.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                parsed.Usage = OpenAIJson.ReadUsage(ref reader);
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

    private static void ReadItem(ref Utf8JsonReader reader, float[]?[] vectors, int position)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        long? index = null;
        float[]? vector = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                index = Utf8JsonHelpers.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("embedding"u8))
            {
                reader.Read();
                vector = reader.TokenType switch
                {
                    JsonTokenType.StartArray => EmbeddingWire.ReadVector(ref reader),
                    JsonTokenType.String => FromBase64(reader.GetString()!),
                    JsonTokenType.Null => null,
                    _ => throw new JsonException($"An embedding is a {reader.TokenType}, not an array of numbers."),
                };
            }
            else
            {
                Utf8JsonHelpers.SkipValue(ref reader);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
        long slot = index ?? position;
        if (slot < 0 || slot >= vectors.Length)
        {
            throw new JsonException($"The response has an embedding at index {slot}, but {vectors.Length} inputs were sent.");
        }

        if (vectors[slot] is not null)
        {
            throw new JsonException($"The response has two embeddings at index {slot}.");
        }

        vectors[slot] = vector ?? throw new JsonException($"The embedding at index {slot} has no vector.");
    }

    private static float[] FromBase64(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length == 0 || bytes.Length % sizeof(float) != 0)
        {
            throw new JsonException("A base64 embedding does not hold whole 32-bit floats.");
        }

        var vector = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return vector;
    }

    private static bool Keep(IDictionary<string, JsonElement>? extra, string name) => extra is null || !extra.ContainsKey(name);
}
