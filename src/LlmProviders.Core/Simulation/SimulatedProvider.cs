using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Simulation;

/// <summary>
/// A provider that answers without a network: scripted latency, failures of every kind, stream cuts, a fixed or echoed
/// answer streamed token by token, usage and cost. Deterministic with a seed. For demos, and for testing routing
/// configurations (fallback chains, failover rules, cost reports) offline — like LiteLLM's <c>mock_response</c>.
/// </summary>
/// <remarks>
/// <para>Usage is estimated by a simple tokenizer: a token is a run of letters and digits, or one other non-whitespace
/// character, with the whitespace before it ("Hello, world!" is 4 tokens). Input tokens are the tokens of every message's
/// text plus 3 per message; output tokens those of the answer. A request's <see cref="ChatRequest.MaxOutputTokens"/>
/// truncates the answer, with finish reason <see cref="ChatFinishReason.Length"/>.</para>
/// <para>Cost is usage times <see cref="SimulatedProviderOptions.InputPricePerMillionTokens"/> and
/// <see cref="SimulatedProviderOptions.OutputPricePerMillionTokens"/>, so it is always known.</para>
/// <para>Embeddings: each text gets a deterministic unit-length vector made from a hash of the text and
/// <see cref="SimulatedProviderOptions.Seed"/> (the same text and seed always give the same vector; different texts give
/// unrelated ones), of <see cref="EmbeddingRequest.Dimensions"/> or <see cref="SimulatedProviderOptions.EmbeddingDimensions"/>
/// values. Latency and failures are drawn as for chat; usage is the tokens of the inputs, cost those times the input price.</para>
/// <para>Tool calls: with <see cref="SimulatedProviderOptions.ToolCalls"/> set, a request offering those tools is answered with
/// the calls (finish reason <see cref="ChatFinishReason.ToolCalls"/>, on the final update when streamed) until a tool result
/// follows the last user message; then with the text — enough to run a tool loop offline.</para>
/// <para>All waiting goes through the <see cref="TimeProvider"/>, so tests can drive the clock. Thread-safe: concurrent
/// calls draw from one random sequence under a lock; the outcomes then depend on the order the calls arrive in.</para>
/// </remarks>
public sealed class SimulatedProvider : ILlmProvider, IEmbeddingProvider
{
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly TimeProvider _time;
    private readonly string _model;
    private readonly string _embeddingModel;
    private readonly int _embeddingDimensions;
    private readonly ulong _embeddingSeed;
    private readonly TimeSpan _latency;
    private readonly TimeSpan _minLatency;
    private readonly TimeSpan _maxLatency;
    private readonly bool _randomLatency;
    private readonly TimeSpan _tokenDelay;
    private readonly double _failureRate;
    private readonly LlmErrorKind[] _failureKinds;
    private readonly TimeSpan? _retryAfter;
    private readonly int? _streamCutAfterTokens;
    private readonly string _responseText;
    private readonly bool _echoPrompt;
    private readonly decimal _inputPrice;
    private readonly decimal _outputPrice;
    private readonly bool _healthy;
    private readonly SimulatedToolCall[] _toolCalls;
    private long _sequence;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">The behaviour; copied, so later changes to it are not seen.</param>
    /// <param name="name">The registration name, reported as <see cref="ChatResult.ProviderName"/>.</param>
    /// <param name="timeProvider">The clock used for latencies; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each option and the fix.</exception>
    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Simulated outcomes, not security.")]
    public SimulatedProvider(SimulatedProviderOptions options, string name = "simulated", TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var validation = SimulatedProviderOptionsValidator.Instance.Validate(name, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        Name = name;
        _time = timeProvider ?? TimeProvider.System;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        _model = options.Model;
        _embeddingModel = options.EmbeddingModel;
        _embeddingDimensions = options.EmbeddingDimensions;
        _embeddingSeed = (ulong)(uint)(options.Seed ?? 0);
        _latency = options.Latency;
        _randomLatency = options.MinLatency.HasValue && options.MaxLatency.HasValue;
        _minLatency = options.MinLatency ?? TimeSpan.Zero;
        _maxLatency = options.MaxLatency ?? TimeSpan.Zero;
        _tokenDelay = options.TokenDelay;
        _failureRate = options.FailureRate;
        _failureKinds = options.FailureKinds.Count == 0 ? SimulatedFailures.DefaultKinds : [.. options.FailureKinds];
        _retryAfter = options.RetryAfter;
        _streamCutAfterTokens = options.StreamCutAfterTokens;
        _responseText = options.ResponseText;
        _echoPrompt = options.EchoPrompt;
        _inputPrice = options.InputPricePerMillionTokens;
        _outputPrice = options.OutputPricePerMillionTokens;
        _healthy = options.Healthy;
        _toolCalls = new SimulatedToolCall[options.ToolCalls.Count];
        for (int i = 0; i < _toolCalls.Length; i++)
        {
            _toolCalls[i] = new SimulatedToolCall { Name = options.ToolCalls[i].Name, Arguments = options.ToolCalls[i].Arguments };
        }

        Capabilities = options.Capabilities;
        IsLocal = options.IsLocal;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => LlmProviderKinds.Simulated;

    /// <inheritdoc />
    public LlmCapabilities Capabilities { get; }

    /// <inheritdoc />
    public bool IsLocal { get; }

    /// <inheritdoc />
    public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        long start = _time.GetTimestamp();
        var (call, answer) = await BeginAsync(request, cancellationToken).ConfigureAwait(false);
        if (answer.Tokens.Count > 1)
        {
            await DelayAsync(_tokenDelay * (answer.Tokens.Count - 1), cancellationToken).ConfigureAwait(false);
        }

        var latency = _time.GetElapsedTime(start);
        var message = answer.ToolCalls is { } calls
            ? new ChatMessage(ChatRole.Assistant, new List<AIContent>(calls))
            : new ChatMessage(ChatRole.Assistant, answer.Text);
        return new ChatResult(message)
        {
            FinishReason = answer.FinishReason,
            Usage = answer.Usage,
            Cost = answer.Cost,
            ResponseId = call.Id,
            ProviderName = Name,
            Model = call.Model,
            Latency = latency,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        long start = _time.GetTimestamp();
        var (call, answer) = await BeginAsync(request, cancellationToken).ConfigureAwait(false);
        var tokens = answer.Tokens;
        int cut = _streamCutAfterTokens ?? int.MaxValue;
        TimeSpan? timeToFirstToken = null;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (i == cut)
            {
                throw StreamCut(call, tokens, i);
            }

            if (i > 0)
            {
                await DelayAsync(_tokenDelay, cancellationToken).ConfigureAwait(false);
            }

            timeToFirstToken ??= _time.GetElapsedTime(start);
            yield return new ChatStreamUpdate { Text = tokens[i], ProviderName = Name, Model = call.Model, ResponseId = call.Id };
        }

        if (cut == tokens.Count)
        {
            throw StreamCut(call, tokens, cut);
        }

        var latency = _time.GetElapsedTime(start);
        yield return new ChatStreamUpdate
        {
            IsFinal = true,
            ToolCalls = answer.ToolCalls,
            FinishReason = answer.FinishReason,
            Usage = answer.Usage,
            Cost = answer.Cost,
            ResponseId = call.Id,
            ProviderName = Name,
            Model = call.Model,
            Latency = latency,
            TimeToFirstToken = timeToFirstToken ?? latency,
        };
    }

    /// <inheritdoc />
    /// <remarks>Deterministic vectors (a hash of each text and the seed); latency and failures drawn as for chat.</remarks>
    public async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        int count = Http.EmbeddingWire.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Dimensions > SimulatedProviderOptions.MaxEmbeddingDimensions)
        {
            throw new InvalidChatRequestException(string.Create(
                CultureInfo.InvariantCulture,
                $"Simulated provider '{Name}' makes at most {SimulatedProviderOptions.MaxEmbeddingDimensions} dimensions; the request asks for {request.Dimensions}."))
            {
                ProviderName = Name,
                Model = request.Model ?? _embeddingModel,
                StatusCode = System.Net.HttpStatusCode.BadRequest,
            };
        }

