using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Interop;

/// <summary>A hand-written <see cref="IChatClient"/>: answers with <see cref="Response"/> / <see cref="Updates"/>, or throws <see cref="Failure"/>; records every call.</summary>
internal sealed class TestChatClient : IChatClient
{
    public ChatResponse Response { get; set; } = new(new ChatMessage(ChatRole.Assistant, "Hello from the client"))
    {
        ResponseId = "resp-1",
        ModelId = "client-model",
        FinishReason = ChatFinishReason.Stop,
        Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 4, TotalTokenCount = 14 },
    };

    public IList<ChatResponseUpdate> Updates { get; set; } =
    [
        new(ChatRole.Assistant, "Hello") { ResponseId = "resp-1", ModelId = "client-model" },
        new(ChatRole.Assistant, " world") { ResponseId = "resp-1", ModelId = "client-model" },
        new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2, TotalTokenCount = 12 })])
        {
            ResponseId = "resp-1", FinishReason = ChatFinishReason.Stop,
        },
    ];

    /// <summary>Gets or sets what calls throw (streams: after <see cref="FailAfterUpdates"/> updates).</summary>
    public Exception? Failure { get; set; }

    public int FailAfterUpdates { get; set; }

    public ChatClientMetadata Metadata { get; set; } = new("testai", new Uri("https://test.example/v1"), "client-default");

    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add(([.. messages], options));
        cancellationToken.ThrowIfCancellationRequested();
        return Failure is { } failure ? Task.FromException<ChatResponse>(failure) : Task.FromResult(Response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Add(([.. messages], options));
        await Task.Yield();
        for (int i = 0; i < Updates.Count; i++)
        {
            if (Failure is not null && i == FailAfterUpdates)
            {
                throw Failure;
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return Updates[i];
        }

        if (Failure is not null && FailAfterUpdates >= Updates.Count)
        {
            throw Failure;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}

/// <summary>A provider answering with a result and stream the test sets; records every request.</summary>
internal sealed class CannedProvider(string name = "canned", string kind = "canned") : ILlmProvider
{
    public string Name { get; } = name;

    public string Kind { get; } = kind;

    public LlmCapabilities Capabilities => LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools;

    public bool IsLocal => false;

    public List<ChatRequest> Requests { get; } = [];

    public Func<ChatRequest, ChatResult> Result { get; set; } = r => new ChatResult(new ChatMessage(ChatRole.Assistant, "canned answer"))
    {
        FinishReason = ChatFinishReason.Stop,
        Model = r.Model ?? "canned-model",
        ProviderName = "canned",
        ResponseId = "canned-1",
        Usage = new UsageDetails { InputTokenCount = 3, OutputTokenCount = 2, TotalTokenCount = 5 },
        Cost = 0.25m,
    };

    public IList<ChatStreamUpdate> Updates { get; set; } = [];

    public Exception? Failure { get; set; }

    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        return Failure is { } failure ? Task.FromException<ChatResult>(failure) : Task.FromResult(Result(request));
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        await Task.Yield();
        if (Failure is { } failure)
        {
            throw failure;
        }

        foreach (var update in Updates)
        {
            yield return update;
        }
    }

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([new LlmModelInfo("canned-model")]);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, DateTimeOffset.UnixEpoch, TimeSpan.Zero));
}
