using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LlmProviders.Testing.Conformance;

namespace LlmProviders.OpenAI.Tests.Embeddings;

/// <summary>OpenAI <c>/embeddings</c> answers, short and by hand.</summary>
internal static class OpenAIEmbeddingWire
{
    /// <summary>An answer listing (index, vector JSON) items in the given order.</summary>
    public static string Answer(IEnumerable<(int Index, string Embedding)> items, string model = EmbeddingConformanceTests.ExpectedModel, long promptTokens = EmbeddingConformanceTests.ExpectedInputTokens)
    {
        var sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        sb.AppendJoin(',', items.Select(i => $$"""{"object":"embedding","index":{{i.Index}},"embedding":{{i.Embedding}}}"""));
        sb.Append(CultureInfo.InvariantCulture, $$$"""],"model":"{{{model}}}","usage":{"prompt_tokens":{{{promptTokens}}},"total_tokens":{{{promptTokens}}}}}""");
        return sb.ToString();
    }

    /// <summary>An answer with vectors in index order.</summary>
    public static string Answer(params float[][] vectors) =>
        Answer(vectors.Select((v, i) => (i, EmbeddingConformanceTests.JsonArray(v))));
}
