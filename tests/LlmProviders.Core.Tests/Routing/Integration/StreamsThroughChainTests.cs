using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.Integration.IntegrationKit;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>Streams through the router: resilience until the first update, the idle-gap timeout after it.</summary>
public class StreamsThroughChainTests
{
    [Test]
    public async Task A_stream_that_fails_before_its_first_update_is_retried_on_the_same_target_after_the_server_delay()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        var primary = new ClockedProvider("primary", time).ThenFail(RateLimited("primary", TimeSpan.FromSeconds(2)));
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);

        var reading = Collect(chain.StreamAsync(new ChatRequest("hi")));
        await TimersPending(time);
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Settle();
        int callsAt1900Ms = primary.Calls;
        time.Advance(TimeSpan.FromSeconds(0.1));
        var updates = await reading;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(callsAt1900Ms, Is.EqualTo(1));
            Assert.That(primary.CallTimes[1] - start, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("Hello from primary"));
            Assert.That(updates[^1].IsFinal, Is.True);
            Assert.That(backup.Calls, Is.Zero);
            Assert.That(updates[^1].Trace!.Attempts, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task A_stream_that_keeps_failing_before_its_first_update_fails_over_after_the_retries()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time).ThenFail(RateLimited("primary", TimeSpan.FromSeconds(1)), times: 3);
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time); // 2 retries: 3 attempts on the primary
        var chain = Chain(time, resilience, null, primary, backup);

        var reading = Collect(chain.StreamAsync(new ChatRequest("hi")));
        for (int retry = 0; retry < 2; retry++)
        {
            await TimersPending(time);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var updates = await reading;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("Hello from backup"), "the caller sees only the backup's answer");
            Assert.That((primary.Calls, backup.Calls), Is.EqualTo((3, 1)));
            var trace = updates[^1].Trace!;
            Assert.That(trace.Attempts.Select(a => a.ProviderName), Is.EqualTo(new[] { "primary", "backup" }));
            Assert.That(trace.Attempts[0].Error, Is.TypeOf<RateLimitedException>());
            Assert.That(resilience.Find("primary")!.RetryCount, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task An_idle_gap_longer_than_the_limit_ends_the_stream_with_a_typed_interruption_holding_the_timeout()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time) { StallAfterFirstUpdate = true };
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time, o => o.Timeouts.IdleGap = TimeSpan.FromSeconds(5));
        var chain = Chain(time, resilience, null, primary, backup);

        await using var stream = chain.StreamAsync(new ChatRequest("hi")).GetAsyncEnumerator();
        Assert.That(await stream.MoveNextAsync(), Is.True);
        var next = stream.MoveNextAsync().AsTask();
        await primary.Waiting.Task;
        await TimersPending(time);
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Settle();
        bool endedBefore5s = next.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(0.1));

        var error = Assert.ThrowsAsync<StreamInterruptedException>(async () => await next);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(endedBefore5s, Is.False, "a gap shorter than the limit is fine");
            Assert.That(error!.InnerException, Is.TypeOf<ProviderTimeoutException>());
            Assert.That(error.InnerException!.Message, Does.Contain("idle-gap"));
            Assert.That(error.PartialText, Is.EqualTo("Hello"));
            Assert.That(error.UpdatesDelivered, Is.EqualTo(1));
            Assert.That(error.ProviderName, Is.EqualTo("primary"));
            Assert.That(backup.Calls, Is.Zero, "Fail policy: no silent switch after updates reached the caller");
            Assert.That(resilience.Find("primary")!.TimeoutCount, Is.EqualTo(1));
        }
    }
}
