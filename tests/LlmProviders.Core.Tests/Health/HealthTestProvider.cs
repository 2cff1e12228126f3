using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Health;

/// <summary>
/// A provider whose health check and calls a test scripts: the next check results (healthy by default), a check that waits for
/// cancellation, chat failures; counts every check and call.
/// </summary>
internal sealed class HealthTestProvider(string name, TimeProvider time) : ILlmProvider, IEmbeddingProvider
{
    private readonly ConcurrentQueue<LlmProviderException> _checkFailures = new();
    private readonly ConcurrentQueue<LlmProviderException> _callFailures = new();
    private int _checks;

    public string Name { get; } = name;

    public string Kind => "health-test";

    public LlmCapabilities Capabilities => LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Embeddings | LlmCapabilities.ModelListing;

    public bool IsLocal => false;

    public int Checks => Volatile.Read(ref _checks);

    public ConcurrentQueue<ChatRequest> ChatRequests { get; } = new();

    /// <summary>Gets or sets a value indicating whether every check fails (instead of only the queued failures).</summary>
    public LlmProviderException? AlwaysFailWith { get; set; }

    /// <summary>Gets or sets a value indicating whether checks wait until they are cancelled.</summary>
    public bool HangChecks { get; set; }

    /// <summary>Gets or sets how long a check takes on the test's clock.</summary>
    public TimeSpan CheckLatency { get; set; } = TimeSpan.FromMilliseconds(20);

    public HealthTestProvider FailNextCheck(LlmProviderException error)
    {
        _checkFailures.Enqueue(error);
        return this;
    }

    public HealthTestProvider FailNextCall(LlmProviderException error)
    {
        _callFailures.Enqueue(error);
        return this;
    }

    public async Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _checks);
        var checkedAt = time.GetUtcNow();
        if (HangChecks)
        {
            var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (cancellationToken.Register(() => waiting.TrySetCanceled(cancellationToken)))
            {
                await waiting.Task;
            }
        }

        var error = AlwaysFailWith ?? (_checkFailures.TryDequeue(out var next) ? next : null);
        return error is null
            ? new ProviderHealthResult(Name, LlmHealthStatus.Healthy, checkedAt, CheckLatency, "3 models available")
            : new ProviderHealthResult(Name, LlmHealthStatus.Unhealthy, checkedAt, CheckLatency, error.Message, error);
    }

    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ChatRequests.Enqueue(request);
        if (_callFailures.TryDequeue(out var error))
        {
            throw error;
        }

        return Task.FromResult(new ChatResult(new ChatMessage(ChatRole.Assistant, "pong")) { ProviderName = Name, Model = request.Model ?? "test-model" });
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var result = await ChatAsync(request, cancellationToken);
        yield return new ChatStreamUpdate { Text = result.Text, ProviderName = Name };
        yield return new ChatStreamUpdate { IsFinal = true, ProviderName = Name, Model = result.Model };
    }

    public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        if (_callFailures.TryDequeue(out var error))
        {
            throw error;
        }

        return Task.FromResult(new EmbeddingResult([new Embedding<float>(new float[] { 1f, 0f })]) { ProviderName = Name, Model = "embed" });
    }

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([new LlmModelInfo("test-model")]);
}
