using System;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;

namespace LlmProviders.OpenAI.Tests;

/// <summary>Reused timeout sources never leak a cancellation or a deadline from one call into another.</summary>
public sealed class TimeoutSourcePoolTests : OpenAIProviderTestBase
{
    [Test]
    public void Returned_source_on_the_system_clock_is_reused_uncancelled()
    {
        var pool = new TimeoutSourcePool(TimeProvider.System);
        var first = pool.Rent(TimeSpan.FromHours(1));
        pool.Return(first);

        var second = pool.Rent(TimeSpan.FromHours(1));
        Assert.That(second, Is.SameAs(first));
        Assert.That(second.IsCancellationRequested, Is.False);
        pool.Return(second);
    }

    [Test]
    public void Sources_on_another_clock_are_not_reused_but_keep_their_deadline()
    {
        var time = new ManualTimeProvider();
        var pool = new TimeoutSourcePool(time);
        var first = pool.Rent(TimeSpan.FromSeconds(10));
        pool.Return(first);

        var second = pool.Rent(TimeSpan.FromSeconds(10));
        Assert.That(second, Is.Not.SameAs(first));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(second.IsCancellationRequested, Is.False);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.That(second.IsCancellationRequested, Is.True);
    }

    [Test]
    public void Cancelled_source_is_not_reused()
    {
        var pool = new TimeoutSourcePool(new ManualTimeProvider());
        var first = pool.Rent(TimeSpan.FromSeconds(10));
        first.Cancel();
        pool.Return(first);
        Assert.That(pool.Rent(TimeSpan.FromSeconds(10)), Is.Not.SameAs(first));
    }

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
