using System;
using System.Collections.Generic;
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
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.OpenAI.Wire;

/// <summary>The settings of one <see cref="OpenAIWireClient"/>, resolved from a registration's options.</summary>
/// <param name="DefaultModel">The chat model when a request names none, or <see langword="null"/> for the dialect's.</param>
/// <param name="DefaultEmbeddingModel">The embedding model when a request names none, or <see langword="null"/> for the dialect's.</param>
/// <param name="Capabilities">The capabilities, or <see langword="null"/> for the dialect's.</param>
/// <param name="RequestTimeout">The longest one HTTP attempt may take.</param>
/// <param name="IncludeStreamUsage">Whether streamed requests ask for usage (when the dialect accepts <c>stream_options</c>).</param>
/// <param name="UseDeveloperRole">Whether system messages use the <c>developer</c> role; <see langword="null"/> lets the dialect decide by model.</param>
/// <param name="Costs">Prices the results, or <see langword="null"/> for <see cref="CostCalculator.Default"/>.</param>
internal sealed record OpenAIWireSettings(
    string? DefaultModel,
    string? DefaultEmbeddingModel,
    LlmCapabilities? Capabilities,
    TimeSpan RequestTimeout,
    bool IncludeStreamUsage = true,
    bool? UseDeveloperRole = null,
    CostCalculator? Costs = null);

/// <summary>
/// The engine behind every OpenAI Chat Completions-shaped provider (OpenAI, the compatible presets, Azure OpenAI, Mistral):
/// <c>POST …/chat/completions</c>, streamed or not, <c>GET …/models</c> and <c>POST …/embeddings</c>, with typed errors. What
/// differs between those services is asked of its <see cref="OpenAIDialect"/>.
/// </summary>
/// <remarks>
/// <para>A streamed answer is complete when <c>data: [DONE]</c> arrives, or when the body ends after a finish reason (some
/// servers omit <c>[DONE]</c>). A body that ends before both is a <see cref="StreamInterruptedException"/> carrying the text
/// received so far; a 200 stream that carries no event at all is a <see cref="MalformedResponseException"/>.</para>
/// <para>Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
internal sealed class OpenAIWireClient : ILlmProvider, IEmbeddingProvider
{
    private const int MaxBodyBytes = 64 * 1024 * 1024;

    private static readonly Lazy<HttpClient> SharedClient = new(ProviderResponses.CreateDefaultHttpClient, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OpenAIDialect _dialect;
    private readonly string _defaultModel;
    private readonly string _defaultEmbeddingModel;
    private readonly bool _includeStreamUsage;
    private readonly bool? _useDeveloperRole;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeoutSourcePool _timeouts;
    private readonly CostCalculator _costs;
    private readonly string _pricingKind;
    private string? _lastModel;

    /// <summary>Initializes a new engine.</summary>
    /// <param name="dialect">What the service does differently.</param>
    /// <param name="settings">The resolved settings.</param>
    /// <param name="httpClient">The HTTP client, or <see langword="null"/> for a shared one.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    public OpenAIWireClient(OpenAIDialect dialect, OpenAIWireSettings settings, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        Name = name;
        _dialect = dialect;
        _http = httpClient ?? SharedClient.Value;
        _time = timeProvider ?? TimeProvider.System;
        _timeouts = new TimeoutSourcePool(_time);
        _logger = logger ?? NullLogger.Instance;
        _defaultModel = string.IsNullOrWhiteSpace(settings.DefaultModel) ? dialect.DefaultChatModel : settings.DefaultModel.Trim();
        _defaultEmbeddingModel = string.IsNullOrWhiteSpace(settings.DefaultEmbeddingModel) ? dialect.DefaultEmbeddingModel : settings.DefaultEmbeddingModel.Trim();
        _includeStreamUsage = settings.IncludeStreamUsage && dialect.AcceptsStreamOptions;
        _useDeveloperRole = settings.UseDeveloperRole;
        _requestTimeout = RequestTimeout.Normalize(settings.RequestTimeout);
        Capabilities = settings.Capabilities ?? dialect.DefaultCapabilities;
        _costs = settings.Costs ?? CostCalculator.Default;

        // A server of a local kind that the options mark as not local (a vLLM on a rented GPU) is priced as an OpenAI-compatible
        // endpoint (catalog entries under that kind or the registration name), not as a free local one.
        _pricingKind = !dialect.IsLocal && CostCalculator.IsLocalKind(dialect.Kind) ? LlmProviderKinds.OpenAICompatible : dialect.Kind;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => _dialect.Kind;

    /// <inheritdoc />
    public LlmCapabilities Capabilities { get; }

    /// <inheritdoc />
    public bool IsLocal => _dialect.IsLocal;

    /// <summary>Gets the base URL the provider calls (without a trailing slash).</summary>
    public Uri BaseUrl => _dialect.BaseUrl;

    /// <summary>Gets the dialect.</summary>
    public OpenAIDialect Dialect => _dialect;

    // Read per call: a dialect with a token provider (Azure Entra ID) knows its secret only once a token was fetched.
    private string? Secret => _dialect.Secret;

    /// <inheritdoc />
    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default) => ChatAsync(request, null, cancellationToken);

