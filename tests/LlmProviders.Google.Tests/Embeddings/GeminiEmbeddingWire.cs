using System.Linq;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.Google.Tests.Embeddings;

/// <summary>Gemini embedding answers, short and by hand.</summary>
internal static class GeminiEmbeddingWire
{
    /// <summary>An embedContent answer.</summary>
    public static string Single(float[] vector, string? usage = null) =>
        "{\"embedding\":{\"values\":" + EmbeddingConformanceTests.JsonArray(vector) + "}" + (usage is null ? string.Empty : ",\"usageMetadata\":" + usage) + "}";

    /// <summary>A batchEmbedContents answer.</summary>
    public static string Batch(params float[][] vectors) =>
        "{\"embeddings\":[" + string.Join(",", vectors.Select(v => "{\"values\":" + EmbeddingConformanceTests.JsonArray(v) + "}")) + "]}";
}
