using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.Integration.IntegrationKit;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>R1 through the router: server delays are waited on the same target, long ones fail over at once, client errors are never retried.</summary>
public class RetryThroughChainTests
{
    [TestCase("retry-after-ms", "2000")]
    [TestCase("x-ms-retry-after-ms", "2000")]
    [TestCase("Retry-After", "2")]
    [TestCase("Retry-After", "http-date")]
    public async Task A_429_asking_to_wait_2_s_is_retried_on_the_same_target_exactly_2_s_later(string header, string value)
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, value == "http-date" ? (start + TimeSpan.FromSeconds(2)).ToString("R") : value);
        var retryAfter = RetryAfterParser.Parse(response.Headers, time);
        var primary = new ClockedProvider("primary", time).ThenFail(RateLimited("primary", retryAfter));
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);

        var call = chain.ChatAsync(new ChatRequest("hi"));
        await TimersPending(time);
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Settle();
        int callsAt1900Ms = primary.Calls;
        time.Advance(TimeSpan.FromSeconds(0.1));
        var result = await call;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)), "the header's form is read as 2 s");
            Assert.That(callsAt1900Ms, Is.EqualTo(1), "not retried before 2 s");
            Assert.That(primary.Calls, Is.EqualTo(2));
            Assert.That(primary.CallTimes[1] - start, Is.EqualTo(TimeSpan.FromSeconds(2)), "retried exactly when the server said");
            Assert.That(backup.Calls, Is.Zero, "no failover: the retry on the same target answered");
            Assert.That(result.ProviderName, Is.EqualTo("primary"));
            Assert.That(result.Text, Is.EqualTo("answer from primary"));
            Assert.That(result.Trace!.Attempts, Has.Count.EqualTo(1), "the retry happened inside the one attempt on the target");
            Assert.That(result.Trace.Attempts[0].Succeeded, Is.True);
            Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(resilience.Find("primary")!.RetryCount, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_429_asking_to_wait_longer_than_the_30_s_cap_fails_over_to_the_next_target_at_once()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        var primary = new ClockedProvider("primary", time).ThenFail(RateLimited("primary", TimeSpan.FromSeconds(45)));
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);

        var call = chain.ChatAsync(new ChatRequest("hi"));
        bool completedWithoutTheClock = call.IsCompleted;
        var result = await call;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completedWithoutTheClock, Is.True, "no wait at all");
            Assert.That(time.GetUtcNow(), Is.EqualTo(start));
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That((primary.Calls, backup.Calls), Is.EqualTo((1, 1)));
            Assert.That(result.Trace!.Attempts, Has.Count.EqualTo(2));
            Assert.That(result.Trace.Attempts[0].Error, Is.TypeOf<RateLimitedException>());
            Assert.That(TargetResilienceErrors.IsRetryDelayTooLong(result.Trace.Attempts[0].Error), Is.True);
            Assert.That(result.Trace.Attempts[1].Succeeded, Is.True);
        }
    }

    [Test]
    public async Task After_a_429_asking_for_45_s_the_next_calls_skip_the_target_as_rate_limited_then_queue_for_its_last_seconds()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        var primary = new ClockedProvider("primary", time).ThenFail(RateLimited("primary", TimeSpan.FromSeconds(45)));
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time); // MaxQueueWait: 10 s
        var chain = Chain(time, resilience, null, primary, backup);

        await chain.ChatAsync(new ChatRequest("hi"));
        time.Advance(TimeSpan.FromSeconds(30));
        var during = await chain.ChatAsync(new ChatRequest("hi"));
        time.Advance(TimeSpan.FromSeconds(10));
        var queued = chain.ChatAsync(new ChatRequest("hi"));
        await TimersPending(time);
        time.Advance(TimeSpan.FromSeconds(5));
        var after = await queued;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(during.ProviderName, Is.EqualTo("backup"));
            Assert.That(during.Trace!.Candidates[0].SkipReason, Is.EqualTo(CandidateSkipReason.RateLimited), "the server's wait holds for every call, not only the one that got it");
            Assert.That(during.Trace.Candidates[0].Detail, Is.Not.Null.And.Not.Empty);
            Assert.That(after.ProviderName, Is.EqualTo("primary"), "with 5 s left (within MaxQueueWait) the call waits for the primary");
            Assert.That(primary.CallTimes[^1] - start, Is.EqualTo(TimeSpan.FromSeconds(45)), "sent when the server's wait ended");
            Assert.That((primary.Calls, backup.Calls), Is.EqualTo((2, 2)));
        }
    }

    [Test]
    public void A_400_invalid_request_is_neither_retried_nor_failed_over()
    {
        var time = new ManualTimeProvider();
        var error = new InvalidChatRequestException("400 Bad Request") { ProviderName = "primary", StatusCode = HttpStatusCode.BadRequest };
        var primary = new ClockedProvider("primary", time).ThenFail(error);
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);

        Assert.That(async () => await chain.ChatAsync(new ChatRequest("hi")), Throws.Exception.SameAs(error));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(primary.Calls, Is.EqualTo(1));
            Assert.That(backup.Calls, Is.Zero);
            Assert.That(time.PendingTimers, Is.Zero, "no retry scheduled");
        }
    }

    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.NotFound)]
    public async Task Auth_and_not_found_errors_are_never_retried_on_the_same_target_but_fail_over(HttpStatusCode status)
    {
        var time = new ManualTimeProvider();
        // Marked transient on purpose: the status code alone must stop the retry.
        LlmProviderException error = status switch
        {
            HttpStatusCode.Unauthorized => new ProviderAuthenticationException("401") { ProviderName = "primary", StatusCode = status, IsTransient = true },
            HttpStatusCode.Forbidden => new ProviderPermissionException("403") { ProviderName = "primary", StatusCode = status, IsTransient = true },
            _ => new ModelNotFoundException("404") { ProviderName = "primary", StatusCode = status, IsTransient = true },
        };
        var primary = new ClockedProvider("primary", time).ThenFail(error);
        var backup = new ClockedProvider("backup", time);
        using var resilience = Registry(time);
        var chain = Chain(time, resilience, null, primary, backup);

        var result = await chain.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That((primary.Calls, backup.Calls), Is.EqualTo((1, 1)));
            Assert.That(result.Trace!.Attempts[0].Error, Is.SameAs(error));
            Assert.That(resilience.Find("primary")!.RetryCount, Is.Zero);
        }
    }
}
