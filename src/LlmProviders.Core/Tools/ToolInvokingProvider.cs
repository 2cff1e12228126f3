using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Tools;

/// <summary>
/// Runs the tool loop over an inner provider: the model asks for tool calls, they run (several at once up to
/// <see cref="LlmToolInvocationOptions.MaxConcurrentInvocations"/>), their results go back, until the model answers or
/// <see cref="LlmToolInvocationOptions.MaxIterations"/> is reached. Each model call goes through the inner provider (so a
/// router fails over per call). A request with no tools (none registered, none in the request) passes straight through.
/// </summary>
internal sealed class ToolInvokingProvider : ILlmProvider
{
    private readonly ILlmProvider _inner;
    private readonly LlmToolRegistry _registry;
    private readonly int _maxIterations;
    private readonly int _maxConcurrency;
    private readonly bool _detailedErrors;
    private readonly bool _throwOnToolError;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IServiceProvider? _services;

    public ToolInvokingProvider(
        ILlmProvider inner,
        LlmToolRegistry registry,
        LlmToolInvocationOptions options,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        var validation = LlmToolInvocationOptionsValidator.Instance.Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _inner = inner;
        _registry = registry;
        _maxIterations = options.MaxIterations;
        _maxConcurrency = options.MaxConcurrentInvocations;
        _detailedErrors = options.IncludeDetailedErrors;
        _throwOnToolError = options.ThrowOnToolError;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _services = services;
    }

    public string Name => _inner.Name;

    public string Kind => _inner.Kind;

    public LlmCapabilities Capabilities => _inner.Capabilities;

    public bool IsLocal => _inner.IsLocal;

