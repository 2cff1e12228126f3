using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;
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
    public static ChatClient CreateOfficialSdk(HttpClient httpClient)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri("https://api.openai.com/v1"),
            Transport = new HttpClientPipelineTransport(httpClient),
        };
        return new ChatClient(CannedPayloads.RequestedModel, new ApiKeyCredential(CannedPayloads.ApiKey), options);
    }

    /// <summary>Our provider, with default options; reached through <see cref="ILlmProvider"/>, as the router calls it.</summary>
    public static ILlmProvider CreateOurs(HttpClient httpClient)
        => new LlmProviders.OpenAI.OpenAIProvider(
            new LlmProviders.OpenAI.OpenAIProviderOptions { ApiKey = CannedPayloads.ApiKey },
            httpClient);

    /// <summary>The request our provider gets, built per call as a caller would.</summary>
    public static ChatRequest CreateOursRequest()
        => new(CannedPayloads.Prompt) { Model = CannedPayloads.RequestedModel, MaxOutputTokens = CannedPayloads.MaxOutputTokens };
}
