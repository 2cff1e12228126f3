using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Http;
using LlmProviders.Ollama.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Ollama;

/// <summary>
/// The Ollama provider (native API: <c>POST /api/chat</c>, <c>GET /api/tags</c>, <c>POST /api/show</c>, <c>GET /api/version</c>):
/// chat with <c>"stream": false</c>, NDJSON streaming, tools (whole calls, ids generated as <c>call_0</c>, <c>call_1</c> … when
/// the server gives none), images as base64, JSON mode and JSON schema (<c>format</c>), thinking models, usage and timings from
/// the <c>done</c> object, and typed errors. Usable on its own or registered with <c>AddOllama</c>.
/// </summary>
/// <remarks>
/// <para>A streamed answer is complete when a line has <c>"done": true</c>; a body that ends before it is a
/// <see cref="StreamInterruptedException"/> carrying the text received so far; an <c>{"error": …}</c> line is the typed error
/// its text describes.</para>
/// <para>Usage: input = <c>prompt_eval_count</c>, output = <c>eval_count</c> (absent counts are zero), total = their sum. The
/// durations and the output speed are in <see cref="ChatResult.AdditionalProperties"/> (and the final stream update's):
/// <see cref="TokensPerSecondProperty"/>, <see cref="TotalDurationProperty"/>, <see cref="LoadDurationProperty"/>,
/// <see cref="PromptEvalDurationProperty"/>, <see cref="EvalDurationProperty"/>, <see cref="CreatedAtProperty"/>.</para>
/// <para><c>done_reason</c> <c>stop</c> and <c>length</c> map to <see cref="ChatFinishReason.Stop"/> and
/// <see cref="ChatFinishReason.Length"/>; <c>load</c> and <c>unload</c> (a model loaded or unloaded, no message) keep their
/// raw value; an answer with tool calls finishes with <see cref="ChatFinishReason.ToolCalls"/> (Ollama says <c>stop</c>).</para>
/// <para><see cref="ChatRequest.ReasoningEffort"/> sends <c>"think": true</c> (<see cref="ReasoningEffort.None"/> sends
/// <c>false</c>); the model's thinking comes back as <see cref="TextReasoningContent"/> and reasoning deltas.</para>
/// <para>Embeddings (<see cref="IEmbeddingProvider"/>): <c>POST /api/embed</c> with every input in one call, <see cref="EmbeddingRequest.Dimensions"/>
/// as <c>dimensions</c>, usage from <c>prompt_eval_count</c>; the default model is <see cref="OllamaProviderOptions.FallbackEmbeddingModel"/>.</para>
/// <para>Local: <see cref="IsLocal"/> is <see langword="true"/> and results cost zero (see <see cref="OllamaProviderOptions.ReportZeroCost"/>).
/// Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
public sealed class OllamaProvider : ILlmProvider, IEmbeddingProvider, ILlmProviderDescriptor
{
    /// <summary>The provider name used in OpenTelemetry (<c>gen_ai.provider.name</c>).</summary>
    public const string TelemetryProviderName = "ollama";

    /// <summary>The key, in <see cref="ChatResult.AdditionalProperties"/>, of the output speed in tokens per second (<see cref="double"/>: <c>eval_count</c> / <c>eval_duration</c>).</summary>
    public const string TokensPerSecondProperty = "ollama.tokens_per_second";

    /// <summary>The key of the whole call's duration on the server (<see cref="TimeSpan"/>, <c>total_duration</c>).</summary>
    public const string TotalDurationProperty = "ollama.total_duration";

    /// <summary>The key of the time spent loading the model (<see cref="TimeSpan"/>, <c>load_duration</c>).</summary>
    public const string LoadDurationProperty = "ollama.load_duration";

    /// <summary>The key of the time spent on the prompt (<see cref="TimeSpan"/>, <c>prompt_eval_duration</c>).</summary>
    public const string PromptEvalDurationProperty = "ollama.prompt_eval_duration";

    /// <summary>The key of the time spent generating (<see cref="TimeSpan"/>, <c>eval_duration</c>).</summary>
    public const string EvalDurationProperty = "ollama.eval_duration";

