using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmProviders.Benchmarks.Floor;
using LlmProviders.Benchmarks.Infrastructure;
using OpenAI.Chat;
using Microsoft.Extensions.AI;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P2: one streamed chat completion of <see cref="CannedPayloads.StreamEventCount"/> SSE events
/// (role chunk, 300 content chunks of one token each, finish chunk, usage chunk) and <c>data: [DONE]</c>,
/// served by an in-memory handler. Every contender appends each text delta to the same reused
/// <see cref="StringBuilder"/> and keeps the final usage. Divide by 300 for per-chunk numbers.
/// Baseline: HttpClient + <c>SseParser</c> + source-generated System.Text.Json per event.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class StreamingBenchmarks
{
    private readonly StringBuilder _text = new(4096);
    private readonly List<HttpClient> _httpClients = [];
    private CannedResponseHandler _handler = null!;
    private FloorClient _floor = null!;
    private ChatClient _sdk = null!;
    private ILlmProvider _ours = null!;

    // The last call's usage; stored (not allocated) so GlobalSetup can verify each contender. Its text is in _text.
    private TokenCounts _lastUsage;

    [GlobalSetup]
    public void Setup()
    {
        _handler = new CannedResponseHandler(CannedPayloads.ChatCompletionStream, "text/event-stream", "utf-8");
        _floor = new FloorClient(_handler, CannedPayloads.ApiKey);
        _sdk = Contenders.CreateOfficialSdk(NewHttpClient());
        _ours = Contenders.CreateOurs(NewHttpClient());

        _handler.Capture = true;
        Verify(nameof(Floor), Floor().GetAwaiter().GetResult());
        Verify(nameof(OfficialSdk), OfficialSdk().GetAwaiter().GetResult());
        Verify(nameof(LlmProviders), LlmProviders().GetAwaiter().GetResult());
        _handler.Capture = false;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_ours as System.IDisposable)?.Dispose();
        _floor.Dispose();
        foreach (HttpClient client in _httpClients)
        {
            client.Dispose();
        }

        _handler.Dispose();
    }

    /// <summary>Raw HttpClient + <c>SseParser</c> + source-generated System.Text.Json per chunk.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> Floor()
    {
        _text.Clear();
        TokenCounts usage = await _floor.StreamAsync(
            CannedPayloads.RequestedModel, CannedPayloads.Prompt, CannedPayloads.MaxOutputTokens, _text, default);
        _lastUsage = usage;
        return _text.Length + usage.Output;
    }

    /// <summary>The official OpenAI .NET SDK 2.15.0: <c>ChatClient.CompleteChatStreamingAsync</c>.</summary>
    [Benchmark]
    public async Task<long> OfficialSdk()
    {
        _text.Clear();
        TokenCounts usage = default;
        await foreach (StreamingChatCompletionUpdate update in _sdk.CompleteChatStreamingAsync(
            [new UserChatMessage(CannedPayloads.Prompt)],
            new ChatCompletionOptions { MaxOutputTokenCount = CannedPayloads.MaxOutputTokens }))
        {
            ChatMessageContent parts = update.ContentUpdate;
            for (int i = 0; i < parts.Count; i++)
            {
                _text.Append(parts[i].Text);
            }

            if (update.Usage is { } u)
            {
                usage = new TokenCounts(u.InputTokenCount, u.OutputTokenCount, u.TotalTokenCount);
            }
        }

        _lastUsage = usage;
        return _text.Length + usage.Output;
    }

    /// <summary>Our <c>OpenAIProvider.StreamAsync</c>.</summary>
    [Benchmark]
    public async Task<long> LlmProviders()
    {
        _text.Clear();
        TokenCounts usage = default;
        await foreach (ChatStreamUpdate update in _ours.StreamAsync(Contenders.CreateOursRequest()))
        {
            if (update.Text is { } delta)
            {
                _text.Append(delta);
            }

            if (update.Usage is UsageDetails u)
            {
                usage = new TokenCounts(u.InputTokenCount ?? 0, u.OutputTokenCount ?? 0, u.TotalTokenCount ?? 0);
            }
        }

        _lastUsage = usage;
        return _text.Length + usage.Output;
    }

    private HttpClient NewHttpClient()
    {
        var client = new HttpClient(_handler, disposeHandler: false);
        _httpClients.Add(client);
        return client;
    }

    private void Verify(string contender, long returned)
    {
        string text = _text.ToString();
        Verification.Check(contender, text, _lastUsage, _handler.LastRequest, streaming: true);
        if (returned != text.Length + _lastUsage.Output)
        {
            throw new System.InvalidOperationException($"Benchmark contender '{contender}' returned {returned}.");
        }
    }
}
