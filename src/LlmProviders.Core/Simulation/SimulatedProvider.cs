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
/// <para>All waiting goes through the <see cref="TimeProvider"/>, so tests can drive the clock. Thread-safe: concurrent
/// calls draw from one random sequence under a lock; the outcomes then depend on the order the calls arrive in.</para>
/// </remarks>
public sealed class SimulatedProvider : ILlmProvider
{
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly TimeProvider _time;
    private readonly string _model;
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
        return new ChatResult(new ChatMessage(ChatRole.Assistant, answer.Text))
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
        var call = Draw(request);
        await DelayAsync(call.Latency, cancellationToken).ConfigureAwait(false);
        if (call.Failure is { } kind)
        {
            throw SimulatedFailures.Create(kind, Name, call.Model, call.Id, _retryAfter, _failureRate);
        }

        return (call, Compose(request));
    }

    private Call Draw(ChatRequest request)
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
        return new Call(request.Model ?? _model, latency, failure, id);
    }

    private Answer Compose(ChatRequest request)
    {
        string text = _responseText;
        int inputTokens = 0;
        string? lastUserText = null;
        foreach (var message in request.Messages)
        {
            string messageText = message.Text;
            inputTokens += SimulatedTokenizer.TokensPerMessage + SimulatedTokenizer.Count(messageText);
            if (message.Role == ChatRole.User)
            {
                lastUserText = messageText;
            }
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
        return new Answer(text, tokens, finishReason, usage, cost);
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

    private sealed record Answer(string Text, List<string> Tokens, ChatFinishReason FinishReason, UsageDetails Usage, decimal Cost);
}
