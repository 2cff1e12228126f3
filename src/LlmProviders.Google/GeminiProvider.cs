using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Google.Wire;
using LlmProviders.Costs;
using LlmProviders.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Google;

/// <summary>
/// The Google Gemini provider (Generative Language API: <c>POST {base}/models/{model}:generateContent</c>,
/// <c>POST {base}/models/{model}:streamGenerateContent?alt=sse</c>, <c>GET {base}/models</c>): chat, streaming, function calling
/// (with <c>thoughtSignature</c> round-tripped), images, JSON schema output, thinking, usage with cached and thought tokens, and
/// typed errors. The key goes in the <c>x-goog-api-key</c> header, never in the URL. Usable on its own or registered with
/// <c>AddGemini</c>.
/// </summary>
/// <remarks>
/// <para>Gemini sends no tool-call ids: calls get generated ids (<c>call_0</c>, <c>call_1</c>, … per answer) unless the API sends
/// one. A tool result is sent back under the name of the call with its id, which must therefore stay in the conversation.</para>
/// <para>A prompt blocked by Gemini (HTTP 200 without candidates, <c>promptFeedback.blockReason</c>) throws
/// <see cref="ContentFilteredException"/> whose <see cref="ContentFilteredException.Categories"/> holds the block reason; an answer
/// stopped by safety, recitation or a block list finishes with <see cref="ChatFinishReason.ContentFilter"/>.</para>
/// <para>A streamed answer has no <c>[DONE]</c>: it is complete when the body ends after a chunk with a finish reason. A body
/// that ends before is a <see cref="StreamInterruptedException"/> carrying the text received so far.</para>
/// <para>Embeddings (<see cref="IEmbeddingProvider"/>): one input is <c>POST {base}/models/{model}:embedContent</c>, several are one
/// <c>POST {base}/models/{model}:batchEmbedContents</c>; <see cref="EmbeddingRequest.Dimensions"/> is sent as
/// <c>outputDimensionality</c>; the default model is <see cref="GeminiProviderOptions.FallbackEmbeddingModel"/>. Usage is reported
/// only when the answer carries <c>usageMetadata</c>; the cost is unknown (<see langword="null"/>).</para>
/// <para>Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
public sealed class GeminiProvider : ILlmProvider, IEmbeddingProvider, ILlmProviderDescriptor
{
    /// <summary>The OpenTelemetry <c>gen_ai.provider.name</c> of this provider.</summary>
    public const string OpenTelemetryProviderName = "gcp.gemini";

    /// <summary>
    /// The key, in <see cref="AIContent.AdditionalProperties"/> of a <see cref="FunctionCallContent"/>, of Gemini's
    /// <c>thoughtSignature</c>; it is written back with the call when the assistant message is sent again.
    /// </summary>
    public const string ThoughtSignatureKey = "gemini.thoughtSignature";

    /// <summary>The key, in <see cref="ChatResult.AdditionalProperties"/>, of Gemini's raw finish reason.</summary>
    public const string FinishReasonKey = "gemini.finishReason";

    /// <summary>The key, in <see cref="ChatResult.AdditionalProperties"/>, of the safety categories flagged on the answer (a string array).</summary>
    public const string SafetyCategoriesKey = "gemini.safetyCategories";

    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private const int MaxModelPages = 100;
    private const LlmCapabilities DefaultCapabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.ParallelToolCalls | LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema |
        LlmCapabilities.Reasoning | LlmCapabilities.PromptCaching | LlmCapabilities.Embeddings | LlmCapabilities.ModelListing;

