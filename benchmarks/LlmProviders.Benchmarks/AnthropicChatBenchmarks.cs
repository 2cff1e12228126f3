using System.Collections.Generic;
using System.Threading.Tasks;
using Anthropic;
using Anthropic.Models.Messages;
using BenchmarkDotNet.Attributes;
using LlmProviders.Benchmarks.Floor;
using LlmProviders.Benchmarks.Infrastructure;
using Microsoft.Extensions.AI;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P1 (Anthropic): one non-streaming Messages call (300 output tokens, ~1.8 KB of text plus usage) served by
/// an in-memory handler. Baseline: the raw HttpClient + source-generated System.Text.Json floor.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class AnthropicChatBenchmarks : ChatBenchmarkBase
{
    private AnthropicFloorClient _floor = null!;
    private AnthropicClient _sdk = null!;

    private protected override TokenCounts ExpectedUsage => AnthropicPayloads.ExpectedUsage;

    [GlobalSetup]
    public void Setup()
    {
        ServeCanned(AnthropicPayloads.MessageJson, "application/json");
        _floor = Own(new AnthropicFloorClient(Handler, AnthropicPayloads.ApiKey, AnthropicPayloads.Version));
        _sdk = Own(Contenders.CreateAnthropicSdk(NewHttpClient()));

        Verify(nameof(Floor), Floor);
        Verify(nameof(OfficialSdk), OfficialSdk);
        _ours = Own(Contenders.CreateAnthropicOurs(NewHttpClient()));
        Verify(nameof(LlmProviders), LlmProviders);
    }

    [GlobalCleanup]
    public void Cleanup() => DisposeContenders();

    /// <summary>Raw HttpClient + source-generated System.Text.Json into minimal DTOs.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> Floor()
    {
        (string text, TokenCounts usage) = await _floor.ChatAsync(
            AnthropicPayloads.RequestedModel, CannedText.Prompt, CannedText.MaxOutputTokens, default);
        return Record(text, usage);
    }

    /// <summary>The official Anthropic .NET SDK 13.12.0: <c>AnthropicClient.Messages.Create</c>.</summary>
    [Benchmark]
    public async Task<long> OfficialSdk()
    {
        Message message = await _sdk.Messages.Create(new MessageCreateParams
        {
            Model = AnthropicPayloads.RequestedModel,
            MaxTokens = CannedText.MaxOutputTokens,
            Messages = [new UserMessageParam(CannedText.Prompt)],
        });
        IReadOnlyList<ContentBlock> content = message.Content;
        string text = content.Count > 0 && content[0].TryPickText(out TextBlock? block) ? block.Text : string.Empty;
        Usage u = message.Usage;
        return Record(text, TokenCounts.FromInputOutput(u.InputTokens, u.OutputTokens));
    }

    private ILlmProvider _ours = null!;

    /// <summary>Our <c>AnthropicProvider.ChatAsync</c>, through <see cref="ILlmProvider"/>.</summary>
    [Benchmark]
    public async Task<long> LlmProviders()
    {
        ChatResult result = await _ours.ChatAsync(Contenders.CreateOursRequest(AnthropicPayloads.RequestedModel));
        UsageDetails? u = result.Usage;
        var usage = u is null ? default : TokenCounts.FromInputOutput(u.InputTokenCount ?? 0, u.OutputTokenCount ?? 0);
        return Record(result.Text, usage);
    }

    private protected override void CheckRequest(string contender, CapturedRequest? request)
        => Verification.CheckAnthropicRequest(contender, request, streaming: false);
}