    /// <summary>Sends a chat request; the result is priced as <paramref name="pricedModel"/> (Azure: the deployment's catalog model) when set, else as the model that answered.</summary>
    /// <param name="request">The request.</param>
    /// <param name="pricedModel">The catalog model to price by, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    internal async Task<ChatResult> ChatAsync(ChatRequest request, string? pricedModel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        string model = ModelFor(request);
        var context = new ProviderErrorContext { ProviderName = Name, Model = model, Secret = Secret };
        long started = _time.GetTimestamp();
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = await CreateChatMessageAsync(request, model, stream: false, context, cancellationToken).ConfigureAwait(false);
        context = context with { Secret = Secret };
        using var response = await SendAsync(message, context, "chat", timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var result = ParseCompletion(pooled.Span, response, context);
        result.ProviderName = Name;
        result.Model ??= model;
        result.Cost = Price(result.Cost, pricedModel ?? result.Model, result.Usage);

        result.Latency = _time.GetElapsedTime(started);
        OpenAILog.RequestCompleted(_logger, Name, result.Model, result.Latency.TotalMilliseconds, result.FinishReason?.Value, result.Usage?.InputTokenCount, result.Usage?.OutputTokenCount);
        return result;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) => StreamAsync(request, null, cancellationToken);

    /// <summary>Streams a chat request; the final update is priced as <paramref name="pricedModel"/> when set, else as the model that answered.</summary>
    /// <param name="request">The request.</param>
    /// <param name="pricedModel">The catalog model to price by, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updates.</returns>
    internal IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, string? pricedModel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamCoreAsync(request, pricedModel, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var context = new ProviderErrorContext { ProviderName = Name, Secret = Secret };
        long started = _time.GetTimestamp();
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = new HttpRequestMessage(HttpMethod.Get, _dialect.GetModelsUri());
        await PrepareAsync(message, "application/json", cancellationToken).ConfigureAwait(false);
        context = context with { Secret = Secret };
        using var response = await SendAsync(message, context, "models", timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var body = pooled.Span;
        CheckWholeBody(body, response, context, "model list");
        List<LlmModelInfo> models;
        bool hasError;
        try
        {
            models = _dialect.ParseModels(Utf8JsonHelpers.StripBom(body), out hasError);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a model list that could not be parsed ({ex.Message}).", context, body, ex));
        }

        if (hasError)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            double elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
            OpenAILog.ModelsListed(_logger, Name, models.Count, elapsedMs);
        }

        return models;
    }

