using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>Shared set-up of the Azure OpenAI provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class AzureOpenAIProviderTestBase
{
    protected const string Key = "3f9c2a7be41d4c8a9f0e6b5d2c1a8e7f";

    protected const string Deployment = "chat-prod";

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

    protected AzureOpenAIProvider CreateProvider(Action<AzureOpenAIProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "azure-openai", HttpMessageHandler? handler = null)
    {
        var options = new AzureOpenAIProviderOptions { ApiKey = Key, BaseUrl = new Uri(AzureWire.Endpoint) };
        configure?.Invoke(options);
        return new AzureOpenAIProvider(options, new HttpClient(handler ?? Handler), name, Time, null, new AzureOpenAIEnvironment(environment ?? (_ => null)));
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = Deployment) =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected async Task<ChatResult> ChatAsync(CannedResponse response, ChatRequest? request = null, AzureOpenAIProvider? provider = null)
    {
        Handler.Response = response;
        return await (provider ?? CreateProvider()).ChatAsync(request ?? Ask()).WaitAsync(HangTimeout);
    }

    protected async Task<List<ChatStreamUpdate>> StreamAsync(CannedResponse response, ChatRequest? request = null, AzureOpenAIProvider? provider = null)
    {
        Handler.Response = response;
        var updates = new List<ChatStreamUpdate>();
        await Collect((provider ?? CreateProvider()).StreamAsync(request ?? Ask()), updates).WaitAsync(HangTimeout);
        return updates;
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

    protected Task<TException> CatchChatAsync<TException>(CannedResponse response, ChatRequest? request = null, AzureOpenAIProvider? provider = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = provider ?? CreateProvider();
        return CatchAsync<TException>(() => p.ChatAsync(request ?? Ask()));
    }

    protected Task<TException> CatchStreamAsync<TException>(CannedResponse response, List<ChatStreamUpdate>? updates = null, ChatRequest? request = null, AzureOpenAIProvider? provider = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = provider ?? CreateProvider();
        return CatchAsync<TException>(() => Collect(p.StreamAsync(request ?? Ask()), updates ?? []));
    }

    protected static string ConcatText(IEnumerable<ChatStreamUpdate> updates)
    {
        var text = new System.Text.StringBuilder();
        foreach (var u in updates)
        {
            text.Append(u.Text);
        }

        return text.ToString();
    }
}
