using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Interop;

/// <summary>A Microsoft.Extensions.AI <see cref="IChatClient"/> seen as an <see cref="ILlmProvider"/> (SPEC V13): it routes, fails over and is priced like any other.</summary>
internal sealed class ChatClientLlmProvider : ILlmProvider
{
    private readonly TimeProvider _time;
    private readonly string? _defaultModel;
    private readonly string[] _models;
    private readonly bool _healthProbe;
    private readonly Func<Exception, LlmErrorKind?>? _classify;
    private readonly Costs.CostCalculator _costs;

    public ChatClientLlmProvider(IChatClient client, string name, LlmChatClientProviderOptions? options = null, TimeProvider? timeProvider = null, Costs.CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new LlmChatClientProviderOptions();
        Client = client;
        Name = name;
        Kind = string.IsNullOrWhiteSpace(options.Kind) ? LlmProviderKinds.ChatClient : options.Kind;
        Capabilities = options.Capabilities;
        IsLocal = options.IsLocal;
        _time = timeProvider ?? TimeProvider.System;
        _healthProbe = options.HealthProbe;
        _classify = options.ClassifyException;
        _costs = costCalculator ?? Costs.CostCalculator.Default;

        var inner = client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        _defaultModel = string.IsNullOrWhiteSpace(options.DefaultModel) ? inner?.DefaultModelId : options.DefaultModel;
        _models = [.. options.Models];
        Metadata = new ChatClientMetadata(
            Kind == LlmProviderKinds.ChatClient && inner?.ProviderName is { Length: > 0 } innerName ? innerName : LlmProviders.Telemetry.TelemetryNames.ProviderNameOf(Kind),
            inner?.ProviderUri,
            _defaultModel);
    }

    /// <summary>Gets the wrapped client.</summary>
    public IChatClient Client { get; }

    /// <summary>Gets the metadata the provider's own <c>IChatClient</c> face reports.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    public LlmCapabilities Capabilities { get; }

    /// <inheritdoc />
    public bool IsLocal { get; }

    /// <inheritdoc />
    public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var options = InteropMapping.ToChatOptions(request, _defaultModel);
        long start = _time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await Client.GetResponseAsync(request.Messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ChatClientErrors.Map(ex, Name, options.ModelId, _classify, cancellationToken) is { } mapped && !ReferenceEquals(mapped, ex))
        {
            throw mapped;
        }

        var result = InteropMapping.ToChatResult(response, Name, options.ModelId, _time.GetElapsedTime(start));
        result.TimeToFirstToken ??= result.Latency;
        result.Cost ??= Price(result.Model, result.Usage);
        return result;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var options = InteropMapping.ToChatOptions(request, _defaultModel);
        long start = _time.GetTimestamp();
        var state = new StreamState();
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = Client.GetStreamingResponseAsync(request.Messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (ChatClientErrors.Map(ex, Name, options.ModelId, _classify, cancellationToken) is { } mapped && !ReferenceEquals(mapped, ex))
        {
            throw mapped;
        }

        await using var disposeUpdates = updates.ConfigureAwait(false);
        while (true)
        {
            ChatStreamUpdate? update;
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                update = state.Convert(updates.Current, Name, options.ModelId);
            }
            catch (Exception ex) when (ChatClientErrors.Map(ex, Name, options.ModelId, _classify, cancellationToken) is { } mapped && !ReferenceEquals(mapped, ex))
            {
                throw mapped;
            }

            if (update is not null)
            {
                state.TimeToFirstToken ??= _time.GetElapsedTime(start);
                yield return update;
            }
        }

        if (!state.SawAnything)
        {
            throw Http.LlmErrorFactory.Create(
                LlmErrorKind.MalformedResponse,
                $"Chat client provider '{Name}' returned an empty stream (no content, finish reason or usage).",
                new Http.ProviderErrorContext { ProviderName = Name, Model = options.ModelId });
        }

        var latency = _time.GetElapsedTime(start);
        yield return new ChatStreamUpdate
        {
            IsFinal = true,
            FinishReason = state.FinishReason,
            Usage = state.Usage,
            Cost = state.Cost ?? Price(state.Model ?? options.ModelId, state.Usage),
            ResponseId = state.ResponseId,
            ProviderName = Name,
            Model = state.Model ?? options.ModelId,
            Latency = latency,
            TimeToFirstToken = state.TimeToFirstToken ?? latency,
            FromCache = state.FromCache,
            Refusal = state.Refusal,
        };
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var models = new List<LlmModelInfo>(Math.Max(_models.Length, 1));
        foreach (var model in _models)
        {
            if (!string.IsNullOrWhiteSpace(model))
            {
                models.Add(new LlmModelInfo(model));
            }
        }

