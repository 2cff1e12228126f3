using System.ClientModel;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmProviders.Benchmarks.Floor;
using LlmProviders.Benchmarks.Infrastructure;
using OpenAI.Chat;
using Microsoft.Extensions.AI;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P1: one non-streaming chat completion (~300 output tokens, ~1.7 KB of text plus usage) served by an
/// in-memory handler. Baseline: the raw HttpClient + source-generated System.Text.Json floor.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class ChatCompletionBenchmarks
{
    private CannedResponseHandler _handler = null!;
    private readonly List<HttpClient> _httpClients = [];
    private FloorClient _floor = null!;
    private ChatClient _sdk = null!;
    private ILlmProvider _ours = null!;

    // What the last call read; stored (not allocated) so GlobalSetup can verify each contender.
    private string _lastText = string.Empty;
    private TokenCounts _lastUsage;

    [GlobalSetup]
    public void Setup()
    {
        _handler = new CannedResponseHandler(CannedPayloads.ChatCompletionJson, "application/json");
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

    /// <summary>Raw HttpClient + source-generated System.Text.Json into minimal DTOs.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> Floor()
    {
        (string text, TokenCounts usage) = await _floor.ChatAsync(
            CannedPayloads.RequestedModel, CannedPayloads.Prompt, CannedPayloads.MaxOutputTokens, default);
        _lastText = text;
        _lastUsage = usage;
        return text.Length + usage.Output;
    }

    /// <summary>The official OpenAI .NET SDK 2.15.0: <see cref="ChatClient.CompleteChatAsync(IEnumerable{OpenAI.Chat.ChatMessage}, ChatCompletionOptions, System.Threading.CancellationToken)"/>.</summary>
    [Benchmark]
    public async Task<long> OfficialSdk()
    {
        ClientResult<ChatCompletion> result = await _sdk.CompleteChatAsync(
            [new UserChatMessage(CannedPayloads.Prompt)],
            new ChatCompletionOptions { MaxOutputTokenCount = CannedPayloads.MaxOutputTokens });
        ChatCompletion completion = result.Value;
        string text = completion.Content.Count > 0 ? completion.Content[0].Text : string.Empty;
        ChatTokenUsage u = completion.Usage;
        var usage = new TokenCounts(u.InputTokenCount, u.OutputTokenCount, u.TotalTokenCount);
        _lastText = text;
        _lastUsage = usage;
        return text.Length + usage.Output;
    }

    /// <summary>Our <c>OpenAIProvider.ChatAsync</c>.</summary>
    [Benchmark]
    public async Task<long> LlmProviders()
    {
        ChatResult result = await _ours.ChatAsync(Contenders.CreateOursRequest());
        string text = result.Text;
        UsageDetails? u = result.Usage;
        var usage = u is null ? default : new TokenCounts(u.InputTokenCount ?? 0, u.OutputTokenCount ?? 0, u.TotalTokenCount ?? 0);
        _lastText = text;
        _lastUsage = usage;
        return text.Length + usage.Output;
    }

    private HttpClient NewHttpClient()
    {
        var client = new HttpClient(_handler, disposeHandler: false);
        _httpClients.Add(client);
        return client;
    }

    private void Verify(string contender, long returned)
    {
        Verification.Check(contender, _lastText, _lastUsage, _handler.LastRequest, streaming: false);
        if (returned != _lastText.Length + _lastUsage.Output)
        {
            throw new System.InvalidOperationException($"Benchmark contender '{contender}' returned {returned}.");
        }
    }
}