    /// <summary>The key of the answer's creation time (<see cref="DateTimeOffset"/>, <c>created_at</c>).</summary>
    public const string CreatedAtProperty = "ollama.created_at";

    /// <summary>The key, in <see cref="LlmModelInfo.AdditionalProperties"/>, of the model's size on disk in bytes (<see cref="long"/>).</summary>
    public const string SizeProperty = "ollama.size";

    /// <summary>The key of the model's parameter count as Ollama writes it (<see cref="string"/>, e.g. <c>3.2B</c>).</summary>
    public const string ParameterSizeProperty = "ollama.parameter_size";

    /// <summary>The key of the model's quantization (<see cref="string"/>, e.g. <c>Q4_K_M</c>).</summary>
    public const string QuantizationLevelProperty = "ollama.quantization_level";

    /// <summary>The key of the model's family (<see cref="string"/>, e.g. <c>llama</c>).</summary>
    public const string FamilyProperty = "ollama.family";

    /// <summary>The key of the model's file format (<see cref="string"/>, e.g. <c>gguf</c>).</summary>
    public const string FormatProperty = "ollama.format";

    /// <summary>The key of the model's digest (<see cref="string"/>).</summary>
    public const string DigestProperty = "ollama.digest";

    /// <summary>The key of the model's capabilities (an array of <see cref="string"/>, e.g. <c>completion</c>, <c>vision</c>, <c>tools</c>).</summary>
    public const string CapabilitiesProperty = "ollama.capabilities";

    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private const LlmCapabilities DefaultCapabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.ParallelToolCalls | LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema |
        LlmCapabilities.Reasoning | LlmCapabilities.Embeddings | LlmCapabilities.ModelListing;

