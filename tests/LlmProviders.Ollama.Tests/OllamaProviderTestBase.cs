using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Tests;

/// <summary>Shared set-up of the Ollama provider tests: a manual clock, a scripted server, and providers that never read the machine's environment.</summary>
public abstract class OllamaProviderTestBase
{
    protected const string Model = "llama3.2";

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

    protected OllamaProvider CreateProvider(Action<OllamaProviderOptions>? configure = null, Func<string, string?>? environment = null, string name = "ollama", HttpMessageHandler? handler = null)
    {
        var options = new OllamaProviderOptions();
        configure?.Invoke(options);
        return new OllamaProvider(options, new HttpClient(handler ?? Handler), name, Time, null, new OllamaEnvironment(environment ?? (_ => null)));
    }

    protected static ChatRequest Ask(string text = "Say hello.", string? model = Model) =>
        new(new List<ChatMessage> { new(ChatRole.User, text) }) { Model = model };

    protected async Task<ChatResult> ChatAsync(CannedResponse response, ChatRequest? request = null, OllamaProvider? provider = null)
    {
        Handler.Response = response;
        return await (provider ?? CreateProvider()).ChatAsync(request ?? Ask()).WaitAsync(HangTimeout);
    }

    protected async Task<List<ChatStreamUpdate>> StreamAsync(CannedResponse response, ChatRequest? request = null, OllamaProvider? provider = null)
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

    protected Task<TException> CatchChatAsync<TException>(CannedResponse response, ChatRequest? request = null, OllamaProvider? provider = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = provider ?? CreateProvider();
        return CatchAsync<TException>(() => p.ChatAsync(request ?? Ask()));
    }

    protected Task<TException> CatchStreamAsync<TException>(CannedResponse response, List<ChatStreamUpdate>? updates = null, ChatRequest? request = null, OllamaProvider? provider = null)
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
}
