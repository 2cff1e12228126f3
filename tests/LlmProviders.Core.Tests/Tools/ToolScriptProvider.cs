using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Tools;

/// <summary>
/// A provider that plays scripted turns in order (tool calls or text, with usage and cost), chat or stream, and records a
/// copy of every request it receives. A turn may be a failure, thrown before any update.
/// </summary>
internal sealed class ToolScriptProvider(string name = "script") : ILlmProvider
{
    private readonly ConcurrentQueue<Turn> _turns = new();

    public string Name { get; } = name;

    public string Kind => "scripted";

    public LlmCapabilities Capabilities => LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools;

    public bool IsLocal => false;

    /// <summary>Gets what each request held when it arrived: its messages (copied) and tools.</summary>
    public List<(List<ChatMessage> Messages, IList<AITool>? Tools, ChatToolMode? ToolMode)> Requests { get; } = [];

    /// <summary>Gets or sets a turn played when the script is empty; <see langword="null"/> fails the call.</summary>
    public Turn? Repeat { get; set; }

    public static Turn Calls(long input, long output, decimal? cost, params (string Name, string Arguments)[] calls)
    {
        var contents = new List<AIContent>();
        foreach (var (toolName, arguments) in calls)
        {
            contents.Add(ToolCallJson.CreateCall("call_" + toolName + "_" + contents.Count, toolName, arguments));
        }

        return new Turn(contents, ChatFinishReason.ToolCalls, input, output, cost, null);
    }

    public static Turn Text(string text, long input, long output, decimal? cost) =>
        new([new TextContent(text)], ChatFinishReason.Stop, input, output, cost, null);

    public static Turn Fail(Exception error) => new([], null, 0, 0, null, error);

    public ToolScriptProvider Then(Turn turn)
    {
        _turns.Enqueue(turn);
        return this;
    }

    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var turn = Next(request);
        return Task.FromResult(new ChatResult(new ChatMessage(ChatRole.Assistant, new List<AIContent>(turn.Contents)))
        {
            FinishReason = turn.FinishReason,
            Usage = Usage(turn),
            Cost = turn.Cost,
            ProviderName = Name,
            Model = "script-model",
            Latency = TimeSpan.FromMilliseconds(10),
        });
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var turn = Next(request);
        List<FunctionCallContent>? calls = null;
        foreach (var content in turn.Contents)
        {
            if (content is TextContent text)
            {
                // One update per word, as a provider streams.
                foreach (var word in text.Text.Split(' '))
                {
                    await Task.Yield();
                    yield return new ChatStreamUpdate { Text = word + " ", ProviderName = Name };
                }
            }
            else if (content is FunctionCallContent call)
            {
                (calls ??= []).Add(call);
            }
        }

        yield return new ChatStreamUpdate
        {
            IsFinal = true,
            ToolCalls = calls,
            FinishReason = turn.FinishReason,
            Usage = Usage(turn),
            Cost = turn.Cost,
            ProviderName = Name,
            Model = "script-model",
            Latency = TimeSpan.FromMilliseconds(10),
        };
    }

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([new LlmModelInfo("script-model")]);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, DateTimeOffset.UnixEpoch, TimeSpan.Zero));

    private static UsageDetails Usage(Turn turn) =>
        new() { InputTokenCount = turn.Input, OutputTokenCount = turn.Output, TotalTokenCount = turn.Input + turn.Output };

    private Turn Next(ChatRequest request)
    {
        lock (Requests)
        {
            Requests.Add((new List<ChatMessage>(request.Messages), request.Tools is null ? null : new List<AITool>(request.Tools), request.ToolMode));
        }

        if (!_turns.TryDequeue(out var turn))
        {
            turn = Repeat ?? throw new InvalidOperationException($"{Name}: the script has no more turns.");
        }

        if (turn.Error is { } error)
        {
            throw error;
        }

        return turn;
    }

    internal sealed record Turn(IReadOnlyList<AIContent> Contents, ChatFinishReason? FinishReason, long Input, long Output, decimal? Cost, Exception? Error);
}
