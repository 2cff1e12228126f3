using System;
using System.Collections.Generic;
using System.Net.Http;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Tests;

/// <summary>Shared set-up of the Gemini provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class GeminiProviderTestBase : ProviderTestBase<GeminiProvider>
{
    protected const string Key = "AIzaSyTest-Hf83kDm29XqLz7PwN4";

    protected GeminiProvider CreateProvider(Action<GeminiProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "gemini")
    {
        var options = new GeminiProviderOptions { ApiKey = Key };
        configure?.Invoke(options);
        return new GeminiProvider(options, new HttpClient(Handler), name, Time, null, new GeminiEnvironment(environment ?? (_ => null)), Unpriced);
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = "gemini-2.5-flash") =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected override GeminiProvider CreateDefaultProvider() => CreateProvider();

    protected override ChatRequest CreateDefaultRequest() => Ask();
}
