using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Tests;

/// <summary>Shared set-up of the Gemini provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class GeminiProviderTestBase
{
    protected const string Key = "AIzaSyTest-Hf83kDm29XqLz7PwN4";

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

    protected GeminiProvider CreateProvider(Action<GeminiProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "gemini")
    {
        var options = new GeminiProviderOptions { ApiKey = Key };
        configure?.Invoke(options);
        return new GeminiProvider(options, new HttpClient(Handler), name, Time, null, new GeminiEnvironment(environment ?? (_ => null)));
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = "gemini-2.5-flash") =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected async Task<ChatResult> ChatAsync(CannedResponse response, ChatRequest? request = null, GeminiProvider? provider = null)
    {
        Handler.Response = response;
        return await (provider ?? CreateProvider()).ChatAsync(request ?? Ask()).WaitAsync(HangTimeout);
    }

    protected async Task<List<ChatStreamUpdate>> StreamAsync(CannedResponse response, ChatRequest? request = null, GeminiProvider? provider = null, ScriptedBodyOptions? bodyOptions = null)
    {
        Handler.Response = response;
        if (bodyOptions is not null)
        {
            Handler.BodyOptions = bodyOptions;
        }

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

    protected Task<TException> CatchChatAsync<TException>(CannedResponse response, ChatRequest? request = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = CreateProvider();
        return CatchAsync<TException>(() => p.ChatAsync(request ?? Ask()));
    }

    protected Task<TException> CatchStreamAsync<TException>(CannedResponse response, List<ChatStreamUpdate>? updates = null, ChatRequest? request = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = CreateProvider();
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
