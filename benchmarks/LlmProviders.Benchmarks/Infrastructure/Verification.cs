using System;
using System.Text.Json;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// Checks, before anything is measured, that every contender sent an equivalent request and read the same
/// answer: the exact text and usage encoded in <see cref="CannedPayloads"/>. A contender that reads less
/// (or the wrong thing) would otherwise look fast.
/// </summary>
internal static class Verification
{
    public static void Check(string contender, string text, TokenCounts usage, CapturedRequest? request, bool streaming)
    {
        if (!string.Equals(text, CannedPayloads.ExpectedText, StringComparison.Ordinal))
        {
            throw Fail(contender, $"returned {text.Length} chars of text, expected {CannedPayloads.ExpectedText.Length} " +
                $"(first difference at {FirstDifference(text, CannedPayloads.ExpectedText)})");
        }

        var expected = new TokenCounts(CannedPayloads.PromptTokens, CannedPayloads.CompletionTokens, CannedPayloads.TotalTokens);
        if (usage != expected)
        {
            throw Fail(contender, $"returned usage {usage}, expected {expected}");
        }

        CheckRequest(contender, request, streaming);
    }

    private static void CheckRequest(string contender, CapturedRequest? request, bool streaming)
    {
        if (request is null)
        {
            throw Fail(contender, "sent no request body");
        }

        if (request.Method != System.Net.Http.HttpMethod.Post || request.Uri?.AbsoluteUri != "https://api.openai.com/v1/chat/completions")
        {
            throw Fail(contender, $"sent {request.Method} {request.Uri}, expected POST https://api.openai.com/v1/chat/completions");
        }

        if (request.Authorization != "Bearer " + CannedPayloads.ApiKey)
        {
            throw Fail(contender, "did not send the API key as a bearer token");
        }

        using JsonDocument document = JsonDocument.Parse(request.Body);
        JsonElement root = document.RootElement;

        if (!root.TryGetProperty("model", out JsonElement model) || model.GetString() != CannedPayloads.RequestedModel)
        {
            throw Fail(contender, $"did not ask for model {CannedPayloads.RequestedModel}");
        }

        if (!root.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array
            || messages.GetArrayLength() != 1 || !IsPrompt(messages[0]))
        {
            throw Fail(contender, "did not send exactly the one user message");
        }

        bool hasLimit = (root.TryGetProperty("max_completion_tokens", out JsonElement limit) || root.TryGetProperty("max_tokens", out limit))
            && limit.ValueKind == JsonValueKind.Number && limit.GetInt32() == CannedPayloads.MaxOutputTokens;
        if (!hasLimit)
        {
            throw Fail(contender, $"did not send max_completion_tokens = {CannedPayloads.MaxOutputTokens}");
        }

        bool stream = root.TryGetProperty("stream", out JsonElement s) && s.ValueKind == JsonValueKind.True;
        if (stream != streaming)
        {
            throw Fail(contender, $"sent stream = {stream}, expected {streaming}");
        }

        if (streaming
            && !(root.TryGetProperty("stream_options", out JsonElement options) && options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage", out JsonElement includeUsage) && includeUsage.ValueKind == JsonValueKind.True))
        {
            throw Fail(contender, "did not ask for stream_options.include_usage, so the real service would send no usage");
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
            return content.GetString() == CannedPayloads.Prompt;
        }

        // Content parts: [{"type":"text","text":"…"}]
        return content.ValueKind == JsonValueKind.Array && content.GetArrayLength() == 1
            && content[0].TryGetProperty("text", out JsonElement part) && part.GetString() == CannedPayloads.Prompt;
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

    private static InvalidOperationException Fail(string contender, string message)
        => new($"Benchmark contender '{contender}' {message}. Its numbers would not be comparable; fix it before measuring.");
}