    private static readonly Lazy<HttpClient> SharedClient = new(ProviderResponses.CreateDefaultHttpClient, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _apiKey;
    private readonly string? _authorization;
    private readonly Uri _chatUri;
    private readonly Uri _embedUri;
    private readonly Uri _tagsUri;
    private readonly Uri _showUri;
    private readonly Uri _versionUri;
    private readonly string _defaultModel;
    private readonly string _defaultEmbeddingModel;
    private readonly TimeSpan? _keepAlive;
    private readonly int? _contextLength;
    private readonly decimal? _cost;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeoutSourcePool _timeouts;
    private string? _lastModel;

    /// <summary>Initializes a new provider.</summary>
    /// <param name="options">The options. Values are read once, here; later changes to the instance have no effect. Unset values are read from <c>OLLAMA_BASE_URL</c> (else <c>OLLAMA_URL</c>) and <c>OLLAMA_API_KEY</c>.</param>
    /// <param name="httpClient">The HTTP client (its <see cref="HttpClient.Timeout"/> should be infinite: <see cref="HttpProviderOptions.RequestTimeout"/> rules). <see langword="null"/> uses a shared client.</param>
    /// <param name="name">The registration name, used in errors, logs and results.</param>
    /// <param name="timeProvider">The clock for latency and timeouts. <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. <see langword="null"/> logs nothing.</param>
    /// <param name="costCalculator">
    /// Accepted so that every provider is built the same way; Ollama runs locally, so its results cost zero whatever the calculator's
    /// catalog says (<see cref="OllamaProviderOptions.ReportZeroCost"/>) and the calculator is not consulted.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid (for example a malformed base URL); the message names the option and the fix.</exception>
    public OllamaProvider(OllamaProviderOptions options, HttpClient? httpClient = null, string name = "ollama", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null)
        : this(options, httpClient, name, timeProvider, logger, OllamaEnvironment.Process, costCalculator)
    {
    }

    internal OllamaProvider(OllamaProviderOptions options, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger, OllamaEnvironment environment, CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(environment);

        // Resolve on a copy: the caller's options instance is never changed.
        var resolved = new OllamaProviderOptions
        {
            ApiKey = options.ApiKey,
            BaseUrl = options.BaseUrl,
            DefaultModel = options.DefaultModel,
            DefaultEmbeddingModel = options.DefaultEmbeddingModel,
            Capabilities = options.Capabilities,
            RequestTimeout = options.RequestTimeout,
            AllowMissingApiKey = options.AllowMissingApiKey,
            KeepAlive = options.KeepAlive,
            ContextLength = options.ContextLength,
            ReportZeroCost = options.ReportZeroCost,
        };
        environment.Apply(resolved);
        var problems = OllamaOptionsChecks.Validate(resolved, name);
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
        _authorization = _apiKey is null ? null : "Bearer " + _apiKey;
        var baseUrl = (resolved.BaseUrl ?? OllamaProviderOptions.DefaultBaseUrl).AbsoluteUri.TrimEnd('/');
        _chatUri = new Uri(baseUrl + "/api/chat", UriKind.Absolute);
        _embedUri = new Uri(baseUrl + "/api/embed", UriKind.Absolute);
        _tagsUri = new Uri(baseUrl + "/api/tags", UriKind.Absolute);
        _showUri = new Uri(baseUrl + "/api/show", UriKind.Absolute);
        _versionUri = new Uri(baseUrl + "/api/version", UriKind.Absolute);
        _defaultModel = string.IsNullOrWhiteSpace(resolved.DefaultModel) ? OllamaProviderOptions.FallbackModel : resolved.DefaultModel;
        _defaultEmbeddingModel = string.IsNullOrWhiteSpace(resolved.DefaultEmbeddingModel) ? OllamaProviderOptions.FallbackEmbeddingModel : resolved.DefaultEmbeddingModel.Trim();
        _keepAlive = resolved.KeepAlive;
        _contextLength = resolved.ContextLength;
        // Local: a known zero (unknown when ReportZeroCost is off). The cost calculator is accepted for uniformity, never consulted.
        _ = costCalculator;
        _cost = resolved.ReportZeroCost ? 0m : null;
        _requestTimeout = RequestTimeout.Normalize(resolved.RequestTimeout);
        Capabilities = resolved.Capabilities ?? DefaultCapabilities;
        BaseUrl = new Uri(baseUrl, UriKind.Absolute);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.Ollama"/>.</value>
    public string Kind => LlmProviderKinds.Ollama;

    /// <inheritdoc />
    public LlmCapabilities Capabilities { get; }

    /// <inheritdoc />
    /// <value><see langword="true"/>: Ollama runs on local (or self-hosted) hardware.</value>
    public bool IsLocal => true;

    /// <summary>Gets the base URL the provider calls (without a trailing slash).</summary>
    internal Uri BaseUrl { get; }

    /// <inheritdoc />
    Uri? ILlmProviderDescriptor.ServerEndpoint => BaseUrl;

    /// <inheritdoc/>
    string? ILlmProviderDescriptor.DefaultModel => _defaultModel;

    /// <summary>Gets the per-attempt timeout in force.</summary>
    internal TimeSpan EffectiveRequestTimeout => _requestTimeout;

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

        var result = ParseCompletion(pooled.Span, response, context, out double? tokensPerSecond);
        result.ProviderName = Name;
        result.Model ??= model;
        result.Cost = _cost;
        result.Latency = _time.GetElapsedTime(started);
        OllamaLog.RequestCompleted(_logger, Name, result.Model, result.Latency.TotalMilliseconds, result.FinishReason?.Value, result.Usage?.InputTokenCount, result.Usage?.OutputTokenCount, tokensPerSecond);
        return result;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamCoreAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>POST /api/embed</c> with every input in one call; <see cref="EmbeddingRequest.Dimensions"/> is sent as <c>dimensions</c>
    /// (models that support it). A model that is not pulled is a <see cref="ModelNotFoundException"/> saying <c>ollama pull</c>.
    /// Usage comes from <c>prompt_eval_count</c>; the cost is zero (see <see cref="OllamaProviderOptions.ReportZeroCost"/>).
    /// </remarks>
    public async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        int count = EmbeddingWire.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        string model = EmbeddingWire.ModelFor(request, _defaultEmbeddingModel);
        var context = new ProviderErrorContext { ProviderName = Name, Model = model, Secret = _apiKey };
        long started = _time.GetTimestamp();
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = new HttpRequestMessage(HttpMethod.Post, _embedUri)
        {
            Content = OllamaEmbeddings.CreateContent(new OllamaEmbeddingWriteState(request, model, _keepAlive)),
        };
        AddHeaders(message, "application/json");
        using var response = await SendAsync(message, context, "embeddings", timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);

        var body = pooled.Span;
        CheckWholeBody(body, response, context, "embeddings response");
        ParsedOllamaEmbeddings parsed;
        try
        {
            parsed = OllamaEmbeddings.Parse(Utf8JsonHelpers.StripBom(body).Trim(" \t\r\n"u8));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent an embeddings response that could not be parsed ({ex.Message}).", context, body, ex));
        }

        if (parsed.HasError)
        {
            throw Failed(ErrorFromText(parsed.Error, context, OllamaErrorParser.BodyText(body)));
        }

        if (parsed.Vectors is not { } vectors || vectors.Count != count)
        {
            throw Failed(ProviderResponses.Malformed(
                $"{Name} answered {count} {(count == 1 ? "input" : "inputs")} with {(parsed.Vectors is null ? "no embeddings" : $"{parsed.Vectors.Count} embeddings")}; which vector belongs to which input cannot be told.", context, body, null));
        }

        string answered = string.IsNullOrEmpty(parsed.Model) ? model : parsed.Model;
        var embeddings = new Embedding<float>[count];
        for (int i = 0; i < count; i++)
        {
            embeddings[i] = new Embedding<float>(vectors[i]) { ModelId = answered };
        }

        var usage = OllamaEmbeddings.CreateUsage(parsed);
        var latency = _time.GetElapsedTime(started);
        OllamaLog.EmbeddingsCompleted(_logger, Name, answered, count, latency.TotalMilliseconds, usage?.InputTokenCount);
        return new EmbeddingResult(embeddings)
        {
            Usage = usage,
            ProviderName = Name,
            Model = answered,
            Latency = latency,
            Cost = _cost,
        };
    }

    /// <inheritdoc />
    /// <remarks>The models pulled on this server (<c>GET /api/tags</c>), with their size, parameter count and quantization in <see cref="LlmModelInfo.AdditionalProperties"/>. The context window needs <see cref="GetModelDetailsAsync"/>.</remarks>
    public async Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long started = _time.GetTimestamp();
        var models = await GetJsonAsync(HttpMethod.Get, _tagsUri, null, null, "models", "model list",
            static (body, _) => (OllamaModelsParser.ParseTags(body, out bool hasError), hasError), cancellationToken).ConfigureAwait(false);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            double elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
            OllamaLog.ModelsListed(_logger, Name, models.Count, elapsedMs);
        }

