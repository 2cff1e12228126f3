using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// Checks, before anything is measured, that every contender sent an equivalent request and read the same
/// answer: the exact <see cref="CannedText.ExpectedText"/> and the usage encoded in the provider's canned payloads.
/// A contender that reads less (or the wrong thing) would otherwise look fast.
/// </summary>
internal static partial class Verification
{
    /// <summary>Throws unless <paramref name="text"/> and <paramref name="usage"/> are exactly the canned answer.</summary>
    public static void CheckAnswer(string contender, string text, TokenCounts usage, TokenCounts expectedUsage)
    {
        if (!string.Equals(text, CannedText.ExpectedText, StringComparison.Ordinal))
        {
            throw Fail(contender, $"returned {text.Length} chars of text, expected {CannedText.ExpectedText.Length} " +
                $"(first difference at {FirstDifference(text, CannedText.ExpectedText)})");
        }

        if (usage != expectedUsage)
        {
            throw Fail(contender, $"returned usage {usage}, expected {expectedUsage}");
        }
    }

    /// <summary>
    /// Throws unless the request is <c>POST https://api.openai.com/v1/chat/completions</c> with the bearer key, the model,
    /// the one user message, the output limit and, for streams, <c>stream: true</c> with <c>stream_options.include_usage</c>.
    /// </summary>
    public static void CheckOpenAIRequest(string contender, CapturedRequest? request, bool streaming)
    {
        using JsonDocument document = CheckCommon(
            contender, request, "https://api.openai.com/v1/chat/completions", OpenAIPayloads.RequestedModel, streaming);
        JsonElement root = document.RootElement;
        if (request.Header("Authorization") != "Bearer " + OpenAIPayloads.ApiKey)
        {
            throw Fail(contender, "did not send the API key as a bearer token");
        }

        bool hasLimit = (root.TryGetProperty("max_completion_tokens", out JsonElement limit) || root.TryGetProperty("max_tokens", out limit))
            && limit.ValueKind == JsonValueKind.Number && limit.GetInt32() == CannedText.MaxOutputTokens;
        if (!hasLimit)
        {
            throw Fail(contender, $"did not send max_completion_tokens = {CannedText.MaxOutputTokens}");
        }

        if (streaming
            && !(root.TryGetProperty("stream_options", out JsonElement options) && options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage", out JsonElement includeUsage) && includeUsage.ValueKind == JsonValueKind.True))
        {
            throw Fail(contender, "did not ask for stream_options.include_usage, so the real service would send no usage");
        }
    }

    /// <summary>
    /// Throws unless the request is <c>POST https://api.anthropic.com/v1/messages</c> with the key (in <c>x-api-key</c>
    /// or as a bearer token), a dated <c>anthropic-version</c>, the model, the one user message, <c>max_tokens</c> and, for streams,
    /// <c>stream: true</c>.
    /// </summary>
    public static void CheckAnthropicRequest(string contender, CapturedRequest? request, bool streaming)
    {
        using JsonDocument document = CheckCommon(
            contender, request, AnthropicPayloads.MessagesUrl, AnthropicPayloads.RequestedModel, streaming);
        JsonElement root = document.RootElement;
        // The wire reference (and our floor) send the key in x-api-key; the official SDK 13.x sends it as
        // Authorization: Bearer, which the API accepts for API keys too. Either is the key, sent once.
        bool inApiKeyHeader = request.Header("x-api-key") == AnthropicPayloads.ApiKey;
        bool asBearer = request.Header("Authorization") == "Bearer " + AnthropicPayloads.ApiKey;
        if (inApiKeyHeader == asBearer)
        {
            throw Fail(contender, "did not send the API key exactly once, in x-api-key or as a bearer token");
        }

        // 2023-06-01 per the wire reference; the official SDK 13.12.0 pins a newer dated version (2026-10-21).
        string? version = request.Header("anthropic-version");
        if (version is null || !AnthropicVersion().IsMatch(version))
        {
            throw Fail(contender, $"sent anthropic-version '{version}', expected a dated version such as {AnthropicPayloads.Version}");
        }

        if (!(root.TryGetProperty("max_tokens", out JsonElement limit) && limit.ValueKind == JsonValueKind.Number
            && limit.GetInt32() == CannedText.MaxOutputTokens))
        {
            throw Fail(contender, $"did not send max_tokens = {CannedText.MaxOutputTokens}");
        }
    }

    // Method, URL, model, exactly the one user message and the stream flag: the same for every provider.
    private static JsonDocument CheckCommon(string contender, [NotNull] CapturedRequest? request, string url, string model, bool streaming)
    {
        if (request is null)
        {
            throw Fail(contender, "sent no request body");
        }

        if (request.Method != HttpMethod.Post || request.Uri?.AbsoluteUri != url)
        {
            throw Fail(contender, $"sent {request.Method} {request.Uri}, expected POST {url}");
        }

        JsonDocument document = JsonDocument.Parse(request.Body);
        try
        {
            JsonElement root = document.RootElement;
            if (!root.TryGetProperty("model", out JsonElement m) || m.GetString() != model)
            {
                throw Fail(contender, $"did not ask for model {model}");
            }

            if (!root.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array
                || messages.GetArrayLength() != 1 || !IsPrompt(messages[0]))
            {
                throw Fail(contender, "did not send exactly the one user message");
            }

            bool stream = root.TryGetProperty("stream", out JsonElement s) && s.ValueKind == JsonValueKind.True;
            if (stream != streaming)
            {
                throw Fail(contender, $"sent stream = {stream}, expected {streaming}");
            }

            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static bool IsPrompt(JsonElement message)
    {
        if (!message.TryGetProperty("role", out JsonElement role) || role.GetString() != "user"
            || !message.TryGetProperty("content", out JsonElement content))
        {
            return false;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString() == CannedText.Prompt;
        }

        // Content parts / blocks: [{"type":"text","text":"…"}]
        return content.ValueKind == JsonValueKind.Array && content.GetArrayLength() == 1
            && content[0].TryGetProperty("text", out JsonElement part) && part.GetString() == CannedText.Prompt;
    }

    private static int FirstDifference(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex AnthropicVersion();

    private static InvalidOperationException Fail(string contender, string message)
        => new($"Benchmark contender '{contender}' {message}. Its numbers would not be comparable; fix it before measuring.");
}
