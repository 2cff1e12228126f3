using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>
/// A provider on the test's clock: queued failures (thrown by the next calls, in order, before any update), a failure rule by call
/// number, a time each answer takes (a timer on the clock), calls that hang until cancelled, and streams that stall after their first
/// update. Counts its calls (thread-safe) and records when each started.
/// </summary>
internal sealed class ClockedProvider(string name, TimeProvider time, bool isLocal = false) : ILlmProvider
{
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentQueue<DateTimeOffset> _callTimes = new();
    private int _calls;
    private int _failed;

    public string Name { get; } = name;

    public string Kind => "clocked";

    public LlmCapabilities Capabilities => LlmCapabilities.Chat | LlmCapabilities.Streaming;

    public bool IsLocal { get; } = isLocal;

    /// <summary>Gets how many calls (chat or stream) reached the provider.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets how many calls failed (thrown by the provider).</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Gets when each call started, in order.</summary>
    public IReadOnlyList<DateTimeOffset> CallTimes => [.. _callTimes];

    /// <summary>Gets or sets how long an answer takes (awaited on the clock), zero for at once.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets or sets the failure of call n (1-based), or <see langword="null"/> for success; after the queued failures.</summary>
    public Func<int, Exception?>? FailWhen { get; set; }

    /// <summary>Gets or sets a value indicating whether calls yield to the thread pool first (real concurrency).</summary>
    public bool YieldFirst { get; set; }

    /// <summary>Gets or sets a value indicating whether calls wait until cancelled.</summary>
    public bool Hang { get; set; }

    /// <summary>Gets or sets a value indicating whether a stream stalls (until cancelled) after its first update.</summary>
    public bool StallAfterFirstUpdate { get; set; }

    /// <summary>Gets a task completed when a call starts hanging, or a stream stalls.</summary>
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClockedProvider ThenFail(Exception error, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            _failures.Enqueue(error);
        }

        return this;
    }

    public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, time, cancellationToken);
        }

        return new ChatResult(new ChatMessage(ChatRole.Assistant, "answer from " + Name))
        {
            ProviderName = Name,
            Model = request.Model ?? "clocked-model",
            Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 2, TotalTokenCount = 3 },
        };
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        yield return new ChatStreamUpdate { Text = "Hello", ProviderName = Name, Model = request.Model };
        if (StallAfterFirstUpdate)
        {
            Waiting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        yield return new ChatStreamUpdate { Text = " from " + Name, ProviderName = Name, Model = request.Model };
        yield return new ChatStreamUpdate { IsFinal = true, FinishReason = ChatFinishReason.Stop, ProviderName = Name, Model = request.Model };
    }

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([new LlmModelInfo(Name + "-model")]);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, time.GetUtcNow(), TimeSpan.Zero));

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _calls);
        _callTimes.Enqueue(time.GetUtcNow());
        if (YieldFirst)
        {
            await Task.Yield();
        }

        if (Hang)
        {
            Waiting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (_failures.TryDequeue(out var failure) || (failure = FailWhen?.Invoke(n)) is not null)
        {
            Interlocked.Increment(ref _failed);
            throw failure;
        }
    }
}
