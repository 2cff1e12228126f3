using System;
using System.Net.Http;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Benchmarks.Infrastructure;

namespace LlmProviders.Benchmarks.Floor;

/// <summary>
/// The Anthropic floor: what a careful developer writes by hand with <see cref="HttpClient"/> and source-generated
/// System.Text.Json, reading only the text and the usage. Nothing hand-tuned beyond that.
/// </summary>
internal sealed class AnthropicFloorClient : IDisposable
{
    private static readonly Uri MessagesUri = new(AnthropicPayloads.MessagesUrl);

    private readonly HttpClient _http;

    public AnthropicFloorClient(HttpMessageHandler handler, string apiKey, string version)
    {
        _http = new HttpClient(handler, disposeHandler: false);
        _http.DefaultRequestHeaders.Add("x-api-key", apiKey);
        _http.DefaultRequestHeaders.Add("anthropic-version", version);
    }

    /// <summary>POSTs a Messages request and returns the text of its first content block and the usage.</summary>
    public async Task<(string Text, TokenCounts Usage)> ChatAsync(string model, string prompt, int maxTokens, CancellationToken cancellationToken)
    {
        var body = new AnthropicFloorRequest
        {
            Model = model,
            MaxTokens = maxTokens,
            Messages = [new FloorMessage { Role = "user", Content = prompt }],
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUri)
        {
            Content = JsonContent.Create(body, AnthropicFloorJsonContext.Default.AnthropicFloorRequest),
        };
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        AnthropicFloorMessage? result = await JsonSerializer.DeserializeAsync(stream, AnthropicFloorJsonContext.Default.AnthropicFloorMessage, cancellationToken).ConfigureAwait(false);

        string text = result?.Content is [{ Text: { } content }, ..] ? content : string.Empty;
        AnthropicFloorUsage? usage = result?.Usage;
        return (text, usage is null ? default : TokenCounts.FromInputOutput(usage.InputTokens ?? 0, usage.OutputTokens ?? 0));
    }

    /// <summary>
    /// POSTs a streaming Messages request, appends every <c>content_block_delta</c> text to <paramref name="text"/> and
    /// returns the usage: input from <c>message_start</c>, the cumulative output from <c>message_delta</c>, the last
    /// value of each field winning.
    /// </summary>
    public async Task<TokenCounts> StreamAsync(string model, string prompt, int maxTokens, StringBuilder text, CancellationToken cancellationToken)
    {
        var body = new AnthropicFloorRequest
        {
            Model = model,
            MaxTokens = maxTokens,
            Messages = [new FloorMessage { Role = "user", Content = prompt }],
            Stream = true,
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUri)
        {
            Content = JsonContent.Create(body, AnthropicFloorJsonContext.Default.AnthropicFloorRequest),
        };
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);

        // Only the three events that carry text or usage are deserialized; ping, content_block_start/stop and
        // message_stop are skipped by their event name.
        SseParser<AnthropicFloorEvent?> parser = SseParser.Create(stream, static (eventType, data) => eventType switch
        {
            "content_block_delta" or "message_start" or "message_delta"
                => JsonSerializer.Deserialize(data, AnthropicFloorJsonContext.Default.AnthropicFloorEvent),
            _ => null,
        });

        long input = 0, output = 0;
        await foreach (SseItem<AnthropicFloorEvent?> item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            AnthropicFloorEvent? e = item.Data;
            if (e is null)
            {
                continue;
            }

            if (e.Delta?.Text is { } delta)
            {
                text.Append(delta);
            }

            if ((e.Usage ?? e.Message?.Usage) is { } u)
            {
                input = u.InputTokens ?? input;
                output = u.OutputTokens ?? output;
            }
        }

        return TokenCounts.FromInputOutput(input, output);
    }

    public void Dispose() => _http.Dispose();
}
