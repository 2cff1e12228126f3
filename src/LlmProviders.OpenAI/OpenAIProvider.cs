using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Http;
using LlmProviders.OpenAI.Wire;
using Microsoft.Extensions.Logging;

namespace LlmProviders.OpenAI;

/// <summary>
/// The OpenAI Chat Completions provider (<c>POST {base}/chat/completions</c>, <c>GET {base}/models</c>): chat, streaming,
/// tools (streamed arguments assembled), images, JSON mode and JSON schema, reasoning models, usage with cached and
/// reasoning tokens, and typed errors. Usable on its own or registered with <c>AddOpenAI</c>.
/// </summary>
/// <remarks>
/// <para>A streamed answer is complete when <c>data: [DONE]</c> arrives, or when the body ends after a finish reason (some
/// servers omit <c>[DONE]</c>). A body that ends before both is a <see cref="StreamInterruptedException"/> carrying the text
/// received so far; a 200 stream that carries no event at all is a <see cref="MalformedResponseException"/>.</para>
/// <para>Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
public sealed class OpenAIProvider : ILlmProvider, IEmbeddingProvider, ILlmProviderDescriptor
{
    private readonly OpenAIWireClient _client;

    /// <summary>Initializes a new provider.</summary>
    /// <param name="options">The options. Values are read once, here; later changes to the instance have no effect. Unset values are read from the <c>OPENAI_*</c> environment variables.</param>
    /// <param name="httpClient">The HTTP client (its <see cref="HttpClient.Timeout"/> should be infinite: <see cref="HttpProviderOptions.RequestTimeout"/> rules). <see langword="null"/> uses a shared client.</param>
    /// <param name="name">The registration name, used in errors, logs and results.</param>
    /// <param name="timeProvider">The clock for latency and timeouts. <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. <see langword="null"/> logs nothing.</param>
    /// <param name="costCalculator">Prices each result (<see cref="ChatResult.Cost"/>) from its usage and the model catalog. <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no API key); the message names the option and the fix.</exception>
    public OpenAIProvider(OpenAIProviderOptions options, HttpClient? httpClient = null, string name = "openai", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null)
        : this(options, httpClient, name, timeProvider, logger, OpenAIEnvironment.Process, costCalculator)
    {
    }

    internal OpenAIProvider(OpenAIProviderOptions options, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger, OpenAIEnvironment environment, CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(environment);

        // Resolve on a copy: the caller's options instance is never changed.
        var resolved = new OpenAIProviderOptions
        {
            ApiKey = options.ApiKey,
            BaseUrl = options.BaseUrl,
            DefaultModel = options.DefaultModel,
            DefaultEmbeddingModel = options.DefaultEmbeddingModel,
            Capabilities = options.Capabilities,
            RequestTimeout = options.RequestTimeout,
            AllowMissingApiKey = options.AllowMissingApiKey,
            Organization = options.Organization,
            Project = options.Project,
            IncludeStreamUsage = options.IncludeStreamUsage,
            UseDeveloperRole = options.UseDeveloperRole,
        };
        environment.Apply(resolved);
        var problems = OpenAIOptionsChecks.Validate(resolved, name);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].ErrorMessage, nameof(options));
        }

        var headers = new List<KeyValuePair<string, string>>(2);
        if (!string.IsNullOrWhiteSpace(resolved.Organization))
        {
            headers.Add(new("OpenAI-Organization", resolved.Organization));
        }

        if (!string.IsNullOrWhiteSpace(resolved.Project))
        {
            headers.Add(new("OpenAI-Project", resolved.Project));
        }

        var dialect = new OpenAIDialect(resolved.BaseUrl ?? OpenAIProviderOptions.DefaultBaseUrl, resolved.ApiKey, headers);
        _client = new OpenAIWireClient(dialect, Settings(resolved, costCalculator), httpClient, name, timeProvider, logger);
    }

    /// <summary>Initializes a provider of an OpenAI-compatible service described by <paramref name="dialect"/> (the presets).</summary>
    /// <param name="dialect">The service's differences.</param>
    /// <param name="options">The resolved, validated options.</param>
    /// <param name="httpClient">The HTTP client, or <see langword="null"/>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="costCalculator">Prices the results, or <see langword="null"/> for <see cref="CostCalculator.Default"/>.</param>
    internal OpenAIProvider(OpenAIDialect dialect, OpenAIProviderOptions options, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger, CostCalculator? costCalculator = null)
    {
        _client = new OpenAIWireClient(dialect, Settings(options, costCalculator), httpClient, name, timeProvider, logger);
    }

    /// <inheritdoc />
    public string Name => _client.Name;

    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.OpenAI"/>, or the preset's kind (e.g. <c>together</c>, <c>vllm</c>).</value>
    public string Kind => _client.Kind;

    /// <inheritdoc />
    public LlmCapabilities Capabilities => _client.Capabilities;

    /// <inheritdoc />
    /// <value><see langword="false"/> for OpenAI; <see langword="true"/> for the local presets (vLLM, LocalAI).</value>
    public bool IsLocal => _client.IsLocal;

    /// <summary>Gets the base URL the provider calls (without a trailing slash).</summary>
    internal Uri BaseUrl => _client.BaseUrl;

    /// <inheritdoc />
    Uri? ILlmProviderDescriptor.ServerEndpoint => BaseUrl;

    /// <inheritdoc/>
    string? ILlmProviderDescriptor.DefaultModel => _client.DefaultModel;

    /// <summary>Gets the engine.</summary>
    internal OpenAIWireClient Client => _client;

    /// <inheritdoc />
    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default) => _client.ChatAsync(request, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) => _client.StreamAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) => _client.ListModelsAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Lists the models (never a paid completion). A failure is returned as <see cref="LlmHealthStatus.Unhealthy"/> with the typed error; only caller cancellation throws.</remarks>
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) => _client.CheckHealthAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks><c>POST {base}/embeddings</c> with every input in one call; the default model is <see cref="HttpProviderOptions.DefaultEmbeddingModel"/>, else <c>text-embedding-3-small</c> for OpenAI (a preset's own default for the compatible presets).</remarks>
    public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default) => _client.EmbedAsync(request, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => _client.ToString();

    internal static OpenAIWireSettings Settings(OpenAIProviderOptions options, CostCalculator? costCalculator = null) => new(
        options.DefaultModel,
        options.DefaultEmbeddingModel,
        options.Capabilities,
        options.RequestTimeout,
        options.IncludeStreamUsage,
        options.UseDeveloperRole,
        costCalculator);
}