    private static readonly Lazy<HttpClient> SharedClient = new(ProviderResponses.CreateDefaultHttpClient, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _apiKey;
    private readonly string _baseUrl;
    private readonly string _defaultModel;
    private readonly string _defaultEmbeddingModel;
    private readonly bool _includeThoughts;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeoutSourcePool _timeouts;
    private readonly CostCalculator _costs;
    private ModelUris? _lastUris;
    private string? _lastModel;

    /// <summary>Initializes a new provider.</summary>
    /// <param name="options">The options. Values are read once, here; later changes to the instance have no effect. Unset values are read from <c>GOOGLE_API_KEY</c> (else <c>GEMINI_API_KEY</c>) and <c>GOOGLE_GEMINI_BASE_URL</c>.</param>
    /// <param name="httpClient">The HTTP client (its <see cref="HttpClient.Timeout"/> should be infinite: <see cref="HttpProviderOptions.RequestTimeout"/> rules). <see langword="null"/> uses a shared client.</param>
    /// <param name="name">The registration name, used in errors, logs and results.</param>
    /// <param name="timeProvider">The clock for latency and timeouts. <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. <see langword="null"/> logs nothing.</param>
    /// <param name="costCalculator">Prices each result (<see cref="ChatResult.Cost"/>) from its usage and the model catalog. <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no API key); the message names the option and the fix.</exception>
    public GeminiProvider(GeminiProviderOptions options, HttpClient? httpClient = null, string name = "gemini", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null)
        : this(options, httpClient, name, timeProvider, logger, GeminiEnvironment.Process, costCalculator)
    {
    }

    internal GeminiProvider(GeminiProviderOptions options, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger, GeminiEnvironment environment, CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(environment);

        // Resolve on a copy: the caller's options instance is never changed.
        var resolved = new GeminiProviderOptions
        {
            ApiKey = options.ApiKey,
            BaseUrl = options.BaseUrl,
            DefaultModel = options.DefaultModel,
            DefaultEmbeddingModel = options.DefaultEmbeddingModel,
            Capabilities = options.Capabilities,
            RequestTimeout = options.RequestTimeout,
            AllowMissingApiKey = options.AllowMissingApiKey,
            IncludeThoughts = options.IncludeThoughts,
        };
        environment.Apply(resolved);
        var problems = GeminiOptionsChecks.Validate(resolved, name);
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
        _baseUrl = (resolved.BaseUrl ?? GeminiProviderOptions.DefaultBaseUrl).AbsoluteUri.TrimEnd('/');
        _defaultModel = string.IsNullOrWhiteSpace(resolved.DefaultModel) ? GeminiProviderOptions.FallbackModel : resolved.DefaultModel.Trim();
        _defaultEmbeddingModel = string.IsNullOrWhiteSpace(resolved.DefaultEmbeddingModel) ? GeminiProviderOptions.FallbackEmbeddingModel : resolved.DefaultEmbeddingModel.Trim();
        _includeThoughts = resolved.IncludeThoughts;
        _requestTimeout = RequestTimeout.Normalize(resolved.RequestTimeout);
        Capabilities = resolved.Capabilities ?? DefaultCapabilities;
        BaseUrl = new Uri(_baseUrl, UriKind.Absolute);
        _costs = costCalculator ?? CostCalculator.Default;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.Google"/>.</value>
    public string Kind => LlmProviderKinds.Google;

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
        GeminiLog.RequestCompleted(_logger, Name, result.Model, result.Latency.TotalMilliseconds, result.FinishReason?.Value, result.Usage?.InputTokenCount, result.Usage?.OutputTokenCount);
        return result;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamCoreAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Follows <c>nextPageToken</c> through every page; ids have no <c>models/</c> prefix; only models that support <c>generateContent</c> are listed.</remarks>
    public async Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var context = new ProviderErrorContext { ProviderName = Name, Secret = _apiKey };
        long started = _time.GetTimestamp();
        var models = new List<LlmModelInfo>();
        string? pageToken = null;
        int pages = 0;
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
            var uri = pageToken is null
                ? new Uri(_baseUrl + "/models?pageSize=1000", UriKind.Absolute)
                : new Uri(_baseUrl + "/models?pageSize=1000&pageToken=" + Uri.EscapeDataString(pageToken), UriKind.Absolute);
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            AddHeaders(message, "application/json");
            using var response = await SendAsync(message, context, "models", timeout, cancellationToken).ConfigureAwait(false);
            var pageContext = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

            using var pooled = await ReadBodyAsync(response, pageContext, timeout, cancellationToken).ConfigureAwait(false);

            var body = pooled.Span;
            CheckWholeBody(body, response, pageContext, "model list");
            bool hasError;
            try
            {
                pageToken = GeminiModelsParser.Parse(Utf8JsonHelpers.StripBom(body), models, out hasError);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                throw Failed(ProviderResponses.Malformed($"{Name} sent a model list that could not be parsed ({ex.Message}).", pageContext, body, ex));
            }

            if (hasError)
            {
                throw Failed(ErrorFromBody(body, pageContext));
            }

            pages++;
            if (pageToken is not null && !seenTokens.Add(pageToken))
            {
                // A server that repeats a page token would loop forever.
                break;
            }
        }
        while (pageToken is not null && pages < MaxModelPages);

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            double elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
            GeminiLog.ModelsListed(_logger, Name, models.Count, elapsedMs, pages);
        }

