using System;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;

namespace LlmProviders.OpenAI.Tests;

/// <summary>Reused timeout sources never leak a cancellation from one call into another (the pool itself is tested in Core).</summary>
public sealed class OpenAITimeoutReuseTests : OpenAIProviderTestBase
{
    [Test]
    public async Task Cancelling_the_token_of_a_finished_call_does_not_cancel_a_later_call()
    {
        // The system clock, so that the timeout source of the first call is really reused by the second.
        var provider = new OpenAIProvider(new OpenAIProviderOptions { ApiKey = Key, RequestTimeout = TimeSpan.FromHours(1) }, new System.Net.Http.HttpClient(Handler), "openai", TimeProvider.System, null, new OpenAIEnvironment(_ => null));
        using var first = new CancellationTokenSource();
        Handler.Response = CannedResponse.Json(OpenAIWire.Completion("one"));
        Assert.That((await provider.ChatAsync(Ask(), first.Token)).Text, Is.EqualTo("one"));

        var body = CannedResponse.Json(OpenAIWire.Completion("two"));
        Handler.Response = body;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = body.Body.Length / 2 };
        var call = provider.ChatAsync(Ask());
        await Handler.WaitForBodyPauseAsync();

        await first.CancelAsync();
        Assert.That(call.IsCompleted, Is.False, "the old caller's token may not end the new call");

        Handler.Release();
        Assert.That((await call.WaitAsync(TimeSpan.FromSeconds(10))).Text, Is.EqualTo("two"));
    }
}
