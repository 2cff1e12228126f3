using System.Globalization;
using System.Linq;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.Ollama.Tests.Embeddings;

/// <summary>Ollama <c>/api/embed</c> answers, short and by hand.</summary>
internal static class OllamaEmbeddingWire
{
    /// <summary>An answer with the vectors in input order.</summary>
    public static string Answer(float[][] vectors, string model = EmbeddingConformanceTests.ExpectedModel, long? promptEvalCount = EmbeddingConformanceTests.ExpectedInputTokens) =>
        "{\"model\":\"" + model + "\",\"embeddings\":[" + string.Join(",", vectors.Select(EmbeddingConformanceTests.JsonArray)) + "]," +
        "\"total_duration\":14143917,\"load_duration\":1019500" +
        (promptEvalCount is { } count ? ",\"prompt_eval_count\":" + count.ToString(CultureInfo.InvariantCulture) : string.Empty) + "}";
}
