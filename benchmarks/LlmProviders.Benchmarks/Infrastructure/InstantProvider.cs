using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// A provider that answers at once with one cached <see cref="ChatResult"/> (SPEC P3/P4): whatever a call through a router costs
/// beyond a call to this provider is the router's own overhead.
/// </summary>
/// <remarks>
/// The router sets <see cref="ChatResult.ProviderName"/>, <see cref="ChatResult.Trace"/> and <see cref="ChatResult.Latency"/> on the
/// result it returns; with a cached result that write lands on the shared instance, which is harmless here (nothing reads it).
/// </remarks>
internal sealed class InstantProvider : ILlmProvider
{
    private readonly Task<ChatResult> _result;
    private readonly bool _yield;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="yieldFirst">Whether each call yields once before answering, so that concurrent calls are really in flight together (P4).</param>
    public InstantProvider(string name, bool yieldFirst = false)
    {
        Name = name;
        _yield = yieldFirst;
        var result = new ChatResult(new ChatMessage(ChatRole.Assistant, "pong"))
        {
            Model = "instant-1",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 1, TotalTokenCount = 13 },
            Cost = 0.000002m,
        };
        _result = Task.FromResult(result);
    }

    /// <summary>The kind the instant provider reports.</summary>
    public const string ProviderKind = "instant";

    public string Name { get; }

    public string Kind => ProviderKind;

    public LlmCapabilities Capabilities => LlmCapabilities.Chat;

    public bool IsLocal => false;

    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default) =>
        _yield ? YieldThenAnswerAsync() : _result;

    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The instant provider answers chat calls only.");

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([]);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, DateTimeOffset.UtcNow, TimeSpan.Zero, "Always healthy."));

    private async Task<ChatResult> YieldThenAnswerAsync()
    {
        await Task.Yield();
        return await _result;
    }
}
