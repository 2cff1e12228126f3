using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Routing;

/// <summary>
/// A provider whose outcomes a test scripts: queued failures (thrown by the next calls, in order, before any update), then
/// success; streams of <see cref="StreamTokens"/> that can break after some updates; or a call that waits for cancellation.
/// Records every request it receives.
/// </summary>
internal sealed class ScriptedProvider(string name, LlmCapabilities capabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming, bool isLocal = false) : ILlmProvider
{
    private readonly ConcurrentQueue<Exception> _failures = new();

    public string Name { get; } = name;

    public string Kind => "scripted";

    public LlmCapabilities Capabilities { get; } = capabilities;

    public bool IsLocal { get; } = isLocal;

    /// <summary>Gets the requests received, in order.</summary>
    public ConcurrentQueue<ChatRequest> Requests { get; } = new();

    public int Calls => Requests.Count;

    public IReadOnlyList<string> StreamTokens { get; set; } = ["Hello", ", ", "world"];

    /// <summary>Gets or sets after how many updates a stream throws <see cref="StreamFailure"/>.</summary>
    public int? BreakStreamAfter { get; set; }

    public Exception StreamFailure { get; set; } = new ProviderUnavailableException("connection reset") { ProviderName = "scripted" };

    /// <summary>Gets or sets a value indicating whether a stream ends without its final update.</summary>
    public bool OmitFinalUpdate { get; set; }

    /// <summary>Gets or sets a value indicating whether calls wait until the caller cancels.</summary>
    public bool WaitForCancellation { get; set; }

    /// <summary>Gets a task completed when a call starts waiting for cancellation.</summary>
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ScriptedProvider ThenFail(Exception error)
    {
        _failures.Enqueue(error);
        return this;
    }

    public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        await StartAsync(request, cancellationToken);
        return new ChatResult(new ChatMessage(ChatRole.Assistant, "answer from " + Name))
        {
            ProviderName = Name,
            Model = request.Model ?? "scripted-model",
            Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 2, TotalTokenCount = 3 },
            Cost = 0.001m,
        };
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await StartAsync(request, cancellationToken);
        for (int i = 0; i < StreamTokens.Count; i++)
        {
            if (i == BreakStreamAfter)
            {
                throw StreamFailure;
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatStreamUpdate { Text = StreamTokens[i], ProviderName = Name, Model = request.Model };
        }

        if (!OmitFinalUpdate)
        {
            yield return new ChatStreamUpdate { IsFinal = true, FinishReason = ChatFinishReason.Stop, ProviderName = Name, Model = request.Model, Cost = 0.001m };
        }
    }

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([new LlmModelInfo(Name + "-model")]);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, DateTimeOffset.UnixEpoch, TimeSpan.Zero));

    private async Task StartAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (WaitForCancellation)
        {
            Waiting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (_failures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }
}