    /// <inheritdoc />
    public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default) => EmbedAsync(request, null, cancellationToken);

    /// <summary>Embeds; the result is priced as <paramref name="pricedModel"/> when set, else as the model that answered.</summary>
    /// <param name="request">The request.</param>
    /// <param name="pricedModel">The catalog model to price by, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    internal async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, string? pricedModel, CancellationToken cancellationToken)
    {
        int count = EmbeddingWire.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        string model = EmbeddingWire.ModelFor(request, _defaultEmbeddingModel);
        var context = new ProviderErrorContext { ProviderName = Name, Model = model, Secret = Secret };
        long started = _time.GetTimestamp();
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = new HttpRequestMessage(HttpMethod.Post, _dialect.GetEmbeddingsUri(model))
        {
            Content = OpenAIEmbeddings.CreateContent(new EmbeddingWriteState(request, model, _dialect)),
        };
        await PrepareAsync(message, "application/json", cancellationToken).ConfigureAwait(false);
        context = context with { Secret = Secret };
        using var response = await SendAsync(message, context, "embeddings", timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var body = pooled.Span;
        CheckWholeBody(body, response, context, "embeddings response");
        ParsedEmbeddings parsed;
        try
        {
            parsed = OpenAIEmbeddings.Parse(Utf8JsonHelpers.StripBom(body), count);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent an embeddings response that could not be parsed ({ex.Message}).", context, body, ex));
        }

        if (parsed.HasError)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        string answered = string.IsNullOrEmpty(parsed.Model) ? model : parsed.Model;
        var embeddings = new Embedding<float>[count];
        for (int i = 0; i < count; i++)
        {
            if (parsed.Vectors[i] is not { } vector)
            {
                throw Failed(ProviderResponses.Malformed(
                    $"{Name} answered {count} inputs with {(parsed.HasData ? "fewer vectors" : "no data")}; the embedding of input {i} is missing.", context, body, null));
            }

            embeddings[i] = new Embedding<float>(vector) { ModelId = answered };
        }

        var latency = _time.GetElapsedTime(started);
        OpenAILog.EmbeddingsCompleted(_logger, Name, answered, count, latency.TotalMilliseconds, parsed.Usage?.InputTokenCount);
        return new EmbeddingResult(embeddings)
        {
            Usage = parsed.Usage,
            ProviderName = Name,
            Model = answered,
            Latency = latency,
            Cost = Price(null, pricedModel ?? answered, parsed.Usage),
        };
    }

    /// <inheritdoc />
    /// <remarks>Lists the models (never a paid completion). A failure is returned as <see cref="LlmHealthStatus.Unhealthy"/> with the typed error; only caller cancellation throws.</remarks>
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        ProviderResponses.CheckHealthAsync(Name, _time, async ct => $"{(await ListModelsAsync(ct).ConfigureAwait(false)).Count} models available", cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}, {BaseUrl})";

    internal static bool IsReasoningModel(string model)
    {
        var name = model.AsSpan();
        int slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        return IsFamily(name, "o1") || IsFamily(name, "o3") || IsFamily(name, "o4") || IsFamily(name, "gpt-5");

        static bool IsFamily(ReadOnlySpan<char> name, string family) =>
            name.StartsWith(family, StringComparison.OrdinalIgnoreCase) &&
            (name.Length == family.Length || name[family.Length] is '-' or '.' or '_');
    }

    private async IAsyncEnumerable<ChatStreamUpdate> StreamCoreAsync(ChatRequest request, string? pricedModel, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string model = ModelFor(request);
        var context = new ProviderErrorContext { ProviderName = Name, Model = model, Secret = Secret };
        long started = _time.GetTimestamp();
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = await CreateChatMessageAsync(request, model, stream: true, context, cancellationToken).ConfigureAwait(false);
        context = context with { Secret = Secret };
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

        var state = new OpenAIStreamState(Name, _lastModel) { PricedModel = pricedModel };
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
                throw Failed(ProviderResponses.Malformed($"{Name} returned an empty stream: HTTP {(int)response.StatusCode} with no event. Check the base URL points at an OpenAI-compatible server.", context, default, null));
            }

            if (!state.HasFinished)
            {
                throw Failed(Interrupted($"The stream from {Name} ended before its finish reason and [DONE]; the answer is incomplete.", state, context, null));
            }
        }

        if (state.Model is { Length: > 0 } answered)
        {
            _lastModel = answered;
        }

        var latency = _time.GetElapsedTime(started);
        string finalModel = string.IsNullOrEmpty(state.Model) ? model : state.Model;
        var final = new ChatStreamUpdate
        {
            IsFinal = true,
            FinishReason = state.FinishReason,
            Usage = state.Usage,
            ToolCalls = state.ToolCalls is { HasCalls: true } calls ? calls.Complete() : null,
            ContentFilterCategories = state.FinishReason == ChatFinishReason.ContentFilter ? state.FilteredCategories : null,
            ProviderName = Name,
            ResponseId = state.Id,
            Model = finalModel,
            Latency = latency,
            TimeToFirstToken = timeToFirstToken ?? latency,
            Cost = Price(state.Cost, pricedModel ?? finalModel, state.Usage),
        };
        if (final.ToolCalls is { Count: > 1 } made)
        {
            final.ToolCalls = OpenAIJson.WithUniqueIds(made);
        }

        OpenAILog.RequestCompleted(_logger, Name, final.Model, latency.TotalMilliseconds, final.FinishReason?.Value, final.Usage?.InputTokenCount, final.Usage?.OutputTokenCount);
        yield return final;
    }

    /// <summary>Gets the chat model used when a request names none.</summary>
    public string DefaultModel => _defaultModel;

    private string ModelFor(ChatRequest request) => string.IsNullOrWhiteSpace(request.Model) ? _defaultModel : request.Model;

    private async ValueTask<HttpRequestMessage> CreateChatMessageAsync(ChatRequest request, string model, bool stream, ProviderErrorContext context, CancellationToken cancellationToken)
    {
        PooledJsonContent content;
        try
        {
            bool developer = _useDeveloperRole ?? _dialect.UsesDeveloperRole(model);
            content = OpenAIChatRequestWriter.CreateContent(new ChatRequestWriteState(request, model, stream, _includeStreamUsage, developer, _dialect));
        }
        catch (NotSupportedException ex)
        {
            throw Failed(new InvalidChatRequestException(SecretRedactor.Redact($"{Name} cannot send this request: {ex.Message}", Secret), ex)
            {
                ProviderName = Name,
                Model = context.Model,
                IsTransient = false,
            });
        }

        var message = new HttpRequestMessage(HttpMethod.Post, _dialect.GetChatUri(model)) { Content = content };
        try
        {
            await PrepareAsync(message, stream ? "text/event-stream" : "application/json", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            message.Dispose();
            throw;
        }

        return message;
    }

    private async ValueTask PrepareAsync(HttpRequestMessage message, string accept, CancellationToken cancellationToken)
    {
        message.Headers.TryAddWithoutValidation("Accept", accept);
        var pending = _dialect.PrepareAsync(message, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            await pending.ConfigureAwait(false);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAsync(HttpRequestMessage message, ProviderErrorContext context, string operation, RequestTimeout timeout, CancellationToken cancellationToken)
    {
        OpenAILog.RequestStarting(_logger, Name, operation, context.Model ?? "-");
        try
        {
            return await LlmHttp.SendAsync(_http, message, context, _dialect.ErrorParser, _time, timeout.Token).ConfigureAwait(false);
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
        ParsedCompletion parsed;
        try
        {
            parsed = OpenAIChatResponseParser.Parse(Utf8JsonHelpers.StripBom(body), _lastModel);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a response that could not be parsed as a chat completion ({ex.Message}).", context, body, ex));
        }

        if (parsed.HasError)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        if (!parsed.HasChoices)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a response without choices; it is not a chat completion.", context, body, null));
        }

        if (parsed.Model is { Length: > 0 } answered)
        {
            _lastModel = answered;
        }

        int count = (parsed.Reasoning is null ? 0 : 1) + (parsed.Text is null ? 0 : 1) + (parsed.ToolCalls?.Count ?? 0);
        var contents = new List<AIContent>(count);
        if (!string.IsNullOrEmpty(parsed.Reasoning))
        {
            contents.Add(new TextReasoningContent(parsed.Reasoning));
        }

        if (parsed.Text is not null)
        {
            contents.Add(new TextContent(parsed.Text));
        }

        if (parsed.ToolCalls is { } calls)
        {
            contents.AddRange(OpenAIJson.WithUniqueIds(calls));
        }

        return new ChatResult(new ChatMessage(ChatRole.Assistant, contents))
        {
            FinishReason = parsed.FinishReason,
            Refusal = parsed.Refusal,
            ContentFilterCategories = parsed.FinishReason == ChatFinishReason.ContentFilter ? parsed.FilteredCategories : null,
            Usage = parsed.Usage,
            ResponseId = parsed.Id,
            Model = string.IsNullOrEmpty(parsed.Model) ? null : parsed.Model,
            Cost = parsed.Cost,
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
        if (!ProviderResponses.IsHtml(response, body) && _dialect.ErrorParser(body, response.StatusCode) is not null)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        throw Failed(ProviderResponses.NotAStream(Name, response, mediaType, context, body, "an event stream"));
    }

    private LlmProviderException ErrorFromBody(ReadOnlySpan<byte> body, in ProviderErrorContext context)
    {
        var error = _dialect.ErrorParser(body, context.StatusCode ?? HttpStatusCode.OK);
        return LlmErrorFactory.FromResponse(context with { StatusCode = null, Body = Encoding.UTF8.GetString(body) }, error);
    }

    private LlmProviderException StreamFailure(OpenAIStreamState state, in ProviderErrorContext context)
    {
        if (state.ErrorEvent is { } errorEvent)
        {
            var error = _dialect.ErrorParser(Encoding.UTF8.GetBytes(errorEvent), HttpStatusCode.OK);
            return Spent(LlmErrorFactory.FromResponse(context with { StatusCode = null, Body = errorEvent }, error), state, context.Model);
        }

        if (state.InvalidUtf8)
        {
            return ProviderResponses.Malformed($"{Name} sent a stream event that is not valid UTF-8.", context, default, null);
        }

        var inner = state.PendingMalformed;
        return ProviderResponses.Malformed($"{Name} sent a stream event that could not be parsed ({inner?.Message}).", context, default, inner);
    }

    private Exception StreamReadFailure(Exception ex, OpenAIStreamState state, in ProviderErrorContext context, RequestTimeout timeout, CancellationToken cancellationToken)
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

    private StreamInterruptedException Interrupted(string message, OpenAIStreamState state, in ProviderErrorContext context, Exception? inner) =>
        Spent(ProviderResponses.Interrupted(message, Secret, context, state.PartialText, state.Updates, inner), state, context.Model);

    // A failed stream that already reported usage (a usage chunk before an error event or a cut): the tokens were consumed, so
    // the exception carries them and their price (C2: failed attempts that consumed tokens are charged too).
    private T Spent<T>(T exception, OpenAIStreamState state, string? model)
        where T : LlmProviderException
    {
        if (state.Usage is { } usage)
        {
            exception.Usage ??= usage;
            exception.Cost ??= Price(state.Cost, state.PricedModel ?? (string.IsNullOrEmpty(state.Model) ? model : state.Model), usage);
        }
        else if (state.Cost is { } reported)
        {
            exception.Cost ??= reported;
        }

        return exception;
    }

    // C2: a provider-reported cost (OpenRouter usage.cost) wins; local servers cost zero; otherwise the catalog prices the usage
    // (null when the model or the usage is unknown, never a silent zero).
    private decimal? Price(decimal? reported, string? model, UsageDetails? usage) =>
        reported ?? (_dialect.IsLocal ? 0m : _costs.CalculateCost(Name, _pricingKind, model, usage));

    private LlmProviderException Failed(LlmProviderException exception)
    {
        OpenAILog.RequestFailed(_logger, Name, exception.Model, exception.Kind, exception.StatusCode is { } s ? (int)s : null, exception.RequestId, exception.IsTransient, exception);
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
