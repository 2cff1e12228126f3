using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;

namespace LlmProviders.OpenAI.Wire;

/// <summary>
/// The differences of one OpenAI-compatible service from OpenAI's own Chat Completions wire: where to send (URLs), how to
/// authenticate, which request fields it accepts, how its errors and model lists look, and what it is (kind, local, default
/// capabilities and models). <see cref="OpenAIWireClient"/> asks the dialect wherever services differ, so a service's quirks
/// live in its own small subclass instead of <c>if (provider == …)</c> branches. Response parsing is lenient enough to read
/// every known service's superset (<c>choices: []</c> chunks, usage in any chunk, content-block arrays, <c>reasoning_content</c>,
/// absent tool-call indexes …) and has no hooks.
/// </summary>
/// <remarks>One instance per provider registration; it may hold that registration's settings (endpoint, headers). Thread-safe.</remarks>
internal class OpenAIDialect
{
    /// <summary>The capabilities of OpenAI's own endpoint.</summary>
    public const LlmCapabilities OpenAICapabilities = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools |
        LlmCapabilities.ParallelToolCalls | LlmCapabilities.Vision | LlmCapabilities.JsonMode | LlmCapabilities.JsonSchema |
        LlmCapabilities.Reasoning | LlmCapabilities.PromptCaching | LlmCapabilities.ModelListing | LlmCapabilities.Embeddings;

    private readonly Uri _chatUri;
    private readonly Uri _modelsUri;
    private readonly Uri _embeddingsUri;
    private readonly string? _apiKey;
    private readonly string? _authorizationHeader;
    private readonly string? _authorizationValue;
    private readonly KeyValuePair<string, string>[] _headers;

    /// <summary>
    /// Initializes a dialect whose endpoints live under <paramref name="baseUrl"/> (<c>{base}/chat/completions</c>,
    /// <c>{base}/models</c>, <c>{base}/embeddings</c>) and that authenticates with <c>{authorizationHeader}: {scheme}{apiKey}</c>.
    /// </summary>
    /// <param name="baseUrl">The base URL, with or without a trailing slash.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> for a server without authentication.</param>
    /// <param name="headers">Static headers sent with every request (organization, attribution …), or <see langword="null"/>.</param>
    /// <param name="authorizationHeader">The header that carries the key.</param>
    /// <param name="authorizationScheme">The prefix of the key in that header (<c>"Bearer "</c>; empty for a raw key).</param>
    public OpenAIDialect(Uri baseUrl, string? apiKey, IEnumerable<KeyValuePair<string, string>>? headers = null, string authorizationHeader = "Authorization", string authorizationScheme = "Bearer ")
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(authorizationHeader);
        ArgumentNullException.ThrowIfNull(authorizationScheme);
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        BaseUrl = new Uri(root, UriKind.Absolute);
        _chatUri = new Uri(root + "/chat/completions", UriKind.Absolute);
        _modelsUri = new Uri(root + "/models", UriKind.Absolute);
        _embeddingsUri = new Uri(root + "/embeddings", UriKind.Absolute);
        _apiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim();
        if (_apiKey is not null)
        {
            _authorizationHeader = authorizationHeader;
            _authorizationValue = authorizationScheme + _apiKey;
        }

        var list = new List<KeyValuePair<string, string>>();
        if (headers is not null)
        {
            foreach (var header in headers)
            {
                if (!string.IsNullOrWhiteSpace(header.Key) && !string.IsNullOrWhiteSpace(header.Value))
                {
                    list.Add(new(header.Key, header.Value.Trim()));
                }
            }
        }