        if (models.Count == 0 && _defaultModel is not null)
        {
            models.Add(new LlmModelInfo(_defaultModel));
        }

        return Task.FromResult<IReadOnlyList<LlmModelInfo>>(models);
    }

    /// <inheritdoc />
    public async Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_healthProbe)
        {
            return new ProviderHealthResult(Name, LlmHealthStatus.Healthy, _time.GetUtcNow(), TimeSpan.Zero,
                "Chat client provider: not probed (set HealthProbe to send a one-token request); assumed healthy.");
        }

        long start = _time.GetTimestamp();
        try
        {
            await ChatAsync(new ChatRequest("ping") { MaxOutputTokens = 1 }, cancellationToken).ConfigureAwait(false);
            return new ProviderHealthResult(Name, LlmHealthStatus.Healthy, _time.GetUtcNow(), _time.GetElapsedTime(start), "Chat client provider: the probe answered.");
        }
        catch (LlmProviderException ex)
        {
            return new ProviderHealthResult(Name, LlmHealthStatus.Unhealthy, _time.GetUtcNow(), _time.GetElapsedTime(start),
                $"Chat client provider: the probe failed ({ex.Kind}).", ex);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}, IChatClient)";

    // Local clients cost zero; others are priced from the catalog by kind and model (null when either is unknown there).
    private decimal? Price(string? model, UsageDetails? usage) => IsLocal ? 0m : _costs.CalculateCost(Name, Kind, model, usage);

    // What a stream has said so far: the final update carries the totals.
    private sealed class StreamState
    {
        public bool SawAnything;
        public ChatFinishReason? FinishReason;
        public UsageDetails? Usage;
        public decimal? Cost;
        public string? ResponseId;
        public string? Model;
        public string? Refusal;
        public bool FromCache;
        public TimeSpan? TimeToFirstToken;

        public ChatStreamUpdate? Convert(ChatResponseUpdate update, string providerName, string? model)
        {
            ResponseId ??= update.ResponseId;
            Model ??= update.ModelId;
            if (update.FinishReason is { } finish)
            {
                FinishReason = finish;
                SawAnything = true;
            }

            string? text = null;
            string? reasoning = null;
            string? protectedData = null;
            List<FunctionCallContent>? calls = null;
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent t when !string.IsNullOrEmpty(t.Text):
                        text = text is null ? t.Text : text + t.Text;
                        break;
                    case TextReasoningContent r:
                        if (!string.IsNullOrEmpty(r.Text))
                        {
                            reasoning = reasoning is null ? r.Text : reasoning + r.Text;
                        }

                        protectedData ??= r.ProtectedData;
                        break;
                    case FunctionCallContent call:
                        (calls ??= []).Add(call);
                        break;
                    case UsageContent usage:
                        // Each UsageContent reports its own part: add them up, never count one twice.
                        if (Usage is null)
                        {
                            Usage = new UsageDetails();
                        }

                        Usage.Add(usage.Details);
                        SawAnything = true;
                        break;
                }
            }

            bool restarts = false;
            if (update.AdditionalProperties is { Count: > 0 } properties)
            {
                // Our own adapter's keys, when the client is one of ours (a nested router).
                if (properties.TryGetValue(LlmInteropPropertyNames.Cost, out var c) && c is decimal cost)
                {
                    Cost = (Cost ?? 0) + cost;
                }

                if (properties.TryGetValue(LlmInteropPropertyNames.Refusal, out var r) && r is string refusal)
                {
                    Refusal = refusal;
                }

                if (properties.TryGetValue(LlmInteropPropertyNames.FromCache, out var f) && f is true)
                {
                    FromCache = true;
                }

                restarts = properties.TryGetValue(LlmInteropPropertyNames.RestartsAnswer, out var s) && s is true;
            }

            if (text is null && reasoning is null && protectedData is null && calls is null && !restarts)
            {
                return null;
            }

            SawAnything = true;
            return new ChatStreamUpdate
            {
                Text = text,
                ReasoningText = reasoning,
                ReasoningProtectedData = protectedData,
                ToolCalls = calls,
                RestartsAnswer = restarts,
                ResponseId = update.ResponseId,
                ProviderName = providerName,
                Model = update.ModelId ?? model,
            };
        }
    }
}
