using System.Text;
using System.Threading.Tasks;
using Anthropic;
using Anthropic.Models.Messages;
using BenchmarkDotNet.Attributes;
using LlmProviders.Benchmarks.Floor;
using LlmProviders.Benchmarks.Infrastructure;
using Microsoft.Extensions.AI;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P2 (Anthropic): one streamed Messages call of <see cref="AnthropicPayloads.StreamEventCount"/> SSE events
/// (message_start, content_block_start, ping, 300 <c>content_block_delta</c> text deltas of one token each,
/// content_block_stop, message_delta, message_stop), served by an in-memory handler. Every contender appends each
/// text delta to the same reused <see cref="StringBuilder"/> and keeps the final usage (input from message_start,
/// cumulative output from message_delta). Divide by 300 for per-delta numbers.
/// Baseline: HttpClient + <c>SseParser</c> + source-generated System.Text.Json per event.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class AnthropicStreamingBenchmarks : StreamingBenchmarkBase
{
    private AnthropicFloorClient _floor = null!;
    private AnthropicClient _sdk = null!;

    private protected override TokenCounts ExpectedUsage => AnthropicPayloads.ExpectedUsage;

    [GlobalSetup]
    public void Setup()
    {
        ServeCanned(AnthropicPayloads.MessageStream, "text/event-stream", "utf-8");
        _floor = Own(new AnthropicFloorClient(Handler, AnthropicPayloads.ApiKey, AnthropicPayloads.Version));
        _sdk = Own(Contenders.CreateAnthropicSdk(NewHttpClient()));

        Verify(nameof(Floor), Floor);
        Verify(nameof(OfficialSdk), OfficialSdk);
        _ours = Own(Contenders.CreateAnthropicOurs(NewHttpClient()));
        Verify(nameof(LlmProviders), LlmProviders);
    }

    [GlobalCleanup]
    public void Cleanup() => DisposeContenders();

    /// <summary>Raw HttpClient + <c>SseParser</c> + source-generated System.Text.Json per text/usage event.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> Floor()
    {
        Text.Clear();
        TokenCounts usage = await _floor.StreamAsync(
            AnthropicPayloads.RequestedModel, CannedText.Prompt, CannedText.MaxOutputTokens, Text, default);
        return Record(usage);
    }

    /// <summary>
    /// The official Anthropic .NET SDK 13.12.0: <c>AnthropicClient.Messages.CreateStreaming</c>, reading the text of
    /// every text delta, the input tokens of message_start and the usage of message_delta.
    /// </summary>
    [Benchmark]
    public async Task<long> OfficialSdk()
    {
        StringBuilder text = Text.Clear();
        long input = 0, output = 0;
        await foreach (RawMessageStreamEvent e in _sdk.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = AnthropicPayloads.RequestedModel,
            MaxTokens = CannedText.MaxOutputTokens,
            Messages = [new UserMessageParam(CannedText.Prompt)],
        }))
        {
            if (e.TryPickContentBlockDelta(out RawContentBlockDeltaEvent? blockDelta))
            {
                if (blockDelta.Delta.TryPickText(out TextDelta? delta))
                {
                    text.Append(delta.Text);
                }
            }
            else if (e.TryPickStart(out RawMessageStartEvent? start))
            {
                Usage u = start.Message.Usage;
                input = u.InputTokens;
                output = u.OutputTokens;
            }
            else if (e.TryPickDelta(out RawMessageDeltaEvent? messageDelta))
            {
                MessageDeltaUsage u = messageDelta.Usage;
                input = u.InputTokens ?? input;
                output = u.OutputTokens;
            }
        }

        return Record(TokenCounts.FromInputOutput(input, output));
    }

    private ILlmProvider _ours = null!;

    /// <summary>Our <c>AnthropicProvider.StreamAsync</c>, through <see cref="ILlmProvider"/>; usage from the final update.</summary>
    [Benchmark]
    public async Task<long> LlmProviders()
    {
        StringBuilder text = Text.Clear();
        TokenCounts usage = default;
        await foreach (ChatStreamUpdate update in _ours.StreamAsync(Contenders.CreateOursRequest(AnthropicPayloads.RequestedModel)))
        {
            if (update.Text is { } delta)
            {
                text.Append(delta);
            }

            if (update.IsFinal && update.Usage is UsageDetails u)
            {
                usage = TokenCounts.FromInputOutput(u.InputTokenCount ?? 0, u.OutputTokenCount ?? 0);
            }
        }

        return Record(usage);
    }

    private protected override void CheckRequest(string contender, CapturedRequest? request)
        => Verification.CheckAnthropicRequest(contender, request, streaming: true);
}
