using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Caching;
using LlmProviders.Costs;
using LlmProviders.Routing;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Caching;

/// <summary>A chain with a response cache over in-test providers, an in-memory store and a cost tracker on a manual clock.</summary>
internal sealed class CacheTestKit
{
    public CacheTestKit(Action<ResponseCacheOptions>? configure = null, ILlmResponseCacheStore? store = null)
    {
        Time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        Options = new ResponseCacheOptions();
        configure?.Invoke(Options);
        Ledger = new InMemoryCostLedgerStore(null, Time);
        Tracker = new CostTracker(Ledger, Time);
        Store = store ?? new InMemoryResponseCacheStore(Options.MaxEntries, Options.MaxBytes, Time);
        Cache = new ResponseCache(Options, Store, Time);
        Costs = new CostAccounting(new CostCalculator(ModelCatalog.Default), null, Tracker);
    }

    public ManualTimeProvider Time { get; }

    public ResponseCacheOptions Options { get; }

    public InMemoryCostLedgerStore Ledger { get; }

    public CostTracker Tracker { get; }

    public ILlmResponseCacheStore Store { get; }

    public ResponseCache Cache { get; }

    public CostAccounting Costs { get; }

    /// <summary>A chain named <paramref name="route"/> whose targets are <paramref name="providers"/>, in order.</summary>
    public FallbackChainProvider Route(string route, params ILlmProvider[] providers)
    {
        var options = new FallbackChainOptions();
        var byName = new Dictionary<string, ILlmProvider>(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            options.AddTarget(provider.Name);
            byName[provider.Name] = provider;
        }

        return new FallbackChainProvider(route, options, n => byName.GetValueOrDefault(n), Time, null, Costs, null, null, Cache);
    }

    public async Task<List<CostRecord>> Records()
    {
        var list = new List<CostRecord>();
        await foreach (var batch in Ledger.QueryAsync(CostRecordFilter.All))
        {
            list.AddRange(batch.ToArray());
        }

        return list;
    }

    public static async Task<List<ChatStreamUpdate>> Collect(IAsyncEnumerable<ChatStreamUpdate> stream)
    {
        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }
}

/// <summary>
/// A provider that answers with text, a tool call and usage; it can hold its calls at a gate until the test opens it, and
/// fail its next calls. Records every call and whether the token it got was cancelled.
/// </summary>
internal sealed class GatedProvider(string name) : ILlmProvider
{
    private readonly ConcurrentQueue<Exception> _failures = new();
    private int _calls;
    private int _cancelled;

    public string Name { get; } = name;

    public string Kind => "gated";

    public LlmCapabilities Capabilities => LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools;

    public bool IsLocal => false;

    /// <summary>Gets or sets the gate calls wait at; <see langword="null"/> answers at once.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Gets or sets the gate a stream waits at after its first update; <see langword="null"/> goes on at once.</summary>
    public TaskCompletionSource? MidGate { get; set; }

    /// <summary>Gets a task completed when a stream has produced its first update and waits at <see cref="MidGate"/>.</summary>
    public TaskCompletionSource AtMidGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets or sets the failure a stream throws after its first update (and after <see cref="MidGate"/>).</summary>
    public Exception? MidStreamFailure { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public int CancelledCalls => Volatile.Read(ref _cancelled);

    /// <summary>Gets a task completed when a call at the gate sees its token cancelled.</summary>
    public TaskCompletionSource CancelledSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GatedProvider ThenFail(Exception error)
    {
        _failures.Enqueue(error);
        return this;
    }

    public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls);
        await PassGateAsync(cancellationToken);
        return new ChatResult(new ChatMessage(ChatRole.Assistant,
            [new TextContent($"answer {call} from {Name}"), new FunctionCallContent("call-1", "lookup", new Dictionary<string, object?> { ["city"] = "Paris" })]))
        {
            ProviderName = Name,
            Model = request.Model ?? "gated-model",
            FinishReason = ChatFinishReason.ToolCalls,
            ResponseId = "resp-" + call,
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15, CachedInputTokenCount = 4 },
            Cost = 0.002m,
        };
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls);
        await PassGateAsync(cancellationToken);
        yield return new ChatStreamUpdate { Text = "Hel", ProviderName = Name, Model = "gated-model" };
        if (MidGate is { } midGate)
        {
            AtMidGate.TrySetResult();
            await WaitAsync(midGate, cancellationToken);
        }

        if (MidStreamFailure is { } broken)
        {
            throw broken;
        }

        yield return new ChatStreamUpdate { ReasoningText = "thinking", ProviderName = Name, Model = "gated-model" };
        yield return new ChatStreamUpdate { Text = $"lo {call}", ProviderName = Name, Model = "gated-model" };
        yield return new ChatStreamUpdate
        {
            IsFinal = true,
            ProviderName = Name,
            Model = "gated-model",
            FinishReason = ChatFinishReason.ToolCalls,
            ToolCalls = [new FunctionCallContent("call-1", "lookup", new Dictionary<string, object?> { ["city"] = "Paris" })],
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 },
            Cost = 0.002m,
        };
    }

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([new LlmModelInfo(Name + "-model")]);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, DateTimeOffset.UnixEpoch, TimeSpan.Zero));

    private async Task PassGateAsync(CancellationToken cancellationToken)
    {
        if (Gate is { } gate)
        {
            await WaitAsync(gate, cancellationToken);
        }

        if (_failures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }

    private async Task WaitAsync(TaskCompletionSource gate, CancellationToken cancellationToken)
    {
        try
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            CancelledSignal.TrySetResult();
            throw;
        }
    }
}