        _headers = [.. list];
    }

    /// <summary>Gets the base URL (without a trailing slash), shown in <c>ToString()</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the provider kind (<see cref="LlmProviderKinds"/>).</summary>
    public virtual string Kind => LlmProviderKinds.OpenAI;

    /// <summary>Gets a value indicating whether the service runs locally (no per-token cost: results cost zero).</summary>
    public virtual bool IsLocal => false;

    /// <summary>Gets the capabilities reported when the options set none.</summary>
    public virtual LlmCapabilities DefaultCapabilities => OpenAICapabilities;

    /// <summary>Gets the chat model used when neither the request nor the options name one.</summary>
    public virtual string DefaultChatModel => OpenAIProviderOptions.FallbackModel;

    /// <summary>Gets the embedding model used when neither the request nor the options name one.</summary>
    public virtual string DefaultEmbeddingModel => "text-embedding-3-small";

    /// <summary>Gets the name of the max-output-tokens field: <c>max_completion_tokens</c> (OpenAI: reasoning models reject <c>max_tokens</c>) or <c>max_tokens</c>.</summary>
    public virtual string MaxTokensField => "max_completion_tokens";

    /// <summary>Gets the name of the seed field (<c>seed</c>; Mistral: <c>random_seed</c>).</summary>
    public virtual string SeedField => "seed";

    /// <summary>Gets a value indicating whether streamed requests may carry <c>stream_options</c> (strict servers answer 422).</summary>
    public virtual bool AcceptsStreamOptions => true;

    /// <summary>Gets a value indicating whether <c>reasoning_effort</c> is sent when the request sets one.</summary>
    public virtual bool AcceptsReasoningEffort => true;

    /// <summary>Gets a value indicating whether <c>top_k</c> is sent when the request sets one (OpenAI rejects it).</summary>
    public virtual bool AcceptsTopK => false;

    /// <summary>Gets a value indicating whether messages may carry the author's <c>name</c> (strict servers such as Mistral answer 422).</summary>
    public virtual bool AcceptsMessageName => true;

    /// <summary>Gets the name of the embeddings dimensions field (<c>dimensions</c>; Mistral: <c>output_dimension</c>).</summary>
    public virtual string DimensionsField => "dimensions";

    /// <summary>Gets the parser of this service's error bodies.</summary>
    public virtual ProviderErrorParser ErrorParser => OpenAIErrorParser.Instance;

    /// <summary>Gets the secret to redact from messages (the API key), or <see langword="null"/>.</summary>
    public virtual string? Secret => _apiKey;

    /// <summary>
    /// Returns the id sent for a tool call of the conversation (the assistant's call and the result answering it get the same
    /// one). A service with its own id format (Mistral: nine letters or digits) maps foreign ids, e.g. after a fail-over.
    /// </summary>
    /// <param name="id">The call id as the conversation holds it.</param>
    /// <returns>The id to send.</returns>
    public virtual string ToolCallId(string id) => id;

    /// <summary>Returns whether system messages go out with the <c>developer</c> role when the options do not say.</summary>
    /// <param name="model">The model of the call.</param>
    /// <returns><see langword="true"/> for OpenAI's reasoning families.</returns>
    public virtual bool UsesDeveloperRole(string model) => OpenAIWireClient.IsReasoningModel(model);

    /// <summary>Returns the chat completions URL for <paramref name="model"/>.</summary>
    /// <param name="model">The model (a deployment on Azure).</param>
    /// <returns>The URL.</returns>
    public virtual Uri GetChatUri(string model) => _chatUri;

    /// <summary>Returns the model-list URL.</summary>
    /// <returns>The URL.</returns>
    public virtual Uri GetModelsUri() => _modelsUri;

    /// <summary>Returns the embeddings URL for <paramref name="model"/>.</summary>
    /// <param name="model">The model (a deployment on Azure).</param>
    /// <returns>The URL.</returns>
    public virtual Uri GetEmbeddingsUri(string model) => _embeddingsUri;

    /// <summary>Adds authentication and the service's extra headers to a request about to be sent.</summary>
    /// <param name="message">The request.</param>
    /// <param name="cancellationToken">Cancels a token acquisition.</param>
    /// <returns>A task that completes when the headers are set (synchronously for static keys).</returns>
    public virtual ValueTask PrepareAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        AddStaticHeaders(message);
        return ValueTask.CompletedTask;
    }

    /// <summary>Adds the key header (when there is a key) and the static headers.</summary>
    /// <param name="message">The request.</param>
    protected void AddStaticHeaders(HttpRequestMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var target = message.Headers;
        if (_authorizationHeader is not null)
        {
            target.TryAddWithoutValidation(_authorizationHeader, _authorizationValue);
        }

        for (int i = 0; i < _headers.Length; i++)
        {
            target.TryAddWithoutValidation(_headers[i].Key, _headers[i].Value);
        }
    }

    /// <summary>Writes fields only this service takes (e.g. Mistral's <c>safe_prompt</c>); runs before the request's own escape-hatch fields.</summary>
    /// <param name="writer">The body writer, inside the root object.</param>
    /// <param name="request">The request.</param>
    /// <param name="extra">The request's escape-hatch fields (a field there replaces one written here).</param>
    public virtual void WriteExtraChatFields(Utf8JsonWriter writer, ChatRequest request, IDictionary<string, JsonElement>? extra)
    {
    }

    /// <summary>Reads a model list body.</summary>
    /// <param name="json">The body (BOM stripped).</param>
    /// <param name="hasError">Set when the body is an error envelope.</param>
    /// <returns>The models.</returns>
    public virtual List<LlmModelInfo> ParseModels(ReadOnlySpan<byte> json, out bool hasError) => OpenAIModelsParser.Parse(json, out hasError);
}