        long start = _time.GetTimestamp();
        var call = Draw(string.IsNullOrWhiteSpace(request.Model) ? _embeddingModel : request.Model);
        await DelayAsync(call.Latency, cancellationToken).ConfigureAwait(false);
        if (call.Failure is { } kind)
        {
            throw SimulatedFailures.Create(kind, Name, call.Model, call.Id, _retryAfter, _failureRate);
        }

        int dimensions = request.Dimensions ?? _embeddingDimensions;
        var embeddings = new Embedding<float>[count];
        long tokens = 0;
        for (int i = 0; i < count; i++)
        {
            string text = request.Inputs[i];
            tokens += SimulatedTokenizer.Count(text);
            embeddings[i] = new Embedding<float>(Vector(text, dimensions)) { ModelId = call.Model };
        }

        return new EmbeddingResult(embeddings)
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
            Cost = tokens * _inputPrice / 1_000_000m,
            ProviderName = Name,
            Model = call.Model,
            Latency = _time.GetElapsedTime(start),
        };
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<LlmModelInfo> models = [new LlmModelInfo(_model) { DisplayName = "Simulated model " + _model, OwnedBy = "simulated" }];
        return Task.FromResult(models);
    }

    /// <inheritdoc />
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = _healthy
            ? new ProviderHealthResult(Name, LlmHealthStatus.Healthy, _time.GetUtcNow(), TimeSpan.Zero, "Simulated provider: healthy.")
            : new ProviderHealthResult(
                Name,
                LlmHealthStatus.Unhealthy,
                _time.GetUtcNow(),
                TimeSpan.Zero,
                "Simulated provider: configured unhealthy (Healthy = false).",
                new ProviderUnavailableException($"Simulated provider '{Name}' is configured unhealthy; set Healthy to true.") { ProviderName = Name, Model = _model });
        return Task.FromResult(result);
    }

    // Three draws per call, whatever the options, so one option never shifts the outcomes another one produces.
    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Simulated outcomes, not security.")]
    // Shared by chat and stream: draw the call's outcome, wait out its latency, fail as drawn, else compose the answer.
    private async ValueTask<(Call Call, Answer Answer)> BeginAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var call = Draw(request.Model ?? _model);
        await DelayAsync(call.Latency, cancellationToken).ConfigureAwait(false);
        if (call.Failure is { } kind)
        {
            throw SimulatedFailures.Create(kind, Name, call.Model, call.Id, _retryAfter, _failureRate);
        }

        return (call, Compose(request, call.Id));
    }

    private Call Draw(string model)
    {
        double failureRoll;
        double kindRoll;
        double latencyRoll;
        lock (_randomLock)
        {
            failureRoll = _random.NextDouble();
            kindRoll = _random.NextDouble();
            latencyRoll = _random.NextDouble();
        }

        LlmErrorKind? failure = failureRoll < _failureRate
            ? _failureKinds[Math.Min((int)(kindRoll * _failureKinds.Length), _failureKinds.Length - 1)]
            : null;
        var latency = _randomLatency ? _minLatency + ((_maxLatency - _minLatency) * latencyRoll) : _latency;
        long sequence = Interlocked.Increment(ref _sequence);
        string id = string.Create(CultureInfo.InvariantCulture, $"sim-{Name}-{sequence}");
        return new Call(model, latency, failure, id);
    }

    private Answer Compose(ChatRequest request, string callId)
    {
        string text = _responseText;
        int inputTokens = 0;
        string? lastUserText = null;
        bool toolResultSinceUser = false;
        foreach (var message in request.Messages)
        {
            string messageText = message.Text;
            inputTokens += SimulatedTokenizer.TokensPerMessage + SimulatedTokenizer.Count(messageText);
            if (message.Role == ChatRole.User)
            {
                lastUserText = messageText;
                toolResultSinceUser = false;
            }

            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent)
                {
                    toolResultSinceUser = true;
                }
            }
        }

        if (_toolCalls.Length > 0 && !toolResultSinceUser && request.Tools is { Count: > 0 } && ComposeToolCalls(request, callId, inputTokens) is { } toolAnswer)
        {
            return toolAnswer;
        }

        if (_echoPrompt && !string.IsNullOrEmpty(lastUserText))
        {
            text = lastUserText;
        }

        var tokens = SimulatedTokenizer.Split(text);
        var finishReason = ChatFinishReason.Stop;
        if (request.MaxOutputTokens is int max && max >= 0 && tokens.Count > max)
        {
            tokens.RemoveRange(max, tokens.Count - max);
            text = string.Concat(tokens);
            finishReason = ChatFinishReason.Length;
        }

        int outputTokens = tokens.Count;
        var usage = new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = outputTokens,
            TotalTokenCount = inputTokens + outputTokens,
        };
        decimal cost = ((inputTokens * _inputPrice) + (outputTokens * _outputPrice)) / 1_000_000m;
        return new Answer(text, tokens, finishReason, usage, cost, null);
    }

    private Answer? ComposeToolCalls(ChatRequest request, string callId, int inputTokens)
    {
        List<FunctionCallContent>? calls = null;
        int outputTokens = 0;
        foreach (var scripted in _toolCalls)
        {
            bool offered = false;
            foreach (var tool in request.Tools!)
            {
                offered |= string.Equals(tool.Name, scripted.Name, StringComparison.Ordinal);
            }

            if (offered)
            {
                calls ??= [];
                string id = string.Create(CultureInfo.InvariantCulture, $"{callId}-call-{calls.Count + 1}");
                calls.Add(Http.ToolCallJson.CreateCall(id, scripted.Name, scripted.Arguments));
                outputTokens += SimulatedTokenizer.Count(scripted.Name) + SimulatedTokenizer.Count(scripted.Arguments);
            }
        }

        if (calls is null)
        {
            return null;
        }

        var usage = new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = outputTokens,
            TotalTokenCount = inputTokens + outputTokens,
        };
        decimal cost = ((inputTokens * _inputPrice) + (outputTokens * _outputPrice)) / 1_000_000m;
        return new Answer(string.Empty, [], ChatFinishReason.ToolCalls, usage, cost, calls);
    }

    // A unit vector from a 64-bit FNV-1a hash of the text (UTF-16 code units) mixed with the seed, expanded by SplitMix64.
    private float[] Vector(string text, int dimensions)
    {
        ulong hash = 14695981039346656037UL ^ (_embeddingSeed * 0x9E3779B97F4A7C15UL);
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        var vector = new float[dimensions];
        double sumOfSquares = 0;
        ulong state = hash;
        for (int i = 0; i < dimensions; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            double value = ((z >> 11) * (1.0 / (1UL << 53) * 2)) - 1; // [-1, 1)
            vector[i] = (float)value;
            sumOfSquares += value * value;
        }

        float norm = (float)Math.Sqrt(sumOfSquares);
        if (norm > 0)
        {
            for (int i = 0; i < dimensions; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    private StreamInterruptedException StreamCut(Call call, List<string> tokens, int delivered) => new(
        string.Create(
            CultureInfo.InvariantCulture,
            $"Simulated stream cut: '{Name}' broke the stream after {delivered} tokens (StreamCutAfterTokens = {_streamCutAfterTokens}); the answer is incomplete. PartialText holds the text so far; retry the request, or unset StreamCutAfterTokens."))
    {
        ProviderName = Name,
        Model = call.Model,
        RequestId = call.Id,
        PartialText = string.Concat(tokens.GetRange(0, delivered)),
        UpdatesDelivered = delivered,
    };

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }

        return Task.Delay(delay, _time, cancellationToken);
    }

    private readonly record struct Call(string Model, TimeSpan Latency, LlmErrorKind? Failure, string Id);

    private sealed record Answer(string Text, List<string> Tokens, ChatFinishReason FinishReason, UsageDetails Usage, decimal Cost, List<FunctionCallContent>? ToolCalls);
}
