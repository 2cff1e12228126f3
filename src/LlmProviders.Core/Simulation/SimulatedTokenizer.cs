using System;
using System.Collections.Generic;

namespace LlmProviders.Simulation;

/// <summary>
/// The simulated provider's deterministic token estimate: a token is a run of letters and digits, or any other single
/// non-whitespace character (punctuation, symbols); whitespace belongs to the token after it, so the tokens of a text
/// concatenate back to it exactly. "Hello, world!" is four tokens: <c>Hello</c>, <c>,</c>, <c> world</c>, <c>!</c>.
/// </summary>
/// <remarks>Real tokenizers split differently (about 4 characters a token for English); this one is for tests and demos.</remarks>
internal static class SimulatedTokenizer
{
    /// <summary>The tokens each message adds for its role and framing, as real chat formats do.</summary>
    public const int TokensPerMessage = 3;

    /// <summary>Counts the tokens of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    public static int Count(ReadOnlySpan<char> text)
    {
        int count = 0;
        int i = 0;
        while (Next(text, ref i))
        {
            count++;
        }

        return count;
    }

    /// <summary>Splits <paramref name="text"/> into tokens that concatenate back to it (trailing whitespace joins the last token).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens.</returns>
    public static List<string> Split(string text)
    {
        var tokens = new List<string>();
        int start = 0;
        int i = 0;
        while (Next(text, ref i))
        {
            tokens.Add(text[start..i]);
            start = i;
        }

        if (start < text.Length && tokens.Count > 0)
        {
            tokens[^1] += text[start..];
        }

        return tokens;
    }

    // Moves i past the next token (with its leading whitespace); false when only whitespace is left.
    private static bool Next(ReadOnlySpan<char> text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length)
        {
            return false;
        }

        if (char.IsLetterOrDigit(text[i]))
        {
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }
        }
        else
        {
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
        }

        return true;
    }
}
