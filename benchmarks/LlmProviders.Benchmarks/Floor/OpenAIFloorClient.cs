using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Benchmarks.Infrastructure;

namespace LlmProviders.Benchmarks.Floor;

/// <summary>
/// The OpenAI floor: what a careful developer writes by hand with <see cref="HttpClient"/> and source-generated
/// System.Text.Json, reading only the text and the usage. Nothing hand-tuned beyond that.
/// </summary>
internal sealed class OpenAIFloorClient : IDisposable
{
    private static readonly Uri ChatCompletionsUri = new("https://api.openai.com/v1/chat/completions");
    private static readonly FloorStreamOptions IncludeUsage = new() { IncludeUsage = true };

    private readonly HttpClient _http;

    public OpenAIFloorClient(HttpMessageHandler handler, string apiKey)
    {
        _http = new HttpClient(handler, disposeHandler: false);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <summary>POSTs a chat completion and returns the assistant text and the usage.</summary>
    public async Task<(string Text, TokenCounts Usage)> ChatAsync(string model, string prompt, int maxTokens, CancellationToken cancellationToken)
    {
        var body = new FloorChatRequest
        {
            Model = model,
            Messages = [new FloorMessage { Role = "user", Content = prompt }],
            MaxCompletionTokens = maxTokens,
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletionsUri)
        {
            Content = JsonContent.Create(body, OpenAIFloorJsonContext.Default.FloorChatRequest),
        };
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        FloorChatResponse? result = await JsonSerializer.DeserializeAsync(stream, OpenAIFloorJsonContext.Default.FloorChatResponse, cancellationToken).ConfigureAwait(false);

        string text = result?.Choices is [{ Message.Content: { } content }, ..] ? content : string.Empty;
        FloorUsage? usage = result?.Usage;
        return (text, usage is null ? default : new TokenCounts(usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens));
    }

    /// <summary>POSTs a streaming chat completion, appends every text delta to <paramref name="text"/> and returns the usage.</summary>
    public async Task<TokenCounts> StreamAsync(string model, string prompt, int maxTokens, StringBuilder text, CancellationToken cancellationToken)
    {
        var body = new FloorChatRequest
        {
            Model = model,
            Messages = [new FloorMessage { Role = "user", Content = prompt }],
            MaxCompletionTokens = maxTokens,
            Stream = true,
            StreamOptions = IncludeUsage,
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletionsUri)
        {
            Content = JsonContent.Create(body, OpenAIFloorJsonContext.Default.FloorChatRequest),
        };
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);

        TokenCounts usage = default;
        SseParser<FloorChunk?> parser = SseParser.Create(stream, static (_, data) =>
            data.SequenceEqual("[DONE]"u8) ? null : JsonSerializer.Deserialize(data, OpenAIFloorJsonContext.Default.FloorChunk));
        await foreach (SseItem<FloorChunk?> item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            FloorChunk? chunk = item.Data;
            if (chunk is null)
            {
                break; // [DONE]
            }

            if (chunk.Choices is [{ Delta.Content: { } delta }, ..])
            {
                text.Append(delta);
            }

            if (chunk.Usage is { } u)
            {
                usage = new TokenCounts(u.PromptTokens, u.CompletionTokens, u.TotalTokens);
            }
        }

        return usage;
    }

    public void Dispose() => _http.Dispose();
}