    /// <summary>Gets the provider the loop calls.</summary>
    internal ILlmProvider Inner => _inner;

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) => _inner.ListModelsAsync(cancellationToken);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) => _inner.CheckHealthAsync(cancellationToken);

    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registered = _registry.Snapshot;
        if (registered.Count == 0 && !HasFunctions(request))
        {
            return _inner.ChatAsync(request, cancellationToken);
        }

        return LoopAsync(request, registered, cancellationToken);
    }

    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registered = _registry.Snapshot;
        if (registered.Count == 0 && !HasFunctions(request))
        {
            return _inner.StreamAsync(request, cancellationToken);
        }

        return StreamLoopAsync(request, registered, cancellationToken);
    }

    private static bool HasFunctions(ChatRequest request)
    {
        if (request.Tools is { } tools)
        {
            foreach (var tool in tools)
            {
                if (tool is AIFunction)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async Task<ChatResult> LoopAsync(ChatRequest request, Dictionary<string, AIFunction> registered, CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        var (working, tools) = Prepare(request, registered);
        var steps = new List<LlmToolLoopStep>();
        var added = new List<ChatMessage>();
        var totals = new Totals();
        for (int iteration = 1; ; iteration++)
        {
            var result = await _inner.ChatAsync(working, cancellationToken).ConfigureAwait(false);
            totals.Add(result.Usage, result.Cost);
            var calls = result.ToolCalls;
            bool reachedLimit = calls.Count > 0 && iteration >= _maxIterations;
            if (calls.Count == 0 || reachedLimit || !AllInvocable(calls, tools))
            {
                if (reachedLimit)
                {
                    ToolsLog.MaxIterationsReached(_logger, _maxIterations);
                }

                steps.Add(new LlmToolLoopStep(result, Array.Empty<FunctionResultContent>()));
                added.Add(result.Message);
                return Final(result, steps, added, totals, _time.GetElapsedTime(start), reachedLimit);
            }

            var results = await InvokeAllAsync(calls, tools, cancellationToken).ConfigureAwait(false);
            steps.Add(new LlmToolLoopStep(result, results));
            var toolMessage = new ChatMessage(ChatRole.Tool, new List<AIContent>(results));
            added.Add(result.Message);
            added.Add(toolMessage);
            working = NextRequest(working, result.Message, toolMessage);
        }
    }

    private async IAsyncEnumerable<ChatStreamUpdate> StreamLoopAsync(
        ChatRequest request,
        Dictionary<string, AIFunction> registered,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        var (working, tools) = Prepare(request, registered);
        var totals = new Totals();
        TimeSpan? timeToFirstToken = null;
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        for (int iteration = 1; ; iteration++)
        {
            text.Clear();
            reasoning.Clear();
            string? protectedData = null;
            List<FunctionCallContent>? calls = null;
            ChatStreamUpdate? final = null;
            await foreach (var update in _inner.StreamAsync(working, cancellationToken).ConfigureAwait(false))
            {
                if (update.ToolCalls is { Count: > 0 } updateCalls)
                {
                    (calls ??= []).AddRange(updateCalls);
                }

                if (update.IsFinal)
                {
                    final = update;
                    continue;
                }

                if (update.RestartsAnswer)
                {
                    text.Clear();
                    reasoning.Clear();
                }

                text.Append(update.Text);
                reasoning.Append(update.ReasoningText);
                protectedData = update.ReasoningProtectedData ?? protectedData;
                timeToFirstToken ??= _time.GetElapsedTime(start);
                yield return update;
            }

            if (final is null)
            {
                // Providers end every stream with a final update or an exception; a stream without one is passed on as it is.
                yield break;
            }

            totals.Add(final.Usage, final.Cost);
            bool reachedLimit = calls is not null && iteration >= _maxIterations;
            if (calls is null || reachedLimit || !AllInvocable(calls, tools))
            {
                if (reachedLimit)
                {
                    ToolsLog.MaxIterationsReached(_logger, _maxIterations);
                }

                yield return FinalUpdate(final, totals, _time.GetElapsedTime(start), timeToFirstToken, iteration, reachedLimit);
                yield break;
            }

            var contents = new List<AIContent>(calls.Count + 2);
            if (reasoning.Length > 0 || protectedData is not null)
            {
                contents.Add(new TextReasoningContent(reasoning.ToString()) { ProtectedData = protectedData });
            }

            if (text.Length > 0)
            {
                contents.Add(new TextContent(text.ToString()));
            }

            contents.AddRange(calls);
            var assistant = new ChatMessage(ChatRole.Assistant, contents);
            var results = await InvokeAllAsync(calls, tools, cancellationToken).ConfigureAwait(false);
            working = NextRequest(working, assistant, new ChatMessage(ChatRole.Tool, new List<AIContent>(results)));
        }
    }

    // The request the model sees: its tools plus the registered ones (a request's tool wins over a registered one of the same
    // name). Returns the request itself when nothing needs adding, else a copy (the caller's request is never changed).
    private static (ChatRequest Request, Dictionary<string, AITool> Tools) Prepare(ChatRequest request, Dictionary<string, AIFunction> registered)
    {
        var tools = new Dictionary<string, AITool>(registered.Count + (request.Tools?.Count ?? 0), StringComparer.Ordinal);
        if (request.Tools is { } requestTools)
        {
            foreach (var tool in requestTools)
            {
                tools.TryAdd(tool.Name, tool);
            }
        }

        bool missing = false;
        foreach (var pair in registered)
        {
            if (tools.TryAdd(pair.Key, pair.Value))
            {
                missing = true;
            }
        }

        if (!missing)
        {
            return (request, tools);
        }

        var working = request.Clone();
        var list = working.Tools ?? new List<AITool>(tools.Count);
        foreach (var pair in registered)
        {
            if (ReferenceEquals(tools[pair.Key], pair.Value))
            {
                list.Add(pair.Value);
            }
        }

        working.Tools = list;
        return (working, tools);
    }

    // A call to a tool the request only declares (no .NET function behind it) is for the caller: the loop stops and returns it.
    private static bool AllInvocable(IReadOnlyList<FunctionCallContent> calls, Dictionary<string, AITool> tools)
    {
        foreach (var call in calls)
        {
            if (tools.TryGetValue(call.Name, out var tool) && tool is not AIFunction)
            {
                return false;
            }
        }

        return true;
    }

    private static ChatRequest NextRequest(ChatRequest working, ChatMessage assistant, ChatMessage toolMessage)
    {
        var next = working.Clone();
        next.Messages.Add(assistant);
        next.Messages.Add(toolMessage);

        // A required tool was required for the first turn; asking again would never let the model answer.
        if (next.ToolMode is RequiredChatToolMode)
        {
            next.ToolMode = null;
        }

        return next;
    }

    private async Task<FunctionResultContent[]> InvokeAllAsync(IReadOnlyList<FunctionCallContent> calls, Dictionary<string, AITool> tools, CancellationToken cancellationToken)
    {
        var results = new FunctionResultContent[calls.Count];
        if (calls.Count == 1 || _maxConcurrency == 1)
        {
            for (int i = 0; i < calls.Count; i++)
            {
                results[i] = await InvokeAsync(calls[i], tools, cancellationToken).ConfigureAwait(false);
            }

            return results;
        }

        using var gate = new SemaphoreSlim(_maxConcurrency, _maxConcurrency);
        using var batch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new Task[calls.Count];
        for (int i = 0; i < calls.Count; i++)
        {
            tasks[i] = RunGatedAsync(i);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A tool error rethrown (ThrowOnToolError): the first failure in call order, not the other calls' cancellations.
            foreach (var task in tasks)
            {
                if (task.IsFaulted && task.Exception?.InnerException is { } first and not OperationCanceledException)
                {
                    ExceptionDispatchInfo.Throw(first);
                }
            }

            throw;
        }

        return results;

        async Task RunGatedAsync(int index)
        {
            await gate.WaitAsync(batch.Token).ConfigureAwait(false); // outside the try: release only what was taken
            try
            {
                results[index] = await InvokeAsync(calls[index], tools, batch.Token).ConfigureAwait(false);
            }
            catch
            {
                await batch.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private async Task<FunctionResultContent> InvokeAsync(FunctionCallContent call, Dictionary<string, AITool> tools, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (call.Exception is { } parseError)
        {
            ToolsLog.InvalidArguments(_logger, call.Name);
            return new FunctionResultContent(
                call.CallId,
                $"Error: the arguments of this call to '{call.Name}' could not be read ({parseError.Message}). Call the tool again with its arguments as one JSON object that matches its parameters schema.")
            {
                Exception = parseError,
            };
        }

        if (!tools.TryGetValue(call.Name, out var tool) || tool is not AIFunction function)
        {
            ToolsLog.UnknownTool(_logger, call.Name);
            return new FunctionResultContent(call.CallId, UnknownToolText(call.Name, tools));
        }

        try
        {
            var arguments = call.Arguments is null ? new AIFunctionArguments() : new AIFunctionArguments(call.Arguments);
            arguments.Services = _services;
            var value = await function.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false);
            return new FunctionResultContent(call.CallId, value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (!_throwOnToolError)
        {
            ToolsLog.ToolFailed(_logger, call.Name, ex.GetType().Name, ex);
            string text = _detailedErrors
                ? $"Error: the tool '{call.Name}' failed: {ex.Message}"
                : $"Error: the tool '{call.Name}' failed.";
            return new FunctionResultContent(call.CallId, text) { Exception = ex };
        }
    }

    private static string UnknownToolText(string name, Dictionary<string, AITool> tools)
    {
        var sb = new StringBuilder("Error: there is no tool named '").Append(name).Append("'. ");
        if (tools.Count == 0)
        {
            return sb.Append("No tools are available; answer without one.").ToString();
        }

        sb.Append("The tools are: ");
        bool first = true;
        foreach (var key in tools.Keys)
        {
            sb.Append(first ? string.Empty : ", ").Append(key);
            first = false;
        }

        return sb.Append(". Call one of them, or answer without a tool.").ToString();
    }

    private static LlmToolLoopResult Final(ChatResult last, List<LlmToolLoopStep> steps, List<ChatMessage> added, Totals totals, TimeSpan latency, bool reachedLimit) =>
        new(last.Message, steps, added)
        {
            FinishReason = last.FinishReason,
            Refusal = last.Refusal,
            ContentFilterCategories = last.ContentFilterCategories,
            Usage = totals.Usage,
            ResponseId = last.ResponseId,
            ProviderName = last.ProviderName,
            Model = last.Model,
            Cost = totals.Cost,
            Latency = steps.Count == 1 ? last.Latency : latency,
            TimeToFirstToken = steps.Count == 1 ? last.TimeToFirstToken : steps[0].Response.TimeToFirstToken,
            FromCache = steps.Count == 1 && last.FromCache,
            Trace = last.Trace,
            AdditionalProperties = last.AdditionalProperties,
            RawRepresentation = last.RawRepresentation,
            MaxIterationsReached = reachedLimit,
        };

    private static ChatStreamUpdate FinalUpdate(ChatStreamUpdate last, Totals totals, TimeSpan latency, TimeSpan? timeToFirstToken, int iterations, bool reachedLimit)
    {
        var properties = last.AdditionalProperties is null ? [] : new AdditionalPropertiesDictionary(last.AdditionalProperties);
        properties[LlmToolLoopProperties.Iterations] = iterations;
        properties[LlmToolLoopProperties.MaxIterationsReached] = reachedLimit;
        return new ChatStreamUpdate
        {
            Text = last.Text,
            ReasoningText = last.ReasoningText,
            ReasoningProtectedData = last.ReasoningProtectedData,
            Refusal = last.Refusal,
            ToolCalls = last.ToolCalls,
            RestartsAnswer = last.RestartsAnswer,
            IsFinal = true,
            FinishReason = last.FinishReason,
            ContentFilterCategories = last.ContentFilterCategories,
            Usage = totals.Usage,
            Cost = totals.Cost,
            ResponseId = last.ResponseId,
            ProviderName = last.ProviderName,
            Model = last.Model,
            Latency = iterations == 1 ? last.Latency : latency,
            TimeToFirstToken = iterations == 1 ? last.TimeToFirstToken : timeToFirstToken ?? last.TimeToFirstToken,
            FromCache = iterations == 1 && last.FromCache,
            Trace = last.Trace,
            AdditionalProperties = properties,
        };
    }

    // Usage and cost summed over the loop's model calls; the cost is known only while every call's is.
    private sealed class Totals
    {
        private bool _costUnknown;
        private decimal _cost;

        public UsageDetails? Usage { get; private set; }

        public decimal? Cost => _costUnknown ? null : _cost;

        public void Add(UsageDetails? usage, decimal? cost)
        {
            if (usage is not null)
            {
                Usage ??= new UsageDetails();
                Usage.Add(usage);
            }

            if (cost is { } known)
            {
                _cost += known;
            }
            else
            {
                _costUnknown = true;
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (tool invocation)");
}
