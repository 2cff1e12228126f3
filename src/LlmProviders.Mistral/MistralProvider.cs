using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Http;
using LlmProviders.Mistral.Wire;
using LlmProviders.OpenAI.Wire;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Mistral;

/// <summary>
/// The Mistral AI provider (<c>POST {base}/chat/completions</c>, <c>GET {base}/models</c>, <c>POST {base}/embeddings</c>):
/// chat, streaming, tools, images, JSON mode and JSON schema, magistral reasoning (<c>thinking</c> content blocks become
/// reasoning text), <c>safe_prompt</c>, embeddings, usage and typed errors. Usable on its own or registered with <c>AddMistral</c>.
/// </summary>
/// <remarks>
/// <para>Mistral validates request bodies strictly (unknown fields are a 422), so the body carries only fields it knows:
/// <c>max_tokens</c> (never <c>max_completion_tokens</c>), <c>random_seed</c> (never <c>seed</c>), no <c>stream_options</c>
/// (usage arrives in the finish chunk anyway), no <c>reasoning_effort</c>, no <c>store</c>, no message <c>name</c>.</para>
/// <para>A streamed answer is complete when <c>data: [DONE]</c> arrives, or when the body ends after a finish reason. A body
/// that ends before both is a <see cref="StreamInterruptedException"/> carrying the text received so far.</para>
/// <para>Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
public sealed class MistralProvider : ILlmProvider, IEmbeddingProvider, ILlmProviderDescriptor
{
    private readonly OpenAIWireClient _client;

    /// <summary>Initializes a new provider.</summary>
    /// <param name="options">The options. Values are read once, here; later changes to the instance have no effect. Unset values are read from the <c>MISTRAL_*</c> environment variables.</param>
    /// <param name="httpClient">The HTTP client (its <see cref="HttpClient.Timeout"/> should be infinite: <see cref="HttpProviderOptions.RequestTimeout"/> rules). <see langword="null"/> uses a shared client.</param>
    /// <param name="name">The registration name, used in errors, logs and results.</param>
    /// <param name="timeProvider">The clock for latency and timeouts. <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. <see langword="null"/> logs nothing.</param>
    /// <param name="costCalculator">Prices each result (<see cref="ChatResult.Cost"/>) from its usage and the model catalog. <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no API key); the message names the option and the fix.</exception>
    public MistralProvider(MistralProviderOptions options, HttpClient? httpClient = null, string name = "mistral", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null)
        : this(options, httpClient, name, timeProvider, logger, MistralEnvironment.Process, costCalculator)
    {
    }

    internal MistralProvider(MistralProviderOptions options, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger, MistralEnvironment environment, CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(environment);

        // Resolve on a copy: the caller's options instance is never changed.
        var resolved = new MistralProviderOptions
        {
            ApiKey = options.ApiKey,
            BaseUrl = options.BaseUrl,
            DefaultModel = options.DefaultModel,
            DefaultEmbeddingModel = options.DefaultEmbeddingModel,
            Capabilities = options.Capabilities,
            RequestTimeout = options.RequestTimeout,
            AllowMissingApiKey = options.AllowMissingApiKey,
            SafePrompt = options.SafePrompt,
        };
        environment.Apply(resolved);
        var problems = MistralOptionsChecks.Validate(resolved, name);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].ErrorMessage, nameof(options));
        }

        var dialect = new MistralDialect(resolved.BaseUrl ?? MistralProviderOptions.DefaultBaseUrl, resolved.ApiKey, resolved.SafePrompt);
        var settings = new OpenAIWireSettings(
            resolved.DefaultModel,
            resolved.DefaultEmbeddingModel,
            resolved.Capabilities,
            resolved.RequestTimeout,
            IncludeStreamUsage: false,
            UseDeveloperRole: false,
            Costs: costCalculator);
        _client = new OpenAIWireClient(dialect, settings, httpClient, name, timeProvider, logger);
    }

    /// <inheritdoc />
    public string Name => _client.Name;

    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.Mistral"/>.</value>
    public string Kind => _client.Kind;

    /// <inheritdoc />
    public LlmCapabilities Capabilities => _client.Capabilities;

    /// <inheritdoc />
    /// <value><see langword="false"/>.</value>
    public bool IsLocal => _client.IsLocal;

    /// <summary>Gets the base URL the provider calls (without a trailing slash).</summary>
    internal Uri BaseUrl => _client.BaseUrl;

    /// <inheritdoc />
    Uri? ILlmProviderDescriptor.ServerEndpoint => BaseUrl;

    /// <inheritdoc/>
    string? ILlmProviderDescriptor.DefaultModel => _client.DefaultModel;

    /// <inheritdoc />
    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default) => _client.ChatAsync(request, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) => _client.StreamAsync(request, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Each model's Mistral capabilities are in <see cref="LlmModelInfo.AdditionalProperties"/>: <c>capabilities</c> (<see cref="LlmCapabilities"/>) and <c>mistral_capabilities</c> (the raw names that are true).</remarks>
    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) => _client.ListModelsAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Lists the models (never a paid completion). A failure is returned as <see cref="LlmHealthStatus.Unhealthy"/> with the typed error; only caller cancellation throws.</remarks>
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) => _client.CheckHealthAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks><c>POST {base}/embeddings</c> with every input in one call; the default model is <c>mistral-embed</c>; <see cref="EmbeddingRequest.Dimensions"/> is sent as <c>output_dimension</c> (models that support it, such as <c>codestral-embed</c>).</remarks>
    public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default) => _client.EmbedAsync(request, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => _client.ToString();
}
