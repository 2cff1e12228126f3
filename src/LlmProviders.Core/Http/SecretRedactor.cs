using System;
using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmProviders.Http;

/// <summary>
/// Removes API keys from text that may reach a log line or an exception message: the configured key itself (whole,
/// or echoed partly masked, as in <c>sk-abc*****wxyz</c>), and anything shaped like a provider key or credential
/// (<c>sk-…</c>, <c>sk-proj-…</c>, <c>sk-ant-…</c>, <c>AIza…</c>, Groq/xAI/Hugging Face keys, JWTs, bearer tokens,
/// <c>?key=…</c> query strings, <c>"api_key": "…"</c> and <c>api-key: …</c> echoes).
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    // Characters a key, or a partly masked echo of one, is made of.
    private static readonly SearchValues<char> KeyChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.*\u2026~+/=");

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
            text = RedactFragments(text, secret);
        }

        try
        {
            return KeyShaped().Replace(text, Mask);
        }
        catch (RegexMatchTimeoutException)
        {
            // Fail closed: text that could not be checked in time is not shown at all.
            return Mask;
        }
    }

    // A partly masked echo of the configured key: a token that starts with the key's first six characters, or one that
    // hides a middle part (*, …, ...) and ends with the key's last four. Only keys long enough for such fragments to be
    // telling (12+ characters) are checked.
    private static string RedactFragments(string text, string secret)
    {
        if (secret.Length < 12)
        {
            return text;
        }

        var head = secret.AsSpan(0, 6);
        var tail = secret.AsSpan(secret.Length - 4);
        if (!text.AsSpan().Contains(head, StringComparison.Ordinal) && !text.AsSpan().Contains(tail, StringComparison.Ordinal))
        {
            return text;
        }

        StringBuilder? sb = null;
        int copied = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (!KeyChars.Contains(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && KeyChars.Contains(text[i]))
            {
                i++;
            }

            var token = text.AsSpan(start, i - start);
            bool masked = token.Contains('*') || token.Contains('\u2026') || token.Contains("...", StringComparison.Ordinal);
            if (token.Contains(head, StringComparison.Ordinal) || (masked && token.TrimEnd('.').EndsWith(tail, StringComparison.Ordinal)))
            {
                sb ??= new StringBuilder(text.Length);
                sb.Append(text, copied, start - copied).Append(Mask);
                copied = i;
            }
        }

        return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    [GeneratedRegex(
        """
        \b(?:sk|rk|pk)-[A-Za-z0-9_\-\*\.…]{5,}[A-Za-z0-9_\-\*…]
        | \b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9_\*]{8,}
        | \b(?:gsk|hf|r8|ghp|gho|github_pat)_[A-Za-z0-9_\*]{16,}
        | \b(?:xai|pplx|nvapi|csk)-[A-Za-z0-9_\-\*]{16,}
        | \bAIza[0-9A-Za-z_\-\*]{8,}
        | \bAKIA[0-9A-Z]{12,}
        | \beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*
        | (?<=\b(?i:bearer)\s+)[A-Za-z0-9_\-\.=\*~+/…]{8,}
        | (?<=\b(?i:authorization)["']?\s*[:=]\s*["']?(?i:basic|token|key)\s+)[^\s"',;]{6,}
        | (?<=API\ key\ provided:\s*)[A-Za-z0-9_\-\*\.…]*[A-Za-z0-9_\-\*…]
        | (?<=[?&](?i:key|api[-_]?key|access_token|token|sig|signature|code)=)[^&\s"'\#<>]+
        | (?<=\b(?i:(?:x-)?(?:goog-)?api[-_]?key|access[-_]?token|refresh[-_]?token|client[-_]?secret|secret|password)["']?\s*[:=]\s*["']?)[^\s"',;&}\]]{6,}
        """,
        RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace,
        matchTimeoutMilliseconds: 1000)]
    private static partial Regex KeyShaped();
}
