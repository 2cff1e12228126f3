using System;
using System.Buffers;
using System.Text.Json;

namespace LlmProviders.Http;

/// <summary>
/// Helpers shared by the providers' embedding implementations: request checks, the model to ask for, and a pooled reader of
/// JSON number arrays into vectors. Public for satellite packages; applications use <see cref="IEmbeddingProvider"/>.
/// </summary>
public static class EmbeddingWire
{
    /// <summary>Checks a request before anything is sent: at least one input, no <see langword="null"/> input, positive dimensions.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The number of inputs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request has no input, or a <see langword="null"/> one, or dimensions that are not positive.</exception>
    public static int Validate(EmbeddingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inputs = request.Inputs;
        int count = inputs.Count;
        if (count == 0)
        {
            throw new ArgumentException("The request has no input to embed; add at least one text to EmbeddingRequest.Inputs.", nameof(request));
        }

        for (int i = 0; i < count; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentException($"EmbeddingRequest.Inputs[{i}] is null; every input must be a text (an empty string is sent as it is).", nameof(request));
            }
        }

        if (request.Dimensions is <= 0)
        {
            throw new ArgumentException($"EmbeddingRequest.Dimensions is {request.Dimensions}; set a positive number of dimensions, or null for the model's own size.", nameof(request));
        }

        return count;
    }

    /// <summary>Gets the model a request asks for: its own (trimmed), else <paramref name="defaultModel"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="defaultModel">The provider's default embedding model.</param>
    /// <returns>The model id.</returns>
    public static string ModelFor(EmbeddingRequest request, string defaultModel)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.IsNullOrWhiteSpace(request.Model) ? defaultModel : request.Model.Trim();
    }

    /// <summary>
    /// Reads a JSON array of numbers (the reader is on its start) into an exact-size array, through a pooled buffer.
    /// An empty array, a non-number or a non-finite value is not a vector.
    /// </summary>
    /// <param name="reader">The reader, on <see cref="JsonTokenType.StartArray"/>; left on the matching end.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="JsonException">The array is empty or holds something other than finite numbers.</exception>
    public static float[] ReadVector(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"An embedding is a {reader.TokenType}, not an array of numbers.");
        }

        var buffer = ArrayPool<float>.Shared.Rent(1024);
        int count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw new JsonException($"An embedding holds a {reader.TokenType}, not a number.");
                }

                if (count == buffer.Length)
                {
                    var larger = ArrayPool<float>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<float>.Shared.Return(buffer);
                    buffer = larger;
                }

                float value = reader.GetSingle();
                if (!float.IsFinite(value))
                {
                    throw new JsonException("An embedding holds a number that is not a finite 32-bit float.");
                }

                buffer[count++] = value;
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new JsonException("An embedding array is not closed.");
            }

            if (count == 0)
            {
                throw new JsonException("An embedding is empty.");
            }

            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
