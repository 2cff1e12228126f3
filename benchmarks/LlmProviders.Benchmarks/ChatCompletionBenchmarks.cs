using System.ClientModel;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmProviders.Benchmarks.Floor;
using LlmProviders.Benchmarks.Infrastructure;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P1 (OpenAI): one non-streaming chat completion (~300 output tokens, ~1.7 KB of text plus usage) served by an
/// in-memory handler. Baseline: the raw HttpClient + source-generated System.Text.Json floor.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class ChatCompletionBenchmarks : ChatBenchmarkBase
{
    private OpenAIFloorClient _floor = null!;
    private ChatClient _sdk = null!;
    private ILlmProvider _ours = null!;

    private protected override TokenCounts ExpectedUsage => OpenAIPayloads.ExpectedUsage;

    [GlobalSetup]
    public void Setup()
    {
        ServeCanned(OpenAIPayloads.ChatCompletionJson, "application/json");
        _floor = Own(new OpenAIFloorClient(Handler, OpenAIPayloads.ApiKey));
        _sdk = Own(Contenders.CreateOpenAISdk(NewHttpClient()));
        _ours = Own(Contenders.CreateOpenAIOurs(NewHttpClient()));

        Verify(nameof(Floor), Floor);
        Verify(nameof(OfficialSdk), OfficialSdk);
        Verify(nameof(LlmProviders), LlmProviders);
    }

    [GlobalCleanup]
    public void Cleanup() => DisposeContenders();

    /// <summary>Raw HttpClient + source-generated System.Text.Json into minimal DTOs.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> Floor()
    {
        (string text, TokenCounts usage) = await _floor.ChatAsync(
            OpenAIPayloads.RequestedModel, CannedText.Prompt, CannedText.MaxOutputTokens, default);
        return Record(text, usage);
    }

    /// <summary>The official OpenAI .NET SDK 2.15.0: <see cref="ChatClient.CompleteChatAsync(IEnumerable{OpenAI.Chat.ChatMessage}, ChatCompletionOptions, System.Threading.CancellationToken)"/>.</summary>
    [Benchmark]
    public async Task<long> OfficialSdk()
    {
        ClientResult<ChatCompletion> result = await _sdk.CompleteChatAsync(
            [new UserChatMessage(CannedText.Prompt)],
            new ChatCompletionOptions { MaxOutputTokenCount = CannedText.MaxOutputTokens });
        ChatCompletion completion = result.Value;
        string text = completion.Content.Count > 0 ? completion.Content[0].Text : string.Empty;
        ChatTokenUsage u = completion.Usage;
        return Record(text, new TokenCounts(u.InputTokenCount, u.OutputTokenCount, u.TotalTokenCount));
    }

    /// <summary>Our <c>OpenAIProvider.ChatAsync</c>.</summary>
    [Benchmark]
    public async Task<long> LlmProviders()
    {
        ChatResult result = await _ours.ChatAsync(Contenders.CreateOursRequest(OpenAIPayloads.RequestedModel));
        UsageDetails? u = result.Usage;
        var usage = u is null ? default : new TokenCounts(u.InputTokenCount ?? 0, u.OutputTokenCount ?? 0, u.TotalTokenCount ?? 0);
        return Record(result.Text, usage);
    }

    private protected override void CheckRequest(string contender, CapturedRequest? request)
        => Verification.CheckOpenAIRequest(contender, request, streaming: false);
}