        return models;
    }

    /// <summary>
    /// Gets a model's details (<c>POST /api/show</c>): its context window (<see cref="LlmModelInfo.ContextWindow"/>, from
    /// <c>model_info["&lt;architecture&gt;.context_length"]</c>), and its parameter count, quantization, family and capabilities in
    /// <see cref="LlmModelInfo.AdditionalProperties"/>.
    /// </summary>
    /// <param name="model">The model name, e.g. <c>llama3.2</c>.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The model's details.</returns>
    /// <exception cref="ModelNotFoundException">The model is not pulled on this server; the message says <c>ollama pull &lt;model&gt;</c>.</exception>
    /// <exception cref="LlmProviderException">The call failed.</exception>
    public Task<LlmModelInfo> GetModelDetailsAsync(string model, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        cancellationToken.ThrowIfCancellationRequested();
        return GetJsonAsync(HttpMethod.Post, _showUri, model, PooledJsonContent.Create(model, static (writer, m) =>
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, m);
            writer.WriteEndObject();
        }), "show", "model description", static (body, m) => (OllamaModelsParser.ParseShow(body, m!, out bool hasError), hasError), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Asks the server's version (<c>GET /api/version</c>): never a completion, never a model load. A failure is returned as <see cref="LlmHealthStatus.Unhealthy"/> with the typed error (e.g. "Ollama is not running at …"); only caller cancellation throws.</remarks>
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        ProviderResponses.CheckHealthAsync(Name, _time, async ct =>
        {
            var version = await GetJsonAsync(HttpMethod.Get, _versionUri, null, null, "version", "version",
                static (body, _) => (OllamaModelsParser.ParseVersion(body), false), ct).ConfigureAwait(false);
            return version is null ? $"Ollama answered at {BaseUrl}" : $"Ollama {version} at {BaseUrl}";
        }, cancellationToken);

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

        if (string.Equals(response.Content.Headers.ContentType?.MediaType, "text/html", StringComparison.OrdinalIgnoreCase))
        {
            using var page = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);
            throw Failed(ProviderResponses.NotAStream(Name, response, "text/html", context, page.Span, "an NDJSON stream"));
        }

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

        var state = new OllamaStreamState(Name, _lastModel);
        TimeSpan? timeToFirstToken = null;
        var lines = NdjsonStreamReader.EnumerateAsync(body, state.Parser, timeout.Token).GetAsyncEnumerator(timeout.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await lines.MoveNextAsync().ConfigureAwait(false);
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

                if (lines.Current is { } update)
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
            await lines.DisposeAsync().ConfigureAwait(false);
        }

        if (!state.Done)
        {
            if (state.PendingMalformed is { } broken)
            {
                throw Failed(Interrupted($"The stream from {Name} ended in the middle of a line ({broken.Message}); the answer is incomplete.", state, context, broken));
            }

            if (state.Lines == 0)
            {
                throw Failed(ProviderResponses.Malformed($"{Name} returned an empty stream: HTTP {(int)response.StatusCode} with no line. Check the base URL points at an Ollama server.", context, default, null));
            }

            throw Failed(Interrupted($"The stream from {Name} ended before its final \"done\" line; the answer is incomplete.", state, context, null));
        }

        if (state.Model is { Length: > 0 } answered)
        {
            _lastModel = answered;
        }

        var done = state.Final;
        var calls = state.ToolCalls;
        var latency = _time.GetElapsedTime(started);
        var final = new ChatStreamUpdate
        {
            IsFinal = true,
            FinishReason = FinishReason(done.DoneReason, calls is { Count: > 0 }),
            Usage = OllamaChatParser.CreateUsage(done),
            Cost = _cost,
            ToolCalls = calls is { Count: > 0 } ? calls : null,
            ProviderName = Name,
            Model = string.IsNullOrEmpty(state.Model) ? model : state.Model,
            Latency = latency,
            TimeToFirstToken = timeToFirstToken ?? latency,
            AdditionalProperties = OllamaChatParser.CreateMetrics(done),
        };
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            double? tokensPerSecond = OllamaChatParser.TokensPerSecond(done);
            OllamaLog.RequestCompleted(_logger, Name, final.Model, latency.TotalMilliseconds, final.FinishReason?.Value, final.Usage.InputTokenCount, final.Usage.OutputTokenCount, tokensPerSecond);
        }
        yield return final;
    }

    private static ChatFinishReason? FinishReason(string? doneReason, bool hasToolCalls) =>
        hasToolCalls && doneReason is null or "stop" ? ChatFinishReason.ToolCalls : OllamaJson.MapDoneReason(doneReason);

    private string ModelFor(ChatRequest request) => string.IsNullOrWhiteSpace(request.Model) ? _defaultModel : request.Model;

    private HttpRequestMessage CreateChatMessage(ChatRequest request, string model, bool stream, in ProviderErrorContext context)
    {
        PooledJsonContent content;
        try
        {
            content = OllamaChatRequestWriter.CreateContent(new OllamaChatWriteState(request, model, stream, _keepAlive, _contextLength));
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

        var message = new HttpRequestMessage(HttpMethod.Post, _chatUri) { Content = content };
        AddHeaders(message, stream ? "application/x-ndjson" : "application/json");
        return message;
    }

    private void AddHeaders(HttpRequestMessage message, string accept)
    {
        var headers = message.Headers;
        if (_authorization is not null)
        {
            headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        headers.TryAddWithoutValidation("Accept", accept);
    }

    private delegate (T Value, bool HasError) BodyParser<T>(ReadOnlySpan<byte> body, string? model);

    private async Task<T> GetJsonAsync<T>(HttpMethod method, Uri uri, string? model, PooledJsonContent? content, string operation, string what, BodyParser<T> parse, CancellationToken cancellationToken)
    {
        var context = new ProviderErrorContext { ProviderName = Name, Model = model, Secret = _apiKey };
        using var timeout = new RequestTimeout(_requestTimeout, _timeouts, cancellationToken);
        using var message = new HttpRequestMessage(method, uri) { Content = content };
        AddHeaders(message, "application/json");
        using var response = await SendAsync(message, context, operation, timeout, cancellationToken).ConfigureAwait(false);
        context = context with { StatusCode = response.StatusCode, RequestId = LlmHttp.GetRequestId(response) };

        using var pooled = await ReadBodyAsync(response, context, timeout, cancellationToken).ConfigureAwait(false);
        var body = pooled.Span;
        CheckWholeBody(body, response, context, what);
        (T Value, bool HasError) parsed;
        try
        {
            parsed = parse(Utf8JsonHelpers.StripBom(body), model);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a {what} that could not be parsed ({ex.Message}).", context, body, ex));
        }

        if (parsed.HasError)
        {
            throw Failed(ErrorFromBody(body, context));
        }

        return parsed.Value;
    }

    private async ValueTask<HttpResponseMessage> SendAsync(HttpRequestMessage message, ProviderErrorContext context, string operation, RequestTimeout timeout, CancellationToken cancellationToken)
    {
        OllamaLog.RequestStarting(_logger, Name, operation, context.Model ?? "-");
        try
        {
            return await LlmHttp.SendAsync(_http, message, context, OllamaErrorParser.Instance, _time, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.HasTimedOut(cancellationToken))
        {
            throw Failed(ProviderResponses.SendTimedOut(Name, _requestTimeout, context, ex, " (the model may still be loading)"));
        }
        catch (ProviderUnavailableException ex) when (ex.StatusCode is null && IsConnectionRefused(ex.InnerException))
        {
            throw Failed(LlmErrorFactory.Create(
                LlmErrorKind.ProviderUnavailable,
                $"{Name}: Ollama is not running at {BaseUrl} (connection refused). Start it with 'ollama serve' (or the Ollama app), or set OLLAMA_BASE_URL / BaseUrl to where it runs.",
                context,
                ex.InnerException));
        }
        catch (ModelNotFoundException ex) when (context.Model is { } model)
        {
            throw Failed(ModelNotPulled(ex, model));
        }
        catch (LlmProviderException ex)
        {
            throw Failed(ex);
        }
    }

    private static bool IsConnectionRefused(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }

            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } http &&
                (http.InnerException is null or SocketException { SocketErrorCode: SocketError.ConnectionRefused } ||
                 http.Message.Contains("refused", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    // A model that is not pulled (404, or an error line): the message says how to get it.
    private ModelNotFoundException ModelNotPulled(LlmProviderException source, string model)
    {
        string status = source.StatusCode is { } code ? $"HTTP {(int)code}" : "an error";
        string detail = ProviderText(source.ResponseBody) ?? $"model '{model}' not found";
        return new ModelNotFoundException(SecretRedactor.Redact($"{Name} returned {status} (model not found): {detail}. The model is not pulled on the Ollama server at {BaseUrl}: run 'ollama pull {model}', or pick one from ListModelsAsync.", _apiKey)!, source.InnerException)
        {
            ProviderName = Name,
            Model = model,
            StatusCode = source.StatusCode,
            ErrorCode = source.ErrorCode,
            ErrorType = source.ErrorType,
            RequestId = source.RequestId,
            IsTransient = false,
            ResponseBody = source.ResponseBody,
        };
    }

    private static string? ProviderText(string? body)
    {
        if (body is null)
        {
            return null;
        }

        var error = OllamaErrorParser.Parse(Encoding.UTF8.GetBytes(body), HttpStatusCode.NotFound);
        var text = error?.Message?.Trim().TrimEnd('.');
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private ChatResult ParseCompletion(ReadOnlySpan<byte> body, HttpResponseMessage response, in ProviderErrorContext context, out double? tokensPerSecond)
    {
        CheckWholeBody(body, response, context, "response");
        OllamaChunk parsed;
        List<FunctionCallContent>? calls = null;
        try
        {
            parsed = OllamaChatParser.Parse(Utf8JsonHelpers.StripBom(body).Trim(" \t\r\n"u8), _lastModel, ref calls);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a response that could not be parsed as a chat answer ({ex.Message}).", context, body, ex));
        }

        if (parsed.HasError)
        {
            throw Failed(ErrorFromText(parsed.Error, context, OllamaErrorParser.BodyText(body)));
        }

        if (!parsed.Done)
        {
            throw Failed(ProviderResponses.Malformed($"{Name} sent a response without \"done\": true; it is not a complete chat answer (was \"stream\": false ignored by a proxy?).", context, body, null));
        }

        if (parsed.Model is { Length: > 0 } answered)
        {
            _lastModel = answered;
        }

        int count = (parsed.Thinking is null ? 0 : 1) + (parsed.Content is null ? 0 : 1) + (calls?.Count ?? 0);
        var contents = new List<AIContent>(count);
        if (parsed.Thinking is { } thinking)
        {
            contents.Add(new TextReasoningContent(thinking));
        }

        if (parsed.Content is { } text)
        {
            contents.Add(new TextContent(text));
        }

        if (calls is not null)
        {
            contents.AddRange(calls);
        }

        tokensPerSecond = OllamaChatParser.TokensPerSecond(parsed);
        return new ChatResult(new ChatMessage(ChatRole.Assistant, contents))
        {
            FinishReason = FinishReason(parsed.DoneReason, calls is { Count: > 0 }),
            Usage = OllamaChatParser.CreateUsage(parsed),
            Model = string.IsNullOrEmpty(parsed.Model) ? null : parsed.Model,
            AdditionalProperties = OllamaChatParser.CreateMetrics(parsed),
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

    private LlmProviderException ErrorFromBody(ReadOnlySpan<byte> body, in ProviderErrorContext context)
    {
        var error = OllamaErrorParser.Parse(body, context.StatusCode ?? HttpStatusCode.OK);
        return ErrorFromText(error?.Message, context, OllamaErrorParser.BodyText(body));
    }

    // An error inside a 200 (a body or a stream line): the text decides the kind.
    private LlmProviderException ErrorFromText(string? text, in ProviderErrorContext context, string? bodyText)
    {
        var error = OllamaErrorParser.FromStreamError(text);
        var exception = LlmErrorFactory.FromResponse(context with { StatusCode = null, Body = bodyText }, error);
        return exception is ModelNotFoundException && context.Model is { } model ? ModelNotPulled(exception, model) : exception;
    }

    private LlmProviderException StreamFailure(OllamaStreamState state, in ProviderErrorContext context)
    {
        if (state.ErrorMessage is { } error)
        {
            return ErrorFromText(error, context, state.ErrorLine);
        }

        if (state.InvalidUtf8)
        {
            return ProviderResponses.Malformed($"{Name} sent a stream line that is not valid UTF-8.", context, default, null);
        }

        var inner = state.PendingMalformed;
        return ProviderResponses.Malformed($"{Name} sent a stream line that could not be parsed ({inner?.Message}).", context, default, inner);
    }

    private Exception StreamReadFailure(Exception ex, OllamaStreamState state, in ProviderErrorContext context, RequestTimeout timeout, CancellationToken cancellationToken)
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

    private StreamInterruptedException Interrupted(string message, OllamaStreamState state, in ProviderErrorContext context, Exception? inner) =>
        ProviderResponses.Interrupted(message, _apiKey, context, state.PartialText, state.Updates, inner);

    private LlmProviderException Failed(LlmProviderException exception)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            OllamaLog.RequestFailed(_logger, Name, exception.Model, exception.Kind, exception.StatusCode is { } s ? (int)s : null, exception.IsTransient, exception);
        }
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
