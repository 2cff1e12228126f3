using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Tests;

/// <summary>Shared set-up of the Ollama provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class OllamaProviderTestBase : ProviderTestBase<OllamaProvider>
{
    protected const string Model = "llama3.2";

    protected OllamaProvider CreateProvider(Action<OllamaProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "ollama", HttpMessageHandler? handler = null)
    {
        var options = new OllamaProviderOptions();
        configure?.Invoke(options);
        return new OllamaProvider(options, new HttpClient(handler ?? Handler), name, Time, null, new OllamaEnvironment(environment ?? (_ => null)));
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = Model) =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    /// <summary>Sends one chat with <paramref name="request"/> and returns the body the provider posted.</summary>
    protected async Task<System.Text.Json.JsonElement> SentBody(ChatRequest request, OllamaProvider? provider = null, bool stream = false)
    {
        if (stream)
        {
            await StreamAsync(CannedResponse.Ndjson(OllamaWire.Line("Hi", model: Model), OllamaWire.DoneLine(model: Model)), request, provider);
        }
        else
        {
            await ChatAsync(CannedResponse.Json(OllamaWire.Chat("Hi", model: Model)), request, provider);
        }

        return Handler.LastRequest.Json();
    }

    protected override OllamaProvider CreateDefaultProvider() => CreateProvider();

    protected override ChatRequest CreateDefaultRequest() => Ask();
}
