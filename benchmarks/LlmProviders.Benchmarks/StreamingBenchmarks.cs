using System.Text;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmProviders.Benchmarks.Floor;
using LlmProviders.Benchmarks.Infrastructure;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P2 (OpenAI): one streamed chat completion of <see cref="OpenAIPayloads.StreamEventCount"/> SSE events
/// (role chunk, 300 content chunks of one token each, finish chunk, usage chunk) and <c>data: [DONE]</c>,
/// served by an in-memory handler. Every contender appends each text delta to the same reused
/// <see cref="StringBuilder"/> and keeps the final usage. Divide by 300 for per-chunk numbers.
/// Baseline: HttpClient + <c>SseParser</c> + source-generated System.Text.Json per event.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class StreamingBenchmarks : StreamingBenchmarkBase
{
    private OpenAIFloorClient _floor = null!;
    private ChatClient _sdk = null!;
    private ILlmProvider _ours = null!;

    private protected override TokenCounts ExpectedUsage => OpenAIPayloads.ExpectedUsage;

    [GlobalSetup]
    public void Setup()
    {
        ServeCanned(OpenAIPayloads.ChatCompletionStream, "text/event-stream", "utf-8");
        _floor = Own(new OpenAIFloorClient(Handler, OpenAIPayloads.ApiKey));
        _sdk = Own(Contenders.CreateOpenAISdk(NewHttpClient()));
        _ours = Own(Contenders.CreateOpenAIOurs(NewHttpClient()));

        Verify(nameof(Floor), Floor);
        Verify(nameof(OfficialSdk), OfficialSdk);
        Verify(nameof(LlmProviders), LlmProviders);
    }

    [GlobalCleanup]
    public void Cleanup() => DisposeContenders();

    /// <summary>Raw HttpClient + <c>SseParser</c> + source-generated System.Text.Json per chunk.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> Floor()
    {
        Text.Clear();
        TokenCounts usage = await _floor.StreamAsync(
            OpenAIPayloads.RequestedModel, CannedText.Prompt, CannedText.MaxOutputTokens, Text, default);
        return Record(usage);
    }

    /// <summary>The official OpenAI .NET SDK 2.15.0: <c>ChatClient.CompleteChatStreamingAsync</c>.</summary>
    [Benchmark]
    public async Task<long> OfficialSdk()
    {
        StringBuilder text = Text.Clear();
        TokenCounts usage = default;
        await foreach (StreamingChatCompletionUpdate update in _sdk.CompleteChatStreamingAsync(
            [new UserChatMessage(CannedText.Prompt)],
            new ChatCompletionOptions { MaxOutputTokenCount = CannedText.MaxOutputTokens }))
        {
            ChatMessageContent parts = update.ContentUpdate;
            for (int i = 0; i < parts.Count; i++)
            {
                text.Append(parts[i].Text);
            }

            if (update.Usage is { } u)
            {
                usage = new TokenCounts(u.InputTokenCount, u.OutputTokenCount, u.TotalTokenCount);
            }
        }

        return Record(usage);
    }

    /// <summary>Our <c>OpenAIProvider.StreamAsync</c>.</summary>
    [Benchmark]
    public async Task<long> LlmProviders()
    {
        StringBuilder text = Text.Clear();
        TokenCounts usage = default;
        await foreach (ChatStreamUpdate update in _ours.StreamAsync(Contenders.CreateOursRequest(OpenAIPayloads.RequestedModel)))
        {
            if (update.Text is { } delta)
            {
                text.Append(delta);
            }

            if (update.Usage is UsageDetails u)
            {
                usage = new TokenCounts(u.InputTokenCount ?? 0, u.OutputTokenCount ?? 0, u.TotalTokenCount ?? 0);
            }
        }

        return Record(usage);
    }

    private protected override void CheckRequest(string contender, CapturedRequest? request)
        => Verification.CheckOpenAIRequest(contender, request, streaming: true);
}