        return models;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One input: <c>POST {base}/models/{model}:embedContent</c>; several: <c>POST {base}/models/{model}:batchEmbedContents</c>
    /// with one entry per input (more than 100 inputs, Gemini's batch limit, go in consecutive calls of 100, in order). <see cref="EmbeddingRequest.Dimensions"/> is sent as <c>outputDimensionality</c>;
    /// <see cref="EmbeddingRequest.AdditionalRequestFields"/> (e.g. <c>taskType</c>) go into each entry. Errors map as for chat.
    /// </remarks>
    public async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        int count = EmbeddingWire.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        string model = EmbeddingWire.ModelFor(request, _defaultEmbeddingModel);
        var context = new ProviderErrorContext { ProviderName = Name, Model = model, Secret = _apiKey };
        long started = _time.GetTimestamp();
        string path = model.Contains('/', StringComparison.Ordinal) ? model : "models/" + model;
        Uri single, batch;
        try
        {
            single = new Uri(_baseUrl + "/" + path + ":embedContent", UriKind.Absolute);
            batch = new Uri(_baseUrl + "/" + path + ":batchEmbedContents", UriKind.Absolute);
        }
        catch (UriFormatException ex)
        {
            throw Failed(new InvalidChatRequestException(SecretRedactor.Redact($"{Name} cannot send this request: the model '{model}' does not make a valid URL ({ex.Message}).", _apiKey)!, ex)
            {
                ProviderName = Name,
                Model = model,
                IsTransient = false,
            });
        }

        // Gemini takes at most 100 entries per batch: more inputs are sent in consecutive batches, in order.
        var embeddings = new Embedding<float>[count];
        UsageDetails? usage = null;
        for (int start = 0; start < count; start += GeminiEmbeddings.MaxBatchSize)
        {
            int size = Math.Min(GeminiEmbeddings.MaxBatchSize, count - start);
            var state = new GeminiEmbeddingWriteState(request, path, count > 1, start, size);
            var (vectors, chunkUsage) = await EmbedChunkAsync(state.Batch ? batch : single, state, context, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < size; i++)
            {
                embeddings[start + i] = new Embedding<float>(vectors[i]) { ModelId = model };
            }

            usage = chunkUsage is null ? usage : usage is null ? chunkUsage : Sum(usage, chunkUsage);
        }

        var latency = _time.GetElapsedTime(started);
        GeminiLog.EmbeddingsCompleted(_logger, Name, model, count, latency.TotalMilliseconds, usage?.InputTokenCount);
        return new EmbeddingResult(embeddings)
        {
            Usage = usage,
            ProviderName = Name,
            Model = model,
            Latency = latency,
            Cost = _costs.CalculateCost(Name, Kind, model, usage),
        };

