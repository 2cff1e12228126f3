using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.AzureOpenAI.Wire;

/// <summary>
/// Azure OpenAI's differences from OpenAI's wire: deployment URLs with an <c>api-version</c>
/// (<c>{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…</c>) or the v1 API (<c>{endpoint}/openai/v1/…</c>,
/// the deployment in the body), the <c>api-key</c> header or an Entra ID bearer token fetched per request, Azure's error codes
/// (<see cref="AzureOpenAIErrorParser"/>), and <c>system</c> rather than <c>developer</c> for system messages.
/// </summary>
/// <remarks>Deployment URLs are built once per deployment and cached (up to <see cref="MaxCachedDeployments"/> names). Thread-safe.</remarks>
internal sealed class AzureOpenAIDialect : OpenAIDialect
{
    /// <summary>The most deployment names whose URLs are cached; URLs of further names are built per call.</summary>
    public const int MaxCachedDeployments = 256;

    private readonly string _root;
    private readonly string _query;
    private readonly string _name;
    private readonly Uri? _v1ChatUri;
    private readonly Uri? _v1EmbeddingsUri;
    private readonly Uri _modelsUri;
    private readonly ConcurrentDictionary<string, Uri> _chatUris = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Uri> _embeddingUris = new(StringComparer.Ordinal);
    private readonly Func<CancellationToken, ValueTask<string>>? _tokenProvider;
    private Bearer? _bearer;

    /// <summary>Initializes the dialect of one registration.</summary>
    /// <param name="endpoint">The resource endpoint, normalized by <see cref="NormalizeEndpoint"/>.</param>
    /// <param name="apiKey">The key sent as <c>api-key</c>, or <see langword="null"/> (a token provider, or no authentication).</param>
    /// <param name="tokenProvider">The Entra ID token source, or <see langword="null"/> for key authentication.</param>
    /// <param name="apiVersion">The <c>api-version</c> of the deployment URLs.</param>
    /// <param name="useV1Api">Whether the v1 API is called.</param>
    /// <param name="name">The registration name, for errors.</param>
    public AzureOpenAIDialect(Uri endpoint, string? apiKey, Func<CancellationToken, ValueTask<string>>? tokenProvider, string apiVersion, bool useV1Api, string name)
        : base(endpoint, tokenProvider is null ? apiKey : null, null, "api-key", string.Empty)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiVersion);
        _root = BaseUrl.AbsoluteUri.TrimEnd('/');
        _query = "?api-version=" + Uri.EscapeDataString(apiVersion.Trim());
        _tokenProvider = tokenProvider;
        _name = name;
        UsesV1Api = useV1Api;
        if (useV1Api)
        {
            _v1ChatUri = new Uri(_root + "/openai/v1/chat/completions", UriKind.Absolute);
            _v1EmbeddingsUri = new Uri(_root + "/openai/v1/embeddings", UriKind.Absolute);
            _modelsUri = new Uri(_root + "/openai/v1/models", UriKind.Absolute);
        }
        else
        {
            _modelsUri = new Uri(_root + "/openai/models" + _query, UriKind.Absolute);
        }
    }

    /// <summary>Gets a value indicating whether the v1 API is called.</summary>
    public bool UsesV1Api { get; }

    /// <inheritdoc />
    public override string Kind => LlmProviderKinds.AzureOpenAI;

    /// <inheritdoc />
    public override ProviderErrorParser ErrorParser => AzureOpenAIErrorParser.Instance;

    /// <inheritdoc />
    /// <remarks>The key, or the latest bearer token once one was fetched.</remarks>
    public override string? Secret => Volatile.Read(ref _bearer)?.Token ?? base.Secret;

    /// <summary>
    /// Returns the resource endpoint without a trailing slash, query, or the <c>/openai</c> and <c>/openai/v1</c> suffixes people
    /// paste from the portal or from OpenAI-client samples.
    /// </summary>
    /// <param name="endpoint">The configured endpoint.</param>
    /// <param name="impliesV1Api">Set when the endpoint ended in <c>/openai/v1</c>.</param>
    /// <returns>The endpoint.</returns>
    public static Uri NormalizeEndpoint(Uri endpoint, out bool impliesV1Api)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        impliesV1Api = false;
        if (text.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase))
        {
            impliesV1Api = true;
            text = text[..^"/v1".Length];
        }

        if (text.EndsWith("/openai", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^"/openai".Length];
        }

        return new Uri(text, UriKind.Absolute);
    }

    /// <inheritdoc />
    /// <remarks>Azure treats <c>system</c> as <c>developer</c> for reasoning deployments; older api-versions reject <c>developer</c>.</remarks>
    public override bool UsesDeveloperRole(string model) => false;

    /// <inheritdoc />
    public override Uri GetChatUri(string model) => _v1ChatUri ?? DeploymentUri(_chatUris, model, "/chat/completions");

    /// <inheritdoc />
    public override Uri GetEmbeddingsUri(string model) => _v1EmbeddingsUri ?? DeploymentUri(_embeddingUris, model, "/embeddings");

    /// <inheritdoc />
    public override Uri GetModelsUri() => _modelsUri;

    /// <inheritdoc />
    public override ValueTask PrepareAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        AddStaticHeaders(message);
        if (_tokenProvider is null)
        {
            return ValueTask.CompletedTask;
        }

        ValueTask<string> pending;
        try
        {
            pending = _tokenProvider(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw TokenFailure(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            SetBearer(message, pending.Result);
            return ValueTask.CompletedTask;
        }

        return AwaitTokenAsync(message, pending, cancellationToken);
    }

    private async ValueTask AwaitTokenAsync(HttpRequestMessage message, ValueTask<string> pending, CancellationToken cancellationToken)
    {
        string token;
        try
        {
            token = await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw TokenFailure(ex);
        }

        SetBearer(message, token);
    }

    private void SetBearer(HttpRequestMessage message, string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ProviderAuthenticationException($"The TokenProvider of {_name} returned an empty token; it must return a Microsoft Entra ID access token for https://cognitiveservices.azure.com/.default.")
            {
                ProviderName = _name,
                IsTransient = false,
            };
        }

        // One header string per token, not per request.
        var bearer = Volatile.Read(ref _bearer);
        if (bearer is null || !string.Equals(bearer.Token, token, StringComparison.Ordinal))
        {
            bearer = new Bearer(token, "Bearer " + token);
            Volatile.Write(ref _bearer, bearer);
        }

        message.Headers.TryAddWithoutValidation("Authorization", bearer.Header);
    }

    private ProviderAuthenticationException TokenFailure(Exception ex) =>
        new($"The TokenProvider of {_name} failed to supply a Microsoft Entra ID token ({ex.GetType().Name}: {SecretRedactor.Redact(ex.Message, Secret)}). Check the credential and its access to the Azure OpenAI resource.", ex)
        {
            ProviderName = _name,
            IsTransient = false,
        };

    private Uri DeploymentUri(ConcurrentDictionary<string, Uri> cache, string deployment, string operation)
    {
        if (cache.TryGetValue(deployment, out var uri))
        {
            return uri;
        }

        uri = new Uri(_root + "/openai/deployments/" + Uri.EscapeDataString(deployment) + operation + _query, UriKind.Absolute);
        if (cache.Count < MaxCachedDeployments)
        {
            cache.TryAdd(deployment, uri);
        }

        return uri;
    }

    private sealed record Bearer(string Token, string Header);
}
