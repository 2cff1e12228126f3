using System;
using System.Text.RegularExpressions;

namespace LlmProviders.Http;

/// <summary>
/// Removes API keys from text that may reach a log line or an exception message: the configured key itself, and
/// anything shaped like a provider key (including the partly masked keys some providers echo back in 401 bodies).
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    /// <summary>Removes <paramref name="secret"/> and key-shaped tokens from <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="secret">The configured key, if any.</param>
    /// <returns>The text without secrets.</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Redact(string? text, string? secret = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return KeyShaped().Replace(text, Mask);
    }

    // sk-…, sk-proj-…, sk-ant-…, AIza…, Bearer tokens, and OpenAI's "Incorrect API key provided: sk-abc*****wxyz".
    [GeneratedRegex(@"(?:\b(?:sk|rk|pk)-[A-Za-z0-9_\-\*\.]{4,}|\bAIza[0-9A-Za-z_\-\*]{8,}|(?<=Bearer\s+)[A-Za-z0-9_\-\.=\*]{8,}|(?<=API key provided:\s*)\S+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex KeyShaped();
}