        static UsageDetails Sum(UsageDetails a, UsageDetails b) => new()
        {
            InputTokenCount = a.InputTokenCount + b.InputTokenCount,
            TotalTokenCount = a.TotalTokenCount + b.TotalTokenCount,
        };
    }

    /// <inheritdoc />
    /// <remarks>Lists the models (never a paid completion). A failure is returned as <see cref="LlmHealthStatus.Unhealthy"/> with the typed error; only caller cancellation throws.</remarks>
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        ProviderResponses.CheckHealthAsync(Name, _time, async ct => $"{(await ListModelsAsync(ct).ConfigureAwait(false)).Count} models available", cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}, {BaseUrl})";

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

        var state = new GeminiStreamState(Name, _lastModel);
        TimeSpan? timeToFirstToken = null;
        // Gemini sends a failure after the stream started as raw JSON outside the SSE framing: read such lines too.
        var events = SseStreamReader.EnumerateAsync(
            body,
            (type, data) => type == SseStreamReader.UnframedEventType ? state.OnRaw(data) : state.OnEvent(data),
            strayLinesAsData: true,
            timeout.Token).GetAsyncEnumerator(timeout.Token);
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
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }

        if (!state.HasFinished)
        {
            if (state.PendingMalformed is { } broken)
            {
                throw Failed(Interrupted($"The stream from {Name} ended in the middle of an event ({broken.Message}); the answer is incomplete.", state, context, broken));
            }

            if (state.Events == 0)
            {
                throw Failed(ProviderResponses.Malformed($"{Name} returned an empty stream: HTTP {(int)response.StatusCode} with no event. Check the base URL points at the Gemini API.", context, default, null));
            }

            throw Failed(Interrupted($"The stream from {Name} ended before a chunk with a finish reason; the answer is incomplete.", state, context, null));
        }

        if (state.PendingMalformed is { } lastBroken)
        {
            // The finish reason arrived, then a broken chunk: the stream ended in the middle of an event.
            throw Failed(Interrupted($"The stream from {Name} ended in the middle of an event ({lastBroken.Message}); the answer is incomplete.", state, context, lastBroken));
        }

        if (state.Model is { Length: > 0 } answered)
        {
            _lastModel = answered;
        }

        var latency = _time.GetElapsedTime(started);
        var calls = state.ToolCalls;
        string finalModel = string.IsNullOrEmpty(state.Model) ? model : state.Model;
        var final = new ChatStreamUpdate
        {
            IsFinal = true,
            FinishReason = FinishFor(state.FinishReason, calls is { Count: > 0 }),
            Usage = state.Usage,
            Cost = _costs.CalculateCost(Name, Kind, finalModel, state.Usage),
            ToolCalls = calls,
            ProviderName = Name,
            ResponseId = state.Id,
            Model = finalModel,
            Latency = latency,
            TimeToFirstToken = timeToFirstToken ?? latency,
            AdditionalProperties = Extras(state.RawFinishReason, state.SafetyCategories, state.FinishReason),
        };
        GeminiLog.RequestCompleted(_logger, Name, final.Model, latency.TotalMilliseconds, final.FinishReason?.Value, final.Usage?.InputTokenCount, final.Usage?.OutputTokenCount);
        yield return final;
    }

    // Gemini finishes a function call with STOP: the calls themselves say it was a tool-call turn.
    private static ChatFinishReason? FinishFor(ChatFinishReason? reason, bool hasCalls) =>
        hasCalls && (reason is null || reason == ChatFinishReason.Stop) ? ChatFinishReason.ToolCalls : reason;

    private static AdditionalPropertiesDictionary? Extras(string? rawFinishReason, List<string>? categories, ChatFinishReason? mapped)
    {
        bool keepRaw = rawFinishReason is not null && mapped != ChatFinishReason.Stop && mapped != ChatFinishReason.Length;
        if (!keepRaw && categories is null)
        {
            return null;
        }

        var extras = new AdditionalPropertiesDictionary();
        if (keepRaw)
        {
            extras[FinishReasonKey] = rawFinishReason;
        }

        if (categories is not null)
        {
            extras[SafetyCategoriesKey] = categories.ToArray();
        }

        return extras;
    }

    private async Task<(List<float[]> Vectors, UsageDetails? Usage)> EmbedChunkAsync(Uri uri, GeminiEmbeddingWriteState state, ProviderErrorContext context, CancellationToken cancellationToken)
    {
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = GeminiEmbeddings.CreateContent(state) };
        AddHeaders(message, "application/json");
        using var response = await SendAsync(message, context, "embeddings", timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var body = pooled.Span;
        CheckWholeBody(body, response, context, "embeddings response");
        ParsedGeminiEmbeddings parsed;
        try
        {
            parsed = GeminiEmbeddings.Parse(Utf8JsonHelpers.StripBom(body));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent an embeddings response that could not be parsed ({ex.Message}).", context, body, ex));
        }

        if (parsed.HasError)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        int count = state.Count;
        if (parsed.Vectors is not { } vectors || vectors.Count != count)
        {
            throw Failed(ProviderResponses.Malformed(
                $"{Name} answered {count} {(count == 1 ? "input" : "inputs")} with {(parsed.Vectors is null ? "no embedding" : $"{parsed.Vectors.Count} embeddings")}; which vector belongs to which input cannot be told.", context, body, null));
        }

        return (vectors, parsed.Usage);
    }

    private string ModelFor(ChatRequest request) => string.IsNullOrWhiteSpace(request.Model) ? _defaultModel : request.Model;

    private ModelUris UrisFor(string model)
    {
        var cached = Volatile.Read(ref _lastUris);
        if (cached is not null && string.Equals(cached.Model, model, StringComparison.Ordinal))
        {
            return cached;
        }

        // "gemini-2.5-flash" and "models/gemini-2.5-flash" are the same model; "tunedModels/…" keeps its own collection.
        string path = model.Contains('/', StringComparison.Ordinal) ? model : "models/" + model;
        var uris = new ModelUris(
            model,
            new Uri(_baseUrl + "/" + path + ":generateContent", UriKind.Absolute),
            new Uri(_baseUrl + "/" + path + ":streamGenerateContent?alt=sse", UriKind.Absolute));
        Volatile.Write(ref _lastUris, uris);
        return uris;
    }

    private HttpRequestMessage CreateChatMessage(ChatRequest request, string model, bool stream, in ProviderErrorContext context)
    {
        ModelUris uris;
        PooledJsonContent content;
        try
        {
            uris = UrisFor(model);
            content = GeminiRequestWriter.CreateContent(new GeminiRequestWriteState(request, _includeThoughts));
        }
        catch (Exception ex) when (ex is NotSupportedException or UriFormatException or JsonException or InvalidOperationException)
        {
            throw Failed(new InvalidChatRequestException(SecretRedactor.Redact($"{Name} cannot send this request: {ex.Message}", _apiKey)!, ex)
            {
                ProviderName = Name,
                Model = context.Model,
                IsTransient = false,
            });
        }

        var message = new HttpRequestMessage(HttpMethod.Post, stream ? uris.Stream : uris.Chat) { Content = content };
        AddHeaders(message, stream ? "text/event-stream" : "application/json");
        return message;
    }

    private void AddHeaders(HttpRequestMessage message, string accept)
    {
        var headers = message.Headers;
        if (_apiKey is not null)
        {
            headers.TryAddWithoutValidation("x-goog-api-key", _apiKey);
        }

        headers.TryAddWithoutValidation("Accept", accept);
    }

    private async ValueTask<HttpResponseMessage> SendAsync(HttpRequestMessage message, ProviderErrorContext context, string operation, RequestTimeout timeout, CancellationToken cancellationToken)
    {
        GeminiLog.RequestStarting(_logger, Name, operation, context.Model ?? "-");
        try
        {
            return await LlmHttp.SendAsync(_http, message, context, GeminiErrorParser.Instance, _time, timeout.Token).ConfigureAwait(false);
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
        ParsedResponse parsed;
        int calls = 0;
        try
        {
            parsed = GeminiResponseParser.Parse(Utf8JsonHelpers.StripBom(body), _lastModel, ref calls);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a response that could not be parsed as a GenerateContentResponse ({ex.Message}).", context, body, ex));
        }

        if (parsed.HasError)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        if (!parsed.HasCandidates)
        {
            if (parsed.BlockReason is { Length: > 0 } blocked)
            {
                throw Failed(Spent(Blocked(blocked, parsed.BlockReasonMessage, parsed.BlockCategories, context), parsed.Usage, parsed.ModelVersion, context.Model));
            }

            throw Failed(ProviderResponses.Malformed($"{Name} sent a response without candidates and without a block reason; it is not a GenerateContentResponse.", context, body, null));
        }

        if (parsed.ModelVersion is { Length: > 0 } answered)
        {
            _lastModel = answered;
        }

        var text = parsed.Text;
        var reasoning = parsed.Reasoning;
        int count = (reasoning is null ? 0 : 1) + (text is null ? 0 : 1) + (parsed.Calls?.Count ?? 0);
        var contents = new List<AIContent>(count);
        if (!string.IsNullOrEmpty(reasoning))
        {
            contents.Add(new TextReasoningContent(reasoning) { ProtectedData = parsed.ReasoningSignature });
        }

        if (text is not null)
        {
            contents.Add(new TextContent(text));
        }

        if (parsed.Calls is { } toolCalls)
        {
            contents.AddRange(toolCalls);
        }

        return new ChatResult(new ChatMessage(ChatRole.Assistant, contents))
        {
            FinishReason = FinishFor(parsed.FinishReason, parsed.Calls is { Count: > 0 }),
            Usage = parsed.Usage,
            ResponseId = parsed.ResponseId,
            Model = string.IsNullOrEmpty(parsed.ModelVersion) ? null : parsed.ModelVersion,
            AdditionalProperties = Extras(parsed.RawFinishReason, parsed.SafetyCategories, parsed.FinishReason),
        };
    }

    private ContentFilteredException Blocked(string reason, string? detail, List<string>? categories, in ProviderErrorContext context)
    {
        var list = new List<string>(1 + (categories?.Count ?? 0)) { reason };
        if (categories is not null)
        {
            list.AddRange(categories);
        }

        string message = $"{Name} blocked the prompt ({reason}){(string.IsNullOrWhiteSpace(detail) ? "." : ": " + detail.TrimEnd('.') + ".")} Rephrase the prompt, or review Gemini's safety settings.";
        return new ContentFilteredException(SecretRedactor.Redact(message, _apiKey)!)
        {
            ProviderName = Name,
            Model = context.Model,
            StatusCode = context.StatusCode,
            RequestId = context.RequestId,
            ErrorCode = reason,
            IsTransient = false,
            Categories = list,
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

        // Not an event stream: a gateway's page, a JSON error, or the JSON array Gemini streams without alt=sse.
        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var body = pooled.Span;
        if (!ProviderResponses.IsHtml(response, body) && GeminiErrorParser.Parse(body, response.StatusCode) is not null)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        throw Failed(ProviderResponses.NotAStream(Name, response, mediaType, context, body, "an event stream", " (alt=sse)"));
    }

    private static LlmProviderException ErrorFromBody(ReadOnlySpan<byte> body, in ProviderErrorContext context)
    {
        var error = GeminiErrorParser.Parse(body, context.StatusCode ?? HttpStatusCode.OK);
        return LlmErrorFactory.FromResponse(context with { StatusCode = null, Body = Encoding.UTF8.GetString(body) }, error);
    }

    private LlmProviderException StreamFailure(GeminiStreamState state, in ProviderErrorContext context)
    {
        if (state.ErrorEvent is { } errorEvent)
        {
            var error = GeminiErrorParser.Parse(Encoding.UTF8.GetBytes(errorEvent), HttpStatusCode.OK);
            return Spent(LlmErrorFactory.FromResponse(context with { StatusCode = null, Body = errorEvent }, error), state.Usage, state.Model, context.Model);
        }

        if (state.BlockReason is { } blocked)
        {
            return Spent(Blocked(blocked, null, state.BlockCategories, context), state.Usage, state.Model, context.Model);
        }

        if (state.InvalidUtf8)
        {
            return ProviderResponses.Malformed($"{Name} sent a stream event that is not valid UTF-8.", context, default, null);
        }

        if (state.UnframedText is { } unframed)
        {
            return ProviderResponses.Malformed($"{Name} sent text outside the event-stream framing (no 'data:' field).", context, Encoding.UTF8.GetBytes(unframed), null);
        }

        var inner = state.PendingMalformed;
        return ProviderResponses.Malformed($"{Name} sent a stream event that could not be parsed ({inner?.Message}).", context, default, inner);
    }

    private Exception StreamReadFailure(Exception ex, GeminiStreamState state, in ProviderErrorContext context, RequestTimeout timeout, CancellationToken cancellationToken)
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

    private StreamInterruptedException Interrupted(string message, GeminiStreamState state, in ProviderErrorContext context, Exception? inner) =>
        Spent(ProviderResponses.Interrupted(message, _apiKey, context, state.PartialText, state.Updates, inner), state.Usage, state.Model, context.Model);

    // A failed call whose response already reported usage (a blocked prompt, a stream cut or ended by an error after a chunk with
    // usageMetadata): the tokens were consumed, so the exception carries them and their price (C2: failed attempts are charged too).
    private T Spent<T>(T exception, UsageDetails? usage, string? answered, string? requested)
        where T : LlmProviderException
    {
        if (usage is not null)
        {
            exception.Usage ??= usage;
            exception.Cost ??= _costs.CalculateCost(Name, Kind, string.IsNullOrEmpty(answered) ? requested : answered, usage);
        }

        return exception;
    }

    private LlmProviderException Failed(LlmProviderException exception)
    {
        GeminiLog.RequestFailed(_logger, Name, exception.Model, exception.Kind, exception.StatusCode is { } s ? (int)s : null, exception.RequestId, exception.IsTransient, exception);
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

    /// <summary>The endpoints of one model (the last one used is cached: most providers serve one model).</summary>
    private sealed record ModelUris(string Model, Uri Chat, Uri Stream);
}
