using System;
using System.Collections.Generic;
using System.Net.Http;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;

namespace LlmProviders.Mistral.Tests;

/// <summary>Shared set-up of the Mistral provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class MistralProviderTestBase : ProviderTestBase<MistralProvider>
{
    protected const string Key = "mst-test-Hf83kDm29XqLz7PwN4Qa";

    protected MistralProvider CreateProvider(Action<MistralProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "mistral", HttpMessageHandler? handler = null)
    {
        var options = new MistralProviderOptions { ApiKey = Key };
        configure?.Invoke(options);
        return new MistralProvider(options, new HttpClient(handler ?? Handler), name, Time, null, new MistralEnvironment(environment ?? (_ => null)), Unpriced);
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = "mistral-small-latest") =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected override MistralProvider CreateDefaultProvider() => CreateProvider();

    protected override ChatRequest CreateDefaultRequest() => Ask();
}
