using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Anthropic.Tests;

/// <summary>Shared set-up of the Anthropic provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class AnthropicProviderTestBase : ProviderTestBase<AnthropicProvider>
{
    protected const string Key = "sk-ant-api03-Hf83kDm29XqLz7PwN4";

    protected AnthropicProvider CreateProvider(Action<AnthropicProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "anthropic")
    {
        var options = new AnthropicProviderOptions { ApiKey = Key };
        configure?.Invoke(options);
        return new AnthropicProvider(options, new HttpClient(Handler), name, Time, null, new AnthropicEnvironment(environment ?? (_ => null)), Unpriced);
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = "claude-sonnet-4-5-20250929") =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    /// <summary>Sends <paramref name="request"/> and returns the JSON body the provider wrote.</summary>
    protected async Task<System.Text.Json.JsonElement> SentJsonAsync(ChatRequest request, AnthropicProvider? provider = null)
    {
        await ChatAsync(CannedResponse.Json(AnthropicWire.TextMessage("ok")), request, provider);
        return Handler.LastRequest.Json();
    }

    protected override AnthropicProvider CreateDefaultProvider() => CreateProvider();

    protected override ChatRequest CreateDefaultRequest() => Ask();
}
