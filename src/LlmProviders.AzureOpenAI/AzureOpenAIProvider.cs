using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.AzureOpenAI.Wire;
using LlmProviders.Costs;
using LlmProviders.OpenAI;
using LlmProviders.OpenAI.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmProviders.AzureOpenAI;

/// <summary>
/// The Azure OpenAI provider: chat, streaming, tools, embeddings and the model list of an Azure OpenAI (or Foundry) resource,
/// through deployment URLs (<c>{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…</c>) or the v1 API
/// (<c>{endpoint}/openai/v1/…</c>), authenticated with the <c>api-key</c> header or a Microsoft Entra ID bearer token. The
/// request's <see cref="ChatRequest.Model"/> is the deployment name. Usable on its own or registered with <c>AddAzureOpenAI</c>.
/// </summary>
/// <remarks>
/// <para>Azure's stream quirks are handled: the first chunk with <c>choices: []</c> and blank id/model (prompt-filter results),
/// content-filter chunks after the finish chunk, and a body that ends after the finish chunk without <c>[DONE]</c>. An answer
/// stopped by the content filter has <see cref="ChatFinishReason.ContentFilter"/> and the filtered categories in
/// <see cref="ChatResult.ContentFilterCategories"/>; a prompt rejected by the filter (HTTP 400 <c>content_filter</c>) is a
/// <see cref="ContentFilteredException"/> with its categories. <c>DeploymentNotFound</c> is a <see cref="ModelNotFoundException"/>;
/// <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, <c>Retry-After</c> and the wait in a 429's message are reported in
/// <see cref="LlmProviderException.RetryAfter"/>, never slept.</para>
/// <para>Thread-safe: one instance serves concurrent calls.</para>
/// </remarks>
public sealed class AzureOpenAIProvider : ILlmProvider, IEmbeddingProvider, ILlmProviderDescriptor
{
    /// <summary>
    /// The key of <see cref="ChatResult.AdditionalProperties"/> (and of the final stream update's and embedding result's) that
    /// keeps the model Azure answered with when <see cref="AzureOpenAIProviderOptions.Deployments"/> mapped the deployment to a
    /// catalog model reported in <see cref="ChatResult.Model"/>.
    /// </summary>
    public const string AnsweredModelKey = "azure_openai.answered_model";

    private readonly OpenAIWireClient _client;
    private readonly FrozenDictionary<string, string>? _deployments;
    private readonly string _defaultDeployment;
    private readonly string _defaultEmbeddingDeployment;

    /// <summary>Initializes a new provider.</summary>
    /// <param name="options">The options. Values are read once, here; later changes to the instance have no effect. Unset values are read from the <c>AZURE_OPENAI_*</c> environment variables.</param>
    /// <param name="httpClient">The HTTP client (its <see cref="HttpClient.Timeout"/> should be infinite: <see cref="Http.HttpProviderOptions.RequestTimeout"/> rules). <see langword="null"/> uses a shared client.</param>
    /// <param name="name">The registration name, used in errors, logs and results.</param>
    /// <param name="timeProvider">The clock for latency and timeouts. <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger. <see langword="null"/> logs nothing.</param>
    /// <param name="costCalculator">Prices each result (<see cref="ChatResult.Cost"/>) from its usage and the model catalog, by the catalog model a deployment maps to (<see cref="AzureOpenAIProviderOptions.Deployments"/>) or else the model that answered. <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no endpoint, or neither key nor token provider); the message names the option and the fix.</exception>
    public AzureOpenAIProvider(AzureOpenAIProviderOptions options, HttpClient? httpClient = null, string name = "azure-openai", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null)
        : this(options, httpClient, name, timeProvider, logger, AzureOpenAIEnvironment.Process, costCalculator)
    {
    }

