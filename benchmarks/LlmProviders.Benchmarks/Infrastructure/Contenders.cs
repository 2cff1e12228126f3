using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;
using Anthropic;
using OpenAI;
using OpenAI.Chat;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>Builds the contenders over one handler, each with its own <see cref="HttpClient"/> and default settings.</summary>
internal static class Contenders
{
    /// <summary>The official OpenAI .NET SDK, out of the box except for the transport that reaches the in-memory handler.</summary>
    /// <remarks>
    /// Its retry policy stays the default: on a 200 it only passes the message through, as it does in production.
    /// </remarks>
    public static ChatClient CreateOpenAISdk(HttpClient httpClient)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri("https://api.openai.com/v1"),
            Transport = new HttpClientPipelineTransport(httpClient),
        };
        return new ChatClient(OpenAIPayloads.RequestedModel, new ApiKeyCredential(OpenAIPayloads.ApiKey), options);
    }

    /// <summary>Our OpenAI provider, with default options; reached through <see cref="ILlmProvider"/>, as the router calls it.</summary>
    public static ILlmProvider CreateOpenAIOurs(HttpClient httpClient)
        => new LlmProviders.OpenAI.OpenAIProvider(
            new LlmProviders.OpenAI.OpenAIProviderOptions { ApiKey = OpenAIPayloads.ApiKey },
            httpClient);

    /// <summary>
    /// The official Anthropic .NET SDK, out of the box (retries, timeout, response validation at their defaults)
    /// except for the <see cref="HttpClient"/> that reaches the in-memory handler. The base URL is the default one,
    /// spelled out.
    /// </summary>
    public static AnthropicClient CreateAnthropicSdk(HttpClient httpClient)
        => new()
        {
            HttpClient = httpClient,
            BaseUrl = "https://api.anthropic.com",
            ApiKey = AnthropicPayloads.ApiKey,
        };

    /// <summary>Our Anthropic provider, with default options; reached through <see cref="ILlmProvider"/>, as the router calls it.</summary>
    public static ILlmProvider CreateAnthropicOurs(HttpClient httpClient)
        => new LlmProviders.Anthropic.AnthropicProvider(
            new LlmProviders.Anthropic.AnthropicProviderOptions { ApiKey = AnthropicPayloads.ApiKey },
            httpClient);

    /// <summary>The request our provider gets, built per call as a caller would.</summary>
    public static ChatRequest CreateOursRequest(string model)
        => new(CannedText.Prompt) { Model = model, MaxOutputTokens = CannedText.MaxOutputTokens };
}
