using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Tests.Caching;

/// <summary>Identical concurrent requests share one upstream call; failures and cancellations behave per waiter.</summary>
public class ResponseCacheCoalescingTests
{
    [Test]
    public async Task One_hundred_identical_concurrent_requests_make_one_upstream_call()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);

        // Each call reaches its wait before the next starts: all 100 are in flight while the provider holds the first.
        var calls = Enumerable.Range(0, 100).Select(_ => route.ChatAsync(new ChatRequest("same question"))).ToArray();
        bool allWaiting = calls.All(c => !c.IsCompleted);
        int upstreamWhileWaiting = provider.Calls;
        provider.Gate.SetResult();
        var results = await Task.WhenAll(calls);
        var records = await kit.Records();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allWaiting, Is.True);
            Assert.That(upstreamWhileWaiting, Is.EqualTo(1));
            Assert.That(provider.Calls, Is.EqualTo(1));
            Assert.That(results.Select(r => r.Text).Distinct(), Is.EqualTo(new[] { "answer 1 from openai" }));
            Assert.That(results.Count(r => !r.FromCache), Is.EqualTo(1), "the caller that made the call");
            Assert.That(results.Where(r => r.FromCache).Select(r => r.Cost).ToList(), Has.Count.EqualTo(99).And.All.EqualTo(0m));
            Assert.That(results.Select(r => r.Message).Distinct().Count(), Is.EqualTo(100), "each caller gets its own message");
            Assert.That(records.Sum(r => r.Cost), Is.EqualTo(0.002m));
            Assert.That(records.Count(r => r.FromCache), Is.EqualTo(99));
        }
    }

    [Test]
    public async Task A_failure_reaches_every_waiter_and_is_not_cached()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        provider.ThenFail(new ProviderUnavailableException("503") { ProviderName = "openai" });
        var route = kit.Route("default", provider);

        var calls = Enumerable.Range(0, 3).Select(_ => route.ChatAsync(new ChatRequest("q"))).ToArray();
        provider.Gate.SetResult();
        foreach (var call in calls)
        {
            Assert.ThrowsAsync<AllProvidersFailedException>(() => call);
        }

        var next = await route.ChatAsync(new ChatRequest("q"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(next.FromCache, Is.False);
            Assert.That(provider.Calls, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_cancelled_waiter_leaves_without_cancelling_the_others_call()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);
        using var first = new CancellationTokenSource();

        var leaving = route.ChatAsync(new ChatRequest("q"), first.Token);
        var staying = route.ChatAsync(new ChatRequest("q"));
        await first.CancelAsync();
        Assert.That(async () => await leaving, Throws.InstanceOf<OperationCanceledException>());
        provider.Gate.SetResult();
        var result = await staying;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("answer 1 from openai"));
            Assert.That(provider.CancelledCalls, Is.Zero);
            Assert.That(provider.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task When_every_waiter_leaves_the_upstream_call_is_cancelled_and_nothing_is_stored()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);
        using var a = new CancellationTokenSource();
        using var b = new CancellationTokenSource();

        var first = route.ChatAsync(new ChatRequest("q"), a.Token);
        var second = route.ChatAsync(new ChatRequest("q"), b.Token);
        await a.CancelAsync();
        await b.CancelAsync();
        Assert.That(async () => await first, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await second, Throws.InstanceOf<OperationCanceledException>());
        await provider.CancelledSignal.Task;
        provider.Gate = null;
        var next = await route.ChatAsync(new ChatRequest("q"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.CancelledCalls, Is.EqualTo(1));
            Assert.That(next.FromCache, Is.False);
            Assert.That(provider.Calls, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Without_coalescing_each_concurrent_request_calls_upstream()
    {
        var kit = new CacheTestKit(o =>
        {
            o.CacheAllRoutes = true;
            o.Coalesce = false;
        });
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);

        var calls = Enumerable.Range(0, 3).Select(_ => route.ChatAsync(new ChatRequest("q"))).ToArray();
        provider.Gate.SetResult();
        await Task.WhenAll(calls);

        Assert.That(provider.Calls, Is.EqualTo(3));
    }
}
