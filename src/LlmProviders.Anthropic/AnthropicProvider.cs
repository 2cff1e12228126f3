using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Http;
using LlmProviders.Anthropic.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Anthropic;

/// <summary>
/// The Anthropic Messages provider (<c>POST {base}/v1/messages</c>, <c>GET {base}/v1/models</c>): chat, streaming (SSE with
/// <c>event:</c> names), tools (streamed <c>partial_json</c> assembled), images (base64 and URL) and PDF documents, extended
/// thinking (signatures kept so they can be sent back), prompt caching (<see cref="AnthropicCacheControl"/>), usage with cache
/// read and write tokens, and typed errors (529 is a transient <see cref="ProviderOverloadedException"/>). Usable on its own or
/// registered with <c>AddAnthropic</c>.
/// </summary>
/// <remarks>
/// <para>System messages become the top-level <c>system</c> field. <c>max_tokens</c> is always sent: the request's
/// <see cref="ChatRequest.MaxOutputTokens"/>, else the known output limit of the model's family, else
/// <see cref="AnthropicProviderOptions.DefaultMaxTokens"/>. <see cref="ChatRequest.ReasoningEffort"/> enables thinking with
/// <c>budget_tokens</c> Low 1024, Medium 4096, High 16384, ExtraHigh 32000 (None: off); the budget is kept below <c>max_tokens</c>.</para>
/// <para>Stop reasons: <c>end_turn</c> and <c>stop_sequence</c> → stop, <c>max_tokens</c> → length, <c>tool_use</c> → tool calls,
/// <c>refusal</c> → content filter with <see cref="ChatResult.Refusal"/> set (the API's <c>stop_details.explanation</c>, else a
/// generic sentence); <c>pause_turn</c> and unknown values are kept raw.</para>
/// <para>A tool call whose input was cut off by <c>max_tokens</c> is not parsed: it has no arguments, its
/// <see cref="Microsoft.Extensions.AI.FunctionCallContent.Exception"/> is set and its <c>AdditionalProperties["incomplete"]</c> is <see langword="true"/>.</para>
/// <para>A stream is complete at <c>message_stop</c>, or when the body ends after the <c>message_delta</c> that carries the stop
/// reason. A body that ends before both is a <see cref="StreamInterruptedException"/> carrying the text received so far;
/// <c>event: error</c> throws the typed error it names.</para>
/// <para>Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
public sealed class AnthropicProvider : ILlmProvider, ILlmProviderDescriptor
{
    /// <summary>The provider name used for OpenTelemetry (<c>gen_ai.system</c>).</summary>
    public const string TelemetryProviderName = "anthropic";

    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private const int MaxModelPages = 100;
    private const LlmCapabilities DefaultCapabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.ParallelToolCalls | LlmCapabilities.Vision | LlmCapabilities.Reasoning | LlmCapabilities.PromptCaching |
        LlmCapabilities.ModelListing | LlmCapabilities.AssistantPrefill;

