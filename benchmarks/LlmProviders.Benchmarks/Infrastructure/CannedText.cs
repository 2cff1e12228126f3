using System.Collections.Generic;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// What every benchmark asks and is answered, whatever the provider: the prompt, the output-token limit and the
/// 300 output tokens whose concatenation is the text every contender must return. The provider payloads
/// (<see cref="OpenAIPayloads"/>, <see cref="AnthropicPayloads"/>) wrap these same tokens in their own wire format.
/// </summary>
internal static class CannedText
{
    /// <summary>The prompt the contenders send.</summary>
    public const string Prompt = "What are the best pizza toppings? Give me a breakdown on the reasons.";

    /// <summary>The output-token limit the contenders send (max_completion_tokens / max_tokens).</summary>
    public const int MaxOutputTokens = 400;

    /// <summary>Number of output tokens: one content event per token in the streams.</summary>
    public const int OutputTokens = 300;

    // Words cycled into tokens: each token is a word with its leading space, as BPE tokenizers cut English,
    // plus paragraph breaks and markdown, so the JSON carries a few escapes (\n, \") as real answers do.
    private const string Passage =
        "Choosing the best pizza toppings depends on **balance**: salt, fat, acid, sweetness and texture.\n\n" +
        "1. **Pepperoni** renders fat that crisps its edges and seasons the \"cheese pull\" beneath it.\n\n" +
        "2. **Mushrooms** add an earthy, savory depth and soak up the garlic oil.\n\n" +
        "3. **Fresh basil** brings a bright, peppery lift that cuts through rich mozzarella.\n\n" +
        "4. **Caramelized onions** contribute sweetness that plays against salty olives or anchovies.\n\n" +
        "5. **Roasted peppers** give color, smoky sweetness and a soft bite without too much water.\n\n";

    private static readonly string[] TokenTable = Tokenize(Passage);

    /// <summary>Gets the output tokens in stream order; their concatenation is <see cref="ExpectedText"/>.</summary>
    public static string[] Tokens { get; } = BuildTokens();

    /// <summary>Gets the assistant text every contender must return.</summary>
    public static string ExpectedText { get; } = string.Concat(Tokens);

    private static string[] Tokenize(string passage)
    {
        var tokens = new List<string>();
        int start = 0;
        for (int i = 1; i <= passage.Length; i++)
        {
            bool boundary = i == passage.Length
                || (passage[i] == ' ' && passage[i - 1] != '\n')
                || (passage[i] == '\n' && passage[i - 1] != '\n')
                || (passage[i] != '\n' && passage[i] != ' ' && passage[i - 1] == '\n');
            if (boundary)
            {
                tokens.Add(passage[start..i]);
                start = i;
            }
        }

        return tokens.ToArray();
    }

    private static string[] BuildTokens()
    {
        var tokens = new string[OutputTokens];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = TokenTable[i % TokenTable.Length];
        }

        return tokens;
    }
}
