using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Telemetry;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Telemetry;

/// <summary>A scripted HTTP-like provider of a given kind and endpoint: answers, or throws the queued errors first.</summary>
internal sealed class EndpointProvider(string name, string kind, Uri endpoint) : ILlmProvider, IEmbeddingProvider, ILlmProviderDescriptor
{
    private readonly Queue<Exception> _failures = new();

    public string Name { get; } = name;

    public string Kind { get; } = kind;

    public LlmCapabilities Capabilities => LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Embeddings;

    public bool IsLocal => false;

    public Uri? ServerEndpoint { get; } = endpoint;

    public string? DefaultModel => null;

    public string AnswerText { get; set; } = "the answer";

    public EndpointProvider ThenFail(Exception error)
    {
        _failures.Enqueue(error);
        return this;
    }

    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ThrowQueued();
        return Task.FromResult(new ChatResult(new ChatMessage(ChatRole.Assistant, AnswerText))
        {
            Model = (request.Model ?? "default") + "-2025",
            Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 34, TotalTokenCount = 46 },
            Cost = 0.25m,
            FinishReason = ChatFinishReason.Stop,
            ResponseId = "resp-1",
        });
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        ThrowQueued();
        yield return new ChatStreamUpdate { Text = "the " };
        yield return new ChatStreamUpdate { Text = "answer" };
        yield return new ChatStreamUpdate
        {
            IsFinal = true,
            FinishReason = ChatFinishReason.Stop,
            Model = request.Model,
            Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 2 },
        };
    }

    public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        ThrowQueued();
        return Task.FromResult(new EmbeddingResult([new Embedding<float>(new float[] { 1, 2 })])
        {
            Model = request.Model,
            Usage = new UsageDetails { InputTokenCount = 3 },
        });
    }

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([]);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, DateTimeOffset.UnixEpoch, TimeSpan.Zero));

    private void ThrowQueued()
    {
        if (_failures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }
}
