using System;
using System.Collections.Generic;
using System.Net.Http;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests;

/// <summary>Shared set-up of the OpenAI provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class OpenAIProviderTestBase : ProviderTestBase<OpenAIProvider>
{
    protected const string Key = "sk-test-Hf83kDm29XqLz7PwN4";

    protected OpenAIProvider CreateProvider(Action<OpenAIProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "openai", HttpMessageHandler? handler = null)
    {
        var options = new OpenAIProviderOptions { ApiKey = Key };
        configure?.Invoke(options);
        return new OpenAIProvider(options, new HttpClient(handler ?? Handler), name, Time, null, new OpenAIEnvironment(environment ?? (_ => null)), Unpriced);
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = "gpt-4o-mini") =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected override OpenAIProvider CreateDefaultProvider() => CreateProvider();

    protected override ChatRequest CreateDefaultRequest() => Ask();
}
