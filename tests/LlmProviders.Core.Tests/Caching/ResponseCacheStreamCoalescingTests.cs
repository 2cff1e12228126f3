using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using static LlmProviders.Tests.Caching.CacheTestKit;

namespace LlmProviders.Tests.Caching;

/// <summary>Identical concurrent streams share one upstream stream: replay then live updates per reader, shared failures, cancellation by the last reader.</summary>
public class ResponseCacheStreamCoalescingTests
{
    private const string WholeText = "Hello 1";

    [Test]
    public async Task One_hundred_identical_concurrent_streams_share_one_upstream_stream()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);

        // Each reader asks for its first update before the next starts: all 100 are in flight while the provider holds the first.
        var readers = Enumerable.Range(0, 100).Select(_ => route.StreamAsync(new ChatRequest("same question")).GetAsyncEnumerator()).ToArray();
        var firsts = readers.Select(r => r.MoveNextAsync().AsTask()).ToArray();
        bool allWaiting = firsts.All(t => !t.IsCompleted);
        int upstreamWhileWaiting = provider.Calls;
        provider.Gate.SetResult();
        var streams = await Task.WhenAll(readers.Select((r, i) => ReadAll(r, firsts[i])));
        var finals = streams.Select(s => s.Single(u => u.IsFinal)).ToList();
        var records = await kit.Records();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allWaiting, Is.True);
            Assert.That(upstreamWhileWaiting, Is.EqualTo(1));
            Assert.That(provider.Calls, Is.EqualTo(1));
            Assert.That(streams.Select(Text).Distinct(), Is.EqualTo(new[] { WholeText }));
            Assert.That(streams.Select(s => s.Count).Distinct(), Is.EqualTo(new[] { 4 }), "every reader gets every update");
            Assert.That(finals.Count(f => !f.FromCache), Is.EqualTo(1), "the reader that started the stream");
            Assert.That(finals.Single(f => !f.FromCache).Cost, Is.EqualTo(0.002m));
            Assert.That(finals.Where(f => f.FromCache).Select(f => f.Cost).ToList(), Has.Count.EqualTo(99).And.All.EqualTo(0m));
            Assert.That(finals.Select(f => f.ToolCalls?.Single().Name), Is.All.EqualTo("lookup"));
            Assert.That(finals.Distinct().Count(), Is.EqualTo(100), "each reader gets its own updates");
            Assert.That(records.Sum(r => r.Cost), Is.EqualTo(0.002m), "the stream is charged once");
            Assert.That(records.Count(r => r.FromCache), Is.EqualTo(99));
        }
    }

    [Test]
    public async Task A_reader_joining_mid_stream_gets_the_whole_text()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { MidGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);

        var first = route.StreamAsync(new ChatRequest("q")).GetAsyncEnumerator();
        var firstUpdate = first.MoveNextAsync().AsTask();
        await provider.AtMidGate.Task;
        var joining = Collect(route.StreamAsync(new ChatRequest("q")));
        provider.MidGate.SetResult();
        var leader = await ReadAll(first, firstUpdate);
        var follower = await joining;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.Calls, Is.EqualTo(1));
            Assert.That(Text(follower), Is.EqualTo(WholeText));
            Assert.That(Text(leader), Is.EqualTo(WholeText));
            Assert.That(follower.Select(u => u.ReasoningText), Is.EqualTo(leader.Select(u => u.ReasoningText)));
            Assert.That(follower.Select(u => u.FromCache), Is.All.True);
            Assert.That(follower[^1].Cost, Is.Zero);
            Assert.That(leader.Select(u => u.FromCache), Is.All.False);
        }
    }

    [Test]
    public async Task A_slow_reader_holds_back_neither_the_others_nor_the_upstream_stream()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { MidGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);

        var slow = route.StreamAsync(new ChatRequest("q")).GetAsyncEnumerator();
        var slowFirst = slow.MoveNextAsync().AsTask();
        await provider.AtMidGate.Task;
        var fast = Collect(route.StreamAsync(new ChatRequest("q")));
        provider.MidGate.SetResult();
        var fastUpdates = await fast;
        var later = await Collect(route.StreamAsync(new ChatRequest("q")));
        var slowUpdates = await ReadAll(slow, slowFirst);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Text(fastUpdates), Is.EqualTo(WholeText), "the fast reader finished while the slow one read one update");
            Assert.That(later.Select(u => u.FromCache), Is.All.True, "the upstream stream ran to its end and was stored");
            Assert.That(Text(slowUpdates), Is.EqualTo(WholeText));
            Assert.That(provider.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task One_reader_cancelling_does_not_stop_the_others()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);
        using var first = new CancellationTokenSource();

        var leaving = Collect(route.StreamAsync(new ChatRequest("q"), first.Token));
        var staying = Collect(route.StreamAsync(new ChatRequest("q")));
        await first.CancelAsync();
        Assert.That(async () => await leaving, Throws.InstanceOf<OperationCanceledException>());
        provider.Gate.SetResult();
        var updates = await staying;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Text(updates), Is.EqualTo(WholeText));
            Assert.That(provider.CancelledCalls, Is.Zero);
            Assert.That(provider.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task When_every_reader_leaves_the_upstream_stream_is_cancelled_and_nothing_is_stored()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);
        using var a = new CancellationTokenSource();
        using var b = new CancellationTokenSource();

        var first = Collect(route.StreamAsync(new ChatRequest("q"), a.Token));
        var second = Collect(route.StreamAsync(new ChatRequest("q"), b.Token));
        await a.CancelAsync();
        await b.CancelAsync();
        Assert.That(async () => await first, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await second, Throws.InstanceOf<OperationCanceledException>());
        await provider.CancelledSignal.Task;
        provider.Gate = null;
        var next = await Collect(route.StreamAsync(new ChatRequest("q")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.CancelledCalls, Is.EqualTo(1));
            Assert.That(next.Select(u => u.FromCache), Is.All.False);
            Assert.That(provider.Calls, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_failure_reaches_every_reader_as_the_same_exception_and_is_not_cached()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        provider.ThenFail(new ProviderUnavailableException("503") { ProviderName = "openai" });
        var route = kit.Route("default", provider);

        var streams = Enumerable.Range(0, 3).Select(_ => Collect(route.StreamAsync(new ChatRequest("q")))).ToArray();
        provider.Gate.SetResult();
        var errors = new List<Exception>();
        foreach (var stream in streams)
        {
            errors.Add(Assert.ThrowsAsync<AllProvidersFailedException>(() => stream)!);
        }

        var next = await Collect(route.StreamAsync(new ChatRequest("q")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Distinct().Count(), Is.EqualTo(1), "one upstream failure, seen by every reader");
            Assert.That(provider.Calls, Is.EqualTo(2));
            Assert.That(next.Select(u => u.FromCache), Is.All.False);
            Assert.That(Text(next), Is.EqualTo("Hello 2"));
        }
    }

    [Test]
    public async Task A_failure_mid_stream_reaches_every_reader_after_the_updates_before_it()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai")
        {
            MidGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            MidStreamFailure = new ProviderUnavailableException("connection reset") { ProviderName = "openai" },
        };
        var route = kit.Route("default", provider);

        var first = route.StreamAsync(new ChatRequest("q")).GetAsyncEnumerator();
        var firstUpdate = first.MoveNextAsync().AsTask();
        await provider.AtMidGate.Task;
        var joinedUpdates = new List<ChatStreamUpdate>();
        var joined = ReadInto(route.StreamAsync(new ChatRequest("q")), joinedUpdates);
        provider.MidGate.SetResult();
        var firstError = Assert.ThrowsAsync(Is.InstanceOf<LlmProviderException>(), () => ReadAll(first, firstUpdate));
        var joinedError = Assert.ThrowsAsync(Is.InstanceOf<LlmProviderException>(), () => joined);
        provider.MidGate = null;
        provider.MidStreamFailure = null;
        var next = await Collect(route.StreamAsync(new ChatRequest("q")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(joinedError, Is.SameAs(firstError));
            Assert.That(Text(joinedUpdates), Is.EqualTo("Hel"), "the update produced before the failure");
            Assert.That(next.Select(u => u.FromCache), Is.All.False, "nothing was stored");
            Assert.That(provider.Calls, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_reader_that_stops_early_leaves_the_others_the_whole_stream()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true);
        var provider = new GatedProvider("openai") { MidGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);

        var first = route.StreamAsync(new ChatRequest("q")).GetAsyncEnumerator();
        Assert.That(await first.MoveNextAsync(), Is.True);
        var staying = Collect(route.StreamAsync(new ChatRequest("q")));
        await first.DisposeAsync();
        provider.MidGate.SetResult();
        var updates = await staying;
        var later = await Collect(route.StreamAsync(new ChatRequest("q")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Text(updates), Is.EqualTo(WholeText));
            Assert.That(provider.CancelledCalls, Is.Zero);
            Assert.That(later.Select(u => u.FromCache), Is.All.True, "the stream ran to its end for the reader that stayed, and was stored");
            Assert.That(provider.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Without_coalescing_each_concurrent_stream_calls_upstream()
    {
        var kit = new CacheTestKit(o =>
        {
            o.CacheAllRoutes = true;
            o.Coalesce = false;
        });
        var provider = new GatedProvider("openai") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);

        var streams = Enumerable.Range(0, 3).Select(_ => Collect(route.StreamAsync(new ChatRequest("q")))).ToArray();
        provider.Gate.SetResult();
        await Task.WhenAll(streams);

        Assert.That(provider.Calls, Is.EqualTo(3));
    }

    private static async Task ReadInto(IAsyncEnumerable<ChatStreamUpdate> stream, List<ChatStreamUpdate> updates)
    {
        await foreach (var update in stream)
        {
            updates.Add(update);
        }
    }

    private static string Text(List<ChatStreamUpdate> updates) => string.Concat(updates.Select(u => u.Text));

    private static async Task<List<ChatStreamUpdate>> ReadAll(IAsyncEnumerator<ChatStreamUpdate> reader, Task<bool> first)
    {
        var updates = new List<ChatStreamUpdate>();
        await using (reader)
        {
            bool more = await first;
            while (more)
            {
                updates.Add(reader.Current);
                more = await reader.MoveNextAsync();
            }
        }

        return updates;
    }
}
