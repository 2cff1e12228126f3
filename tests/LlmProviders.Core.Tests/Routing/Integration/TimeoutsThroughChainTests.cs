using System;
using System.Threading.Tasks;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.Integration.IntegrationKit;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>Per-target timeouts through the router: a target that does not answer in time is given up for the next one.</summary>
public class TimeoutsThroughChainTests
{
    [Test]
    public async Task An_attempt_past_its_timeout_fails_over_to_the_next_target_with_a_timeout_in_the_trace()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        var primary = new ClockedProvider("primary", time) { Hang = true };
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time, o =>
        {
            o.Retry.MaxRetries = 0;
            o.Timeouts.Attempt = TimeSpan.FromSeconds(5);
        });
        var chain = Chain(time, resilience, null, primary, backup);

        var call = chain.ChatAsync(new ChatRequest("hi"));
        await primary.Waiting.Task;
        await TimersPending(time);
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Settle();
        bool answeredBefore5s = call.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(0.1));
        var result = await call;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answeredBefore5s, Is.False);
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(backup.CallTimes[0] - start, Is.EqualTo(TimeSpan.FromSeconds(5)), "failed over when the attempt timed out");
            Assert.That(result.Trace!.Attempts[0].Error, Is.TypeOf<ProviderTimeoutException>());
            Assert.That(result.Trace.Attempts[0].Error!.Message, Does.Contain("attempt timeout"));
            Assert.That(result.Trace.Attempts[0].Duration, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(primary.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_stream_without_a_first_update_within_the_first_chunk_timeout_fails_over_before_the_caller_sees_anything()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time) { Hang = true };
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time, o =>
        {
            o.Retry.MaxRetries = 0;
            o.Timeouts.FirstChunk = TimeSpan.FromSeconds(3);
        });
        var chain = Chain(time, resilience, null, primary, backup);

        var reading = Collect(chain.StreamAsync(new ChatRequest("hi")));
        await primary.Waiting.Task;
        await TimersPending(time);
        time.Advance(TimeSpan.FromSeconds(3));
        var updates = await reading;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Concat(updates.ConvertAll(u => u.Text)), Is.EqualTo("Hello from backup"));
            Assert.That(updates[^1].Trace!.Attempts[0].Error, Is.TypeOf<ProviderTimeoutException>());
            Assert.That(updates[^1].Trace!.Attempts[0].Error!.Message, Does.Contain("first-chunk"));
            Assert.That((primary.Calls, backup.Calls), Is.EqualTo((1, 1)));
        }
    }
}