    private static readonly Lazy<HttpClient> SharedClient = new(ProviderResponses.CreateDefaultHttpClient, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _apiKey;
    private readonly string _version;
    private readonly string? _beta;
    private readonly Uri _messagesUri;
    private readonly string _modelsUrl;
    private readonly string _defaultModel;
    private readonly int _defaultMaxTokens;
    private readonly bool _cacheSystemPrompt;
    private readonly bool _cacheTools;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeoutSourcePool _timeouts;
    private readonly CostCalculator _costs;
    private string? _lastModel;

    /// <summary>Initializes a new provider.</summary>
    /// <param name="options">The options. Values are read once, here; later changes to the instance have no effect. Unset values are read from the <c>ANTHROPIC_*</c> environment variables.</param>
    /// <param name="httpClient">The HTTP client (its <see cref="HttpClient.Timeout"/> should be infinite: <see cref="HttpProviderOptions.RequestTimeout"/> rules). <see langword="null"/> uses a shared client.</param>
    /// <param name="name">The registration name, used in errors, logs and results.</param>
    /// <param name="timeProvider">The clock for latency and timeouts. <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. <see langword="null"/> logs nothing.</param>
    /// <param name="costCalculator">Prices each result (<see cref="ChatResult.Cost"/>) from its usage and the model catalog. <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no API key); the message names the option and the fix.</exception>
    public AnthropicProvider(AnthropicProviderOptions options, HttpClient? httpClient = null, string name = "anthropic", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null)
        : this(options, httpClient, name, timeProvider, logger, AnthropicEnvironment.Process, costCalculator)
    {
    }

    internal AnthropicProvider(AnthropicProviderOptions options, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger, AnthropicEnvironment environment, CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(environment);

        // Resolve on a copy: the caller's options instance is never changed.
        var resolved = new AnthropicProviderOptions
        {
            ApiKey = options.ApiKey,
            BaseUrl = options.BaseUrl,
            DefaultModel = options.DefaultModel,
            Capabilities = options.Capabilities,
            RequestTimeout = options.RequestTimeout,
            AllowMissingApiKey = options.AllowMissingApiKey,
            Version = options.Version,
            DefaultMaxTokens = options.DefaultMaxTokens,
            CacheSystemPrompt = options.CacheSystemPrompt,
            CacheTools = options.CacheTools,
        };
        environment.Apply(resolved);
        var problems = AnthropicOptionsChecks.Validate(resolved, name);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].ErrorMessage, nameof(options));
        }

        Name = name;
        _http = httpClient ?? SharedClient.Value;
        _time = timeProvider ?? TimeProvider.System;
        _timeouts = new TimeoutSourcePool(_time);
        _logger = logger ?? NullLogger.Instance;
        _apiKey = string.IsNullOrWhiteSpace(resolved.ApiKey) ? null : resolved.ApiKey.Trim();
        _version = resolved.Version.Trim();
        var betas = new List<string>();
        foreach (var beta in options.Beta)
        {
            if (!string.IsNullOrWhiteSpace(beta))
            {
                betas.Add(beta.Trim());
            }
        }

        _beta = betas.Count == 0 ? null : string.Join(',', betas);
        var baseUrl = (resolved.BaseUrl ?? AnthropicProviderOptions.DefaultBaseUrl).AbsoluteUri.TrimEnd('/');
        if (baseUrl.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            baseUrl = baseUrl[..^3];
        }

        _messagesUri = new Uri(baseUrl + "/v1/messages", UriKind.Absolute);
        _modelsUrl = baseUrl + "/v1/models";
        _defaultModel = string.IsNullOrWhiteSpace(resolved.DefaultModel) ? AnthropicProviderOptions.FallbackModel : resolved.DefaultModel;
        _defaultMaxTokens = resolved.DefaultMaxTokens;
        _cacheSystemPrompt = resolved.CacheSystemPrompt;
        _cacheTools = resolved.CacheTools;
        _requestTimeout = RequestTimeout.Normalize(resolved.RequestTimeout);
        Capabilities = resolved.Capabilities ?? DefaultCapabilities;
        BaseUrl = new Uri(baseUrl, UriKind.Absolute);
        _costs = costCalculator ?? CostCalculator.Default;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.Anthropic"/>.</value>
    public string Kind => LlmProviderKinds.Anthropic;

    /// <inheritdoc />
    public LlmCapabilities Capabilities { get; }

    /// <inheritdoc />
    /// <value><see langword="false"/>.</value>
    public bool IsLocal => false;

    /// <summary>Gets the base URL the provider calls (without a trailing slash).</summary>
    internal Uri BaseUrl { get; }

    /// <inheritdoc />
    Uri? ILlmProviderDescriptor.ServerEndpoint => BaseUrl;

    /// <inheritdoc/>
    string? ILlmProviderDescriptor.DefaultModel => _defaultModel;

    /// <inheritdoc />
    public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        string model = ModelFor(request);
        var context = new ProviderErrorContext { ProviderName = Name, Model = model, Secret = _apiKey };
        long started = _time.GetTimestamp();
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = CreateChatMessage(request, model, stream: false, context);
        using var response = await SendAsync(message, context, "chat", timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var result = ParseCompletion(pooled.Span, response, context);
        result.ProviderName = Name;
        result.Model ??= model;
        result.Cost = _costs.CalculateCost(Name, Kind, result.Model, result.Usage);
        result.Latency = _time.GetElapsedTime(started);
        AnthropicLog.RequestCompleted(_logger, Name, result.Model, result.Latency.TotalMilliseconds, result.FinishReason?.Value, result.Usage?.InputTokenCount, result.Usage?.OutputTokenCount);
        return result;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamCoreAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Follows the cursor paging of <c>GET /v1/models</c> (<c>has_more</c>, <c>last_id</c> → <c>after_id</c>) until the last page.</remarks>
    public async Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long started = _time.GetTimestamp();
        var models = new List<LlmModelInfo>();
        string? after = null;
        for (int page = 0; page < MaxModelPages; page++)
        {
            var (hasMore, lastId) = await ListModelsPageAsync(models, 1000, after, cancellationToken).ConfigureAwait(false);
            if (!hasMore || string.IsNullOrEmpty(lastId) || string.Equals(lastId, after, StringComparison.Ordinal))
            {
                break;
            }

            after = lastId;
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            double elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
            AnthropicLog.ModelsListed(_logger, Name, models.Count, elapsedMs);
        }

        return models;
    }

    /// <inheritdoc />
    /// <remarks>Lists one model (<c>GET /v1/models?limit=1</c>; never a paid completion). A failure is returned as <see cref="LlmHealthStatus.Unhealthy"/> with the typed error; only caller cancellation throws.</remarks>
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        ProviderResponses.CheckHealthAsync(Name, _time, async ct =>
        {
            await ListModelsPageAsync(new List<LlmModelInfo>(1), 1, null, ct).ConfigureAwait(false);
            return "The models endpoint answered.";
        }, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}, {BaseUrl})";

    /// <summary>Gets the <c>max_tokens</c> and thinking budget sent for a request (see the class remarks).</summary>
    internal (int MaxTokens, int? ThinkingBudget) Limits(ChatRequest request, string model)
    {
        int? budget = request.ReasoningEffort is { } effort ? AnthropicMaxTokens.ThinkingBudget(effort) : null;
        if (request.MaxOutputTokens is { } requested and > 0)
        {
            if (budget is { } b && b >= requested)
            {
                // The budget must stay below max_tokens; 1024 is the API's minimum.
                budget = requested > 1024 ? requested - 1 : throw new NotSupportedException(
                    $"Extended thinking needs MaxOutputTokens above 1024 (the smallest thinking budget); it is {requested}. Raise MaxOutputTokens or set ReasoningEffort to None.");
            }

            return (requested, budget);
        }

        int max = AnthropicMaxTokens.KnownFor(model) ?? _defaultMaxTokens;
        if (budget is { } thinking && thinking >= max)
        {
            max = thinking + _defaultMaxTokens;
        }

        return (max, budget);
    }

    private async Task<(bool HasMore, string? LastId)> ListModelsPageAsync(List<LlmModelInfo> models, int limit, string? afterId, CancellationToken cancellationToken)
    {
        var context = new ProviderErrorContext { ProviderName = Name, Secret = _apiKey };
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        string url = _modelsUrl + "?limit=" + limit.ToString(CultureInfo.InvariantCulture) + (afterId is null ? string.Empty : "&after_id=" + Uri.EscapeDataString(afterId));
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Absolute));
        AddHeaders(message, "application/json");
        using var response = await SendAsync(message, context, "models", timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var body = pooled.Span;
        CheckWholeBody(body, response, context, "model list");
        bool hasMore, hasError;
        string? lastId;
        try
        {
            AnthropicModelsParser.Parse(Utf8JsonHelpers.StripBom(body), models, out hasMore, out lastId, out hasError);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a model list that could not be parsed ({ex.Message}).", context, body, ex));
        }

        if (hasError)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        return (hasMore, lastId);
    }

    private async IAsyncEnumerable<ChatStreamUpdate> StreamCoreAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string model = ModelFor(request);
        var context = new ProviderErrorContext { ProviderName = Name, Model = model, Secret = _apiKey };
        long started = _time.GetTimestamp();
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = CreateChatMessage(request, model, stream: true, context);
        using var response = await SendAsync(message, context, "stream", timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        await CheckStreamContentTypeAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && LlmHttp.MapReadFailure(ex, context, streaming: true, cancellationToken) is { } mapped)
        {
            throw Failed(mapped);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
        }

        var state = new AnthropicStreamState(Name, _lastModel);
        TimeSpan? timeToFirstToken = null;
        var events = SseStreamReader.EnumerateAsync(body, state.Parser, timeout.Token).GetAsyncEnumerator(timeout.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not LlmProviderException)
                {
                    throw StreamReadFailure(ex, state, context, timeout, cancellationToken);
                }

                if (!more)
                {
                    break;
                }

                if (state.Failed)
                {
                    throw Failed(StreamFailure(state, context));
                }

                if (events.Current.Data is { } update)
                {
                    timeToFirstToken ??= _time.GetElapsedTime(started);
                    yield return update;
                }

                if (state.Done)
                {
                    break;
                }
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }

        if (!state.Done)
        {
            if (state.PendingMalformed is { } broken)
            {
                throw Failed(Interrupted($"The stream from {Name} ended in the middle of an event ({broken.Message}); the answer is incomplete.", state, context, broken));
            }

            if (state.Events == 0)
            {
                throw Failed(ProviderResponses.Malformed($"{Name} returned an empty stream: HTTP {(int)response.StatusCode} with no event. Check the base URL points at the Anthropic API.", context, default, null));
            }

            if (!state.HasFinished)
            {
                throw Failed(Interrupted($"The stream from {Name} ended before its stop reason and message_stop; the answer is incomplete.", state, context, null));
            }
        }

        if (state.Model is { Length: > 0 } answered)
        {
            _lastModel = answered;
        }

        var latency = _time.GetElapsedTime(started);
        var usage = state.Usage;
        string finalModel = string.IsNullOrEmpty(state.Model) ? model : state.Model;
        var final = new ChatStreamUpdate
        {
            IsFinal = true,
            FinishReason = state.FinishReason,
            Usage = usage,
            ToolCalls = state.HasToolCalls ? state.CompleteToolCalls() : null,
            ProviderName = Name,
            ResponseId = state.Id,
            Model = finalModel,
            Latency = latency,
            TimeToFirstToken = timeToFirstToken ?? latency,
            Cost = _costs.CalculateCost(Name, Kind, finalModel, usage),
        };
        AnthropicLog.RequestCompleted(_logger, Name, final.Model, latency.TotalMilliseconds, final.FinishReason?.Value, final.Usage?.InputTokenCount, final.Usage?.OutputTokenCount);
        yield return final;
    }

    private string ModelFor(ChatRequest request) => string.IsNullOrWhiteSpace(request.Model) ? _defaultModel : request.Model;

    private HttpRequestMessage CreateChatMessage(ChatRequest request, string model, bool stream, in ProviderErrorContext context)
    {
        PooledJsonContent content;
        try
        {
            var (maxTokens, budget) = Limits(request, model);
            content = AnthropicRequestWriter.CreateContent(new AnthropicWriteState(request, model, stream, maxTokens, budget, _cacheSystemPrompt, _cacheTools));
        }
        catch (NotSupportedException ex)
        {
            throw Failed(new InvalidChatRequestException(SecretRedactor.Redact($"{Name} cannot send this request: {ex.Message}", _apiKey), ex)
            {
                ProviderName = Name,
                Model = context.Model,
                IsTransient = false,
            });
        }

        var message = new HttpRequestMessage(HttpMethod.Post, _messagesUri) { Content = content };
        AddHeaders(message, stream ? "text/event-stream" : "application/json");
        return message;
    }

    private void AddHeaders(HttpRequestMessage message, string accept)
    {
        var headers = message.Headers;
        if (_apiKey is not null)
        {
            headers.TryAddWithoutValidation("x-api-key", _apiKey);
        }

        headers.TryAddWithoutValidation("anthropic-version", _version);
        if (_beta is not null)
        {
            headers.TryAddWithoutValidation("anthropic-beta", _beta);
        }

        headers.TryAddWithoutValidation("Accept", accept);
    }

    private async ValueTask<HttpResponseMessage> SendAsync(HttpRequestMessage message, ProviderErrorContext context, string operation, RequestTimeout timeout, CancellationToken cancellationToken)
    {
        AnthropicLog.RequestStarting(_logger, Name, operation, context.Model ?? "-");
        try
        {
            return await LlmHttp.SendAsync(_http, message, context, AnthropicErrorParser.Instance, _time, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.HasTimedOut(cancellationToken))
        {
            throw Failed(ProviderResponses.SendTimedOut(Name, _requestTimeout, context, ex));
        }
        catch (LlmProviderException ex)
        {
            throw Failed(ex);
        }
    }

    private ChatResult ParseCompletion(ReadOnlySpan<byte> body, HttpResponseMessage response, in ProviderErrorContext context)
    {
        CheckWholeBody(body, response, context, "response");
        ParsedMessage parsed;
        try
        {
            parsed = AnthropicResponseParser.Parse(Utf8JsonHelpers.StripBom(body), _lastModel);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a response that could not be parsed as a message ({ex.Message}).", context, body, ex));
        }

        if (parsed.HasError)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        if (!parsed.HasContent)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a response without content; it is not a message.", context, body, null));
        }

        if (parsed.Model is { Length: > 0 } answered)
        {
            _lastModel = answered;
        }

        string? refusal = null;
        if (parsed.IsRefusal)
        {
            refusal = string.IsNullOrEmpty(parsed.RefusalExplanation) ? "The model declined to answer (stop_reason: refusal)." : parsed.RefusalExplanation;
        }

        return new ChatResult(new ChatMessage(ChatRole.Assistant, parsed.Contents ?? []))
        {
            FinishReason = parsed.FinishReason,
            Refusal = refusal,
            Usage = parsed.Usage.ToUsageDetails(),
            ResponseId = parsed.Id,
            Model = string.IsNullOrEmpty(parsed.Model) ? null : parsed.Model,
        };
    }

    // Empty, HTML, invalid UTF-8: the typed failure, before the JSON reader gives a less helpful one.
    private void CheckWholeBody(ReadOnlySpan<byte> body, HttpResponseMessage response, in ProviderErrorContext context, string what)
    {
        if (ProviderResponses.CheckWholeBody(body, response, context, Name, what) is { } failure)
        {
            throw Failed(failure);
        }
    }

    private async Task CheckStreamContentTypeAsync(HttpResponseMessage response, ProviderErrorContext context, RequestTimeout timeout, CancellationToken cancellationToken)
    {
        if (!ProviderResponses.IsJsonOrHtml(response, out var mediaType))
        {
            return;
        }

        // Not an event stream: a gateway's page, or a JSON error (or a whole completion) from a server that ignored "stream".
        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var body = pooled.Span;
        if (!ProviderResponses.IsHtml(response, body) && AnthropicErrorParser.Parse(body, response.StatusCode) is not null)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        throw Failed(ProviderResponses.NotAStream(Name, response, mediaType, context, body, "an event stream"));
    }

    private static LlmProviderException ErrorFromBody(ReadOnlySpan<byte> body, in ProviderErrorContext context)
    {
        var error = AnthropicErrorParser.Parse(body, context.StatusCode ?? HttpStatusCode.OK);
        return LlmErrorFactory.FromResponse(context with { StatusCode = null, Body = Encoding.UTF8.GetString(body) }, error);
    }

    private LlmProviderException StreamFailure(AnthropicStreamState state, in ProviderErrorContext context)
    {
        if (state.ErrorEvent is { } errorEvent)
        {
            var error = AnthropicErrorParser.Parse(Encoding.UTF8.GetBytes(errorEvent), HttpStatusCode.OK);
            return Spent(LlmErrorFactory.FromResponse(context with { StatusCode = null, Body = errorEvent }, error), state, context.Model);
        }

        if (state.InvalidUtf8)
        {
            return ProviderResponses.Malformed($"{Name} sent a stream event that is not valid UTF-8.", context, default, null);
        }

        var inner = state.PendingMalformed;
        return ProviderResponses.Malformed($"{Name} sent a stream event that could not be parsed ({inner?.Message}).", context, default, inner);
    }

    private Exception StreamReadFailure(Exception ex, AnthropicStreamState state, in ProviderErrorContext context, RequestTimeout timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ex as OperationCanceledException ?? new OperationCanceledException("The caller cancelled the stream.", ex, cancellationToken);
        }

        if (ProviderResponses.StreamInterruptionMessage(ex, timeout, _requestTimeout, Name, cancellationToken) is { } message)
        {
            return Failed(Interrupted(message, state, context, ex));
        }

        return LlmHttp.MapReadFailure(ex, context, streaming: true, cancellationToken) is { } mapped ? Failed(mapped) : ex;
    }

    private StreamInterruptedException Interrupted(string message, AnthropicStreamState state, in ProviderErrorContext context, Exception? inner) =>
        Spent(ProviderResponses.Interrupted(message, _apiKey, context, state.PartialText, state.Updates, inner), state, context.Model);

    // A failed stream whose message_start (or a message_delta) already reported usage: the tokens were consumed, so the exception
    // carries them and their price (C2: failed attempts that consumed tokens are charged too).
    private T Spent<T>(T exception, AnthropicStreamState state, string? model)
        where T : LlmProviderException
    {
        if (state.Usage is { } usage)
        {
            exception.Usage ??= usage;
            exception.Cost ??= _costs.CalculateCost(Name, Kind, string.IsNullOrEmpty(state.Model) ? model : state.Model, usage);
        }

        return exception;
    }

    private LlmProviderException Failed(LlmProviderException exception)
    {
        AnthropicLog.RequestFailed(_logger, Name, exception.Model, exception.Kind, exception.StatusCode is { } s ? (int)s : null, exception.RequestId, exception.IsTransient, exception);
        return exception;
    }

    private async ValueTask<PooledResponseBody> ReadBodyAsync(HttpResponseMessage response, ProviderErrorContext context, RequestTimeout timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await LlmHttp.ReadBodyAsync(response.Content, context, MaxBodyBytes, timeout.Token, cancellationToken).ConfigureAwait(false);
        }
        catch (LlmProviderException ex)
        {
            throw Failed(ex);
        }
    }
}
