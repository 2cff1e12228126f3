using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>What goes on the wire: deployment URLs with api-version, the v1 path, api-key header or bearer token, request fields.</summary>
public sealed class AzureOpenAIProviderRequestTests : AzureOpenAIProviderTestBase
{
    private const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-token-payload.signature-Zk3";

    [Test]
    public async Task Chat_posts_to_the_deployment_url_with_the_default_api_version()
    {
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")));

        Assert.That(Handler.LastRequest.Method, Is.EqualTo(System.Net.Http.HttpMethod.Post));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"{AzureWire.Endpoint}/openai/deployments/{Deployment}/chat/completions?api-version=2024-10-21")));
        Assert.That(AzureOpenAIProviderOptions.DefaultApiVersion, Is.EqualTo("2024-10-21"));
    }

    [Test]
    public async Task Configured_api_version_goes_in_the_query()
    {
        var provider = CreateProvider(o => o.ApiVersion = "2025-04-01-preview");
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);
        Assert.That(Handler.LastRequest.Uri.Query, Is.EqualTo("?api-version=2025-04-01-preview"));
    }

    [Test]
    public async Task Request_without_a_model_uses_the_default_deployment()
    {
        var provider = CreateProvider(o => o.DefaultModel = "gpt4o-eu");
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), Ask(model: null), provider);
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/openai/deployments/gpt4o-eu/chat/completions"));
    }

    [Test]
    public async Task Deployment_name_is_escaped_in_the_path()
    {
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), Ask(model: "my deployment/1"));
        Assert.That(Handler.LastRequest.Uri.AbsoluteUri, Does.Contain("/openai/deployments/my%20deployment%2F1/chat/completions?api-version="));
    }

    [Test]
    public async Task Each_deployment_gets_its_own_url_and_repeated_calls_reuse_it()
    {
        var provider = CreateProvider();
        Handler.Response = CannedResponse.Json(AzureWire.Completion("Hi"));
        await provider.ChatAsync(Ask(model: "a"));
        await provider.ChatAsync(Ask(model: "b"));
        await provider.ChatAsync(Ask(model: "a"));

        var paths = Handler.Requests.Select(r => r.Uri.AbsolutePath).ToList();
        Assert.That(paths, Is.EqualTo(new[] { "/openai/deployments/a/chat/completions", "/openai/deployments/b/chat/completions", "/openai/deployments/a/chat/completions" }));
        var dialect = (LlmProviders.AzureOpenAI.Wire.AzureOpenAIDialect)provider.Client.Dialect;
        var first = dialect.GetChatUri("a");
        Assert.That(dialect.GetChatUri("a"), Is.SameAs(first));
    }

    [Test]
    public async Task V1_api_posts_to_openai_v1_with_the_deployment_as_model_and_no_api_version()
    {
        var provider = CreateProvider(o => o.UseV1Api = true);
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);

        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"{AzureWire.Endpoint}/openai/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo(Deployment));
        Assert.That(Handler.LastRequest.Header("api-key"), Is.EqualTo(Key));
    }

    [Test]
    public async Task Endpoint_ending_in_openai_v1_selects_the_v1_api()
    {
        var provider = CreateProvider(o => o.BaseUrl = new Uri(AzureWire.Endpoint + "/openai/v1/"));
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"{AzureWire.Endpoint}/openai/v1/chat/completions")));
    }

    [Test]
    public async Task Endpoint_pasted_with_openai_suffix_and_trailing_slash_is_normalized()
    {
        var provider = CreateProvider(o => o.BaseUrl = new Uri(AzureWire.Endpoint + "/openai/"));
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);
        Assert.That(Handler.LastRequest.Uri.AbsoluteUri, Does.StartWith($"{AzureWire.Endpoint}/openai/deployments/{Deployment}/chat/completions?"));
        Assert.That(provider.ToString(), Is.EqualTo($"azure-openai (azure-openai, {AzureWire.Endpoint}/)"));
    }

    [Test]
    public async Task Foundry_host_is_accepted_as_the_endpoint()
    {
        var provider = CreateProvider(o => o.BaseUrl = new Uri("https://contoso.services.ai.azure.com"));
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);
        Assert.That(Handler.LastRequest.Uri.AbsoluteUri, Does.StartWith("https://contoso.services.ai.azure.com/openai/deployments/chat-prod/chat/completions?api-version="));
    }

    [Test]
    public async Task Key_goes_in_the_api_key_header_not_authorization()
    {
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")));
        Assert.That(Handler.LastRequest.Header("api-key"), Is.EqualTo(Key));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.Null);
    }

    [Test]
    public async Task Token_provider_sends_a_bearer_token_fetched_per_request_with_the_callers_token()
    {
        var seen = new List<CancellationToken>();
        int calls = 0;
        var provider = CreateProvider(o =>
        {
            o.ApiKey = Key; // ignored when a token provider is set
            o.TokenProvider = ct =>
            {
                seen.Add(ct);
                calls++;
                return ValueTask.FromResult(Token + calls);
            };
        });
        using var cts = new CancellationTokenSource();
        Handler.Response = CannedResponse.Json(AzureWire.Completion("Hi"));

        await provider.ChatAsync(Ask(), cts.Token);
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Token + "1"));
        Assert.That(Handler.LastRequest.Header("api-key"), Is.Null);

        await provider.ChatAsync(Ask(), cts.Token);
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Token + "2"));
        Assert.That(calls, Is.EqualTo(2));
        Assert.That(seen, Is.All.EqualTo(cts.Token));
    }

    [Test]
    public async Task Asynchronous_token_provider_is_awaited_for_streams_embeddings_and_models()
    {
        var provider = CreateProvider(o => o.TokenProvider = async ct =>
        {
            await Task.Yield();
            return Token;
        });

        Handler.Response = CannedResponse.EventStream(AzureWire.Sse([AzureWire.PromptFilterChunk(), AzureWire.TextChunk("Hi"), AzureWire.FinishChunk("stop")]));
        await Collect(provider.StreamAsync(Ask()), []);
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Token));

        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-small", (0, [0.5f])));
        await provider.EmbedAsync(new EmbeddingRequest("x") { Model = "embed" });
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Token));

        Handler.Response = CannedResponse.Json(AzureWire.Models("gpt-4o"));
        await provider.ListModelsAsync();
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Token));
    }

    [Test]
    public async Task Bearer_token_echoed_by_the_server_never_appears_in_the_exception()
    {
        var provider = CreateProvider(o => o.TokenProvider = _ => ValueTask.FromResult(Token));
        var ex = await CatchChatAsync<ProviderAuthenticationException>(
            CannedResponse.Json(AzureWire.Error("401", $"Access denied: token {Token} is expired."), HttpStatusCode.Unauthorized), provider: provider);

        Assert.That(ex.Message, Does.Not.Contain("entra-token-payload"));
        Assert.That(ex.ToString(), Does.Not.Contain("entra-token-payload"));
        Assert.That(ex.ResponseBody ?? string.Empty, Does.Not.Contain("entra-token-payload"));
    }

    [Test]
    public async Task Failing_token_provider_is_an_authentication_error_and_sends_nothing()
    {
        var provider = CreateProvider(o => o.TokenProvider = _ => throw new InvalidOperationException("ManagedIdentityCredential authentication unavailable."));
        var ex = await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);

        Assert.That(ex.Message, Does.Contain("TokenProvider"));
        Assert.That(ex.Message, Does.Contain("ManagedIdentityCredential"));
        Assert.That(ex.InnerException, Is.TypeOf<InvalidOperationException>());
        Assert.That(ex.ProviderName, Is.EqualTo("azure-openai"));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Empty_token_is_an_authentication_error()
    {
        var provider = CreateProvider(o => o.TokenProvider = _ => ValueTask.FromResult(string.Empty));
        var ex = await CatchStreamAsync<ProviderAuthenticationException>(CannedResponse.Json(AzureWire.Completion("Hi")), provider: provider);
        Assert.That(ex.Message, Does.Contain("empty token"));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Token_provider_cancelled_by_the_caller_is_a_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var provider = CreateProvider(o => o.TokenProvider = async ct =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return Token;
        });
        Handler.Response = CannedResponse.Json(AzureWire.Completion("Hi"));
        var ex = await CatchAsync<OperationCanceledException>(() => provider.ChatAsync(Ask(), cts.Token));
        Assert.That(ex.CancellationToken, Is.EqualTo(cts.Token));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Max_output_tokens_go_out_as_max_completion_tokens()
    {
        var request = Ask();
        request.MaxOutputTokens = 300;
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), request);
        var json = Handler.LastRequest.Json();
        Assert.That(json.GetProperty("max_completion_tokens").GetInt32(), Is.EqualTo(300));
        Assert.That(json.TryGetProperty("max_tokens", out _), Is.False);
    }

    [Test]
    public async Task System_messages_keep_the_system_role_even_for_reasoning_deployments()
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi") }) { Model = "o3-mini" };
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), request);
        Assert.That(Handler.LastRequest.Json().GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("system"));
    }

    [Test]
    public async Task UseDeveloperRole_sends_the_developer_role()
    {
        var provider = CreateProvider(o => o.UseDeveloperRole = true);
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi") }) { Model = "o3-mini" };
        await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi")), request, provider);
        Assert.That(Handler.LastRequest.Json().GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("developer"));
    }

    [Test]
    public async Task Streams_ask_for_usage_unless_turned_off()
    {
        var sse = CannedResponse.EventStream(AzureWire.Sse([AzureWire.PromptFilterChunk(), AzureWire.TextChunk("Hi"), AzureWire.FinishChunk("stop")]));
        await StreamAsync(sse);
        Assert.That(Handler.LastRequest.Json().GetProperty("stream_options").GetProperty("include_usage").GetBoolean(), Is.True);

        await StreamAsync(sse, provider: CreateProvider(o => o.IncludeStreamUsage = false));
        Assert.That(Handler.LastRequest.Json().TryGetProperty("stream_options", out _), Is.False);
    }

    [Test]
    public async Task Model_list_uses_the_classic_path_with_api_version_or_the_v1_path()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Models("gpt-4o", "text-embedding-3-small"));
        var models = await CreateProvider().ListModelsAsync();
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "gpt-4o", "text-embedding-3-small" }));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"{AzureWire.Endpoint}/openai/models?api-version=2024-10-21")));
        Assert.That(Handler.LastRequest.Method, Is.EqualTo(System.Net.Http.HttpMethod.Get));

        Assert.That(models[0].CreatedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1715558400)), "Azure's created_at");

        await CreateProvider(o => o.UseV1Api = true).ListModelsAsync();
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri($"{AzureWire.Endpoint}/openai/v1/models")));
    }

    [Test]
    public async Task Health_check_lists_models_and_reports_a_wrong_key_as_unhealthy()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Error("401", "Access denied due to invalid subscription key or wrong API endpoint."), HttpStatusCode.Unauthorized);
        var health = await CreateProvider().CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
        Assert.That(health.Error, Is.TypeOf<ProviderAuthenticationException>());
        Assert.That(Handler.LastRequest.Method, Is.EqualTo(System.Net.Http.HttpMethod.Get));
    }

    [Test]
    public void Provider_reports_azure_kind_and_embeddings()
    {
        var provider = CreateProvider();
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.AzureOpenAI));
        Assert.That(provider.IsLocal, Is.False);
        Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.Embeddings), Is.True);
        Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.Tools), Is.True);
    }
}
