using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Anthropic.Tests;

/// <summary>Shared set-up of the Anthropic provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class AnthropicProviderTestBase
{
    protected const string Key = "sk-ant-api03-Hf83kDm29XqLz7PwN4";

    private static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(10);

    protected ManualTimeProvider Time { get; private set; } = null!;

    protected ScriptedHttpHandler Handler { get; private set; } = null!;

    [SetUp]
    public void SetUpServer()
    {
        Time = new ManualTimeProvider();
        Handler = new ScriptedHttpHandler(Time);
    }

    [TearDown]
    public void TearDownServer()
    {
        Handler.Release();
        Handler.Dispose();
    }

    protected AnthropicProvider CreateProvider(Action<AnthropicProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "anthropic")
    {
        var options = new AnthropicProviderOptions { ApiKey = Key };
        configure?.Invoke(options);
        return new AnthropicProvider(options, new HttpClient(Handler), name, Time, null, new AnthropicEnvironment(environment ?? (_ => null)));
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = "claude-sonnet-4-5-20250929") =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected async Task<ChatResult> ChatAsync(CannedResponse response, ChatRequest? request = null, AnthropicProvider? provider = null)
    {
        Handler.Response = response;
        return await (provider ?? CreateProvider()).ChatAsync(request ?? Ask()).WaitAsync(HangTimeout);
    }

    protected async Task<List<ChatStreamUpdate>> StreamAsync(CannedResponse response, ChatRequest? request = null, AnthropicProvider? provider = null)
    {
        Handler.Response = response;
        var updates = new List<ChatStreamUpdate>();
        await Collect((provider ?? CreateProvider()).StreamAsync(request ?? Ask()), updates).WaitAsync(HangTimeout);
        return updates;
    }

    /// <summary>Sends <paramref name="request"/> and returns the JSON body the provider wrote.</summary>
    protected async Task<System.Text.Json.JsonElement> SentJsonAsync(ChatRequest request, AnthropicProvider? provider = null)
    {
        await ChatAsync(CannedResponse.Json(AnthropicWire.TextMessage("ok")), request, provider);
        return Handler.LastRequest.Json();
    }

    protected static async Task Collect(IAsyncEnumerable<ChatStreamUpdate> stream, List<ChatStreamUpdate> updates)
    {
        await foreach (var update in stream)
        {
            updates.Add(update);
        }
    }

    protected static async Task<TException> CatchAsync<TException>(Func<Task> action)
        where TException : Exception
    {
        try
        {
            await action().WaitAsync(HangTimeout);
        }
        catch (TException ex)
        {
            return ex;
        }
        catch (Exception ex)
        {
            Assert.Fail($"Expected {typeof(TException).Name} but got {ex}");
        }

        Assert.Fail($"Expected {typeof(TException).Name} but the call succeeded.");
        return null!;
    }

    protected Task<TException> CatchChatAsync<TException>(CannedResponse response, ChatRequest? request = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = CreateProvider();
        return CatchAsync<TException>(() => p.ChatAsync(request ?? Ask()));
    }

    protected Task<TException> CatchStreamAsync<TException>(CannedResponse response, List<ChatStreamUpdate>? updates = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = CreateProvider();
        return CatchAsync<TException>(() => Collect(p.StreamAsync(Ask()), updates ?? []));
    }
}
