using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Mistral.Tests;

/// <summary>Shared set-up of the Mistral provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class MistralProviderTestBase
{
    protected const string Key = "mst-test-Hf83kDm29XqLz7PwN4Qa";

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

    protected MistralProvider CreateProvider(Action<MistralProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "mistral", HttpMessageHandler? handler = null)
    {
        var options = new MistralProviderOptions { ApiKey = Key };
        configure?.Invoke(options);
        return new MistralProvider(options, new HttpClient(handler ?? Handler), name, Time, null, new MistralEnvironment(environment ?? (_ => null)));
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = "mistral-small-latest") =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected async Task<ChatResult> ChatAsync(CannedResponse response, ChatRequest? request = null, MistralProvider? provider = null)
    {
        Handler.Response = response;
        return await (provider ?? CreateProvider()).ChatAsync(request ?? Ask()).WaitAsync(HangTimeout);
    }

    protected async Task<List<ChatStreamUpdate>> StreamAsync(CannedResponse response, ChatRequest? request = null, MistralProvider? provider = null)
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

    protected Task<TException> CatchChatAsync<TException>(CannedResponse response, ChatRequest? request = null, MistralProvider? provider = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = provider ?? CreateProvider();
        return CatchAsync<TException>(() => p.ChatAsync(request ?? Ask()));
    }

    protected Task<TException> CatchStreamAsync<TException>(CannedResponse response, List<ChatStreamUpdate>? updates = null, ChatRequest? request = null, MistralProvider? provider = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = provider ?? CreateProvider();
        return CatchAsync<TException>(() => Collect(p.StreamAsync(request ?? Ask()), updates ?? []));
    }

    protected static string ConcatText(IEnumerable<ChatStreamUpdate> updates)
    {
        var text = new StringBuilder();
        foreach (var u in updates)
        {
            text.Append(u.Text);
        }

        return text.ToString();
    }

    protected static string ConcatReasoning(IEnumerable<ChatStreamUpdate> updates)
    {
        var text = new StringBuilder();
        foreach (var u in updates)
        {
            text.Append(u.ReasoningText);
        }

        return text.ToString();
    }
}