    internal AzureOpenAIProvider(AzureOpenAIProviderOptions options, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger, AzureOpenAIEnvironment environment, CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(environment);

        // Resolve on a copy: the caller's options instance is never changed.
        var resolved = new AzureOpenAIProviderOptions
        {
            ApiKey = options.ApiKey,
            BaseUrl = options.BaseUrl,
            DefaultModel = options.DefaultModel,
            DefaultEmbeddingModel = options.DefaultEmbeddingModel,
            Capabilities = options.Capabilities,
            RequestTimeout = options.RequestTimeout,
            AllowMissingApiKey = options.AllowMissingApiKey,
            ApiVersion = options.ApiVersion,
            UseV1Api = options.UseV1Api,
            TokenProvider = options.TokenProvider,
            IncludeStreamUsage = options.IncludeStreamUsage,
            UseDeveloperRole = options.UseDeveloperRole,
        };
        foreach (var deployment in options.Deployments)
        {
            resolved.Deployments[deployment.Key] = deployment.Value;
        }

        environment.Apply(resolved);
        var problems = AzureOpenAIOptionsChecks.Validate(resolved, name);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].ErrorMessage, nameof(options));
        }

        var endpoint = AzureOpenAIDialect.NormalizeEndpoint(resolved.BaseUrl!, out bool impliesV1);
        var dialect = new AzureOpenAIDialect(
            endpoint,
            resolved.ApiKey,
            resolved.TokenProvider,
            resolved.ApiVersion?.Trim() ?? AzureOpenAIProviderOptions.DefaultApiVersion,
            resolved.UseV1Api || impliesV1,
            name);
        var settings = new OpenAIWireSettings(
            resolved.DefaultModel,
            resolved.DefaultEmbeddingModel,
            resolved.Capabilities,
            resolved.RequestTimeout,
            resolved.IncludeStreamUsage,
            resolved.UseDeveloperRole ?? false,
            costCalculator);
        _client = new OpenAIWireClient(dialect, settings, httpClient, name, timeProvider, logger);
        _defaultDeployment = string.IsNullOrWhiteSpace(resolved.DefaultModel) ? dialect.DefaultChatModel : resolved.DefaultModel.Trim();
        _defaultEmbeddingDeployment = string.IsNullOrWhiteSpace(resolved.DefaultEmbeddingModel) ? dialect.DefaultEmbeddingModel : resolved.DefaultEmbeddingModel.Trim();
        if (resolved.Deployments.Count > 0)
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var deployment in resolved.Deployments)
            {
                map[deployment.Key.Trim()] = deployment.Value.Trim();
            }

            _deployments = map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <inheritdoc />
    public string Name => _client.Name;

    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.AzureOpenAI"/>.</value>
    public string Kind => _client.Kind;

    /// <inheritdoc />
    public LlmCapabilities Capabilities => _client.Capabilities;

    /// <inheritdoc />
    /// <value><see langword="false"/>.</value>
    public bool IsLocal => _client.IsLocal;

    /// <summary>Gets the resource endpoint the provider calls (without a trailing slash).</summary>
    internal Uri BaseUrl => _client.BaseUrl;

    /// <inheritdoc />
    Uri? ILlmProviderDescriptor.ServerEndpoint => BaseUrl;

    /// <inheritdoc/>
    string? ILlmProviderDescriptor.DefaultModel => _defaultDeployment;

    /// <summary>Gets the engine.</summary>
    internal OpenAIWireClient Client => _client;

    /// <inheritdoc />
    /// <remarks><see cref="ChatRequest.Model"/> is the deployment; <see cref="Http.HttpProviderOptions.DefaultModel"/> when it names none.</remarks>
    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CatalogModel(request.Model, _defaultDeployment) is { } catalog
            ? ChatMappedAsync(request, catalog, cancellationToken)
            : _client.ChatAsync(request, null, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CatalogModel(request.Model, _defaultDeployment) is { } catalog
            ? StreamMappedAsync(request, catalog, cancellationToken)
            : _client.StreamAsync(request, null, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The base models the resource can deploy (<c>GET /openai/models</c>), not its deployments (those live in the ARM control plane).</remarks>
    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) => _client.ListModelsAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Lists the models (never a paid completion). A failure is returned as <see cref="LlmHealthStatus.Unhealthy"/> with the typed error; only caller cancellation throws.</remarks>
    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) => _client.CheckHealthAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// <c>POST {endpoint}/openai/deployments/{deployment}/embeddings?api-version=…</c> (or <c>/openai/v1/embeddings</c>) with every
    /// input in one call; <see cref="EmbeddingRequest.Model"/> is the deployment, <see cref="Http.HttpProviderOptions.DefaultEmbeddingModel"/>
    /// when it names none (else <c>text-embedding-3-small</c>).
    /// </remarks>
    public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CatalogModel(request.Model, _defaultEmbeddingDeployment) is { } catalog
            ? EmbedMappedAsync(request, catalog, cancellationToken)
            : _client.EmbedAsync(request, null, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => _client.ToString();

    private string? CatalogModel(string? requested, string fallback)
    {
        if (_deployments is null)
        {
            return null;
        }

        string deployment = string.IsNullOrWhiteSpace(requested) ? fallback : requested;
        return _deployments.TryGetValue(deployment, out var catalog) ? catalog : null;
    }

    private static AdditionalPropertiesDictionary? KeepAnswered(AdditionalPropertiesDictionary? properties, string? answered, string catalog)
    {
        if (string.IsNullOrEmpty(answered) || string.Equals(answered, catalog, StringComparison.Ordinal))
        {
            return properties;
        }

        properties ??= [];
        properties[AnsweredModelKey] = answered;
        return properties;
    }

    private async Task<ChatResult> ChatMappedAsync(ChatRequest request, string catalog, CancellationToken cancellationToken)
    {
        var result = await _client.ChatAsync(request, catalog, cancellationToken).ConfigureAwait(false);
        result.AdditionalProperties = KeepAnswered(result.AdditionalProperties, result.Model, catalog);
        result.Model = catalog;
        return result;
    }

    private async IAsyncEnumerable<ChatStreamUpdate> StreamMappedAsync(ChatRequest request, string catalog, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in _client.StreamAsync(request, catalog, cancellationToken).ConfigureAwait(false))
        {
            if (update.IsFinal)
            {
                update.AdditionalProperties = KeepAnswered(update.AdditionalProperties, update.Model, catalog);
            }

            update.Model = catalog;
            yield return update;
        }
    }

    private async Task<EmbeddingResult> EmbedMappedAsync(EmbeddingRequest request, string catalog, CancellationToken cancellationToken)
    {
        var result = await _client.EmbedAsync(request, catalog, cancellationToken).ConfigureAwait(false);
        result.AdditionalProperties = KeepAnswered(result.AdditionalProperties, result.Model, catalog);
        result.Model = catalog;
        return result;
    }
}
