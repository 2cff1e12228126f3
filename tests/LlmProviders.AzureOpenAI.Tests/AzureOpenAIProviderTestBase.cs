using System;
using System.Collections.Generic;
using System.Net.Http;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>Shared set-up of the Azure OpenAI provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class AzureOpenAIProviderTestBase : ProviderTestBase<AzureOpenAIProvider>
{
    protected const string Key = "3f9c2a7be41d4c8a9f0e6b5d2c1a8e7f";

    protected const string Deployment = "chat-prod";

    protected AzureOpenAIProvider CreateProvider(Action<AzureOpenAIProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "azure-openai", HttpMessageHandler? handler = null)
    {
        var options = new AzureOpenAIProviderOptions { ApiKey = Key, BaseUrl = new Uri(AzureWire.Endpoint) };
        configure?.Invoke(options);
        return new AzureOpenAIProvider(options, new HttpClient(handler ?? Handler), name, Time, null, new AzureOpenAIEnvironment(environment ?? (_ => null)), Unpriced);
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = Deployment) =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected override AzureOpenAIProvider CreateDefaultProvider() => CreateProvider();

    protected override ChatRequest CreateDefaultRequest() => Ask();
}
