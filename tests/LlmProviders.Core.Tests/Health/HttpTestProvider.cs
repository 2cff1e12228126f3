using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;

namespace LlmProviders.Tests.Health;

/// <summary>
/// A minimal OpenAI-shaped HTTP provider (health check and model list on <c>GET /v1/models</c>, bearer key) over the library's
/// HTTP layer, so the diagnostics see the real typed errors for 401, refused connections and timeouts.
/// </summary>
internal sealed class HttpTestProvider(string name, HttpClient http, string apiKey, TimeProvider time) : ILlmProvider
{
    public const string ModelsUrl = "https://api.example.test/v1/models";

    private static readonly ProviderErrorParser Parser = static (body, _) =>
    {
        using var doc = JsonDocument.Parse(body.ToArray());
        return new ProviderError { Message = doc.RootElement.GetProperty("error").GetProperty("message").GetString() };
    };

    public string Name { get; } = name;

    public string Kind => "http-test";

    public LlmCapabilities Capabilities => LlmCapabilities.Chat | LlmCapabilities.ModelListing;

    public bool IsLocal => false;

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        ProviderResponses.CheckHealthAsync(Name, time, async ct =>
        {
            var models = await ListModelsAsync(ct);
            return $"{models.Count} models available";
        }, cancellationToken);

    public async Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ModelsUrl);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await LlmHttp.SendAsync(http, request, new ProviderErrorContext { ProviderName = Name, Secret = apiKey }, Parser, time, cancellationToken);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var list = new List<LlmModelInfo>();
        foreach (var model in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            list.Add(new LlmModelInfo(model.GetProperty("id").GetString()!));
        }

        return list;
    }

    public Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

/// <summary>A handler that never answers: it waits until the request is cancelled.</summary>
internal sealed class SilentHandler : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken)))
        {
            return await never.Task;
        }
    }
}
