using System;
using System.Threading.Tasks;
using LlmProviders.Caching;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Caching;

/// <summary>The default store: bounded by entries and bytes, least recently used out first, entries expire.</summary>
public class InMemoryResponseCacheStoreTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task At_the_entries_bound_the_least_recently_used_entry_is_evicted()
    {
        var store = new InMemoryResponseCacheStore(maxEntries: 2, maxBytes: 1_000_000, _time);
        await store.SetAsync("a", [1], TimeSpan.FromHours(1));
        await store.SetAsync("b", [2], TimeSpan.FromHours(1));
        await store.GetAsync("a");

        await store.SetAsync("c", [3], TimeSpan.FromHours(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(store.Count, Is.EqualTo(2));
            Assert.That(await store.GetAsync("a"), Is.EqualTo(new byte[] { 1 }), "read recently, kept");
            Assert.That(await store.GetAsync("b"), Is.Null, "least recently used, evicted");
            Assert.That(await store.GetAsync("c"), Is.EqualTo(new byte[] { 3 }));
        }
    }

    [Test]
    public async Task At_the_bytes_bound_the_oldest_entries_are_evicted_until_it_fits()
    {
        long entry = InMemoryResponseCacheStore.SizeOf("a", new byte[100]);
        var store = new InMemoryResponseCacheStore(maxEntries: 100, maxBytes: (entry * 3) + 10, _time);
        await store.SetAsync("a", new byte[100], TimeSpan.FromHours(1));
        await store.SetAsync("b", new byte[100], TimeSpan.FromHours(1));
        await store.SetAsync("c", new byte[100], TimeSpan.FromHours(1));

        await store.SetAsync("d", new byte[150], TimeSpan.FromHours(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await store.GetAsync("a"), Is.Null);
            Assert.That(await store.GetAsync("b"), Is.Null);
            Assert.That(await store.GetAsync("c"), Is.Not.Null);
            Assert.That(await store.GetAsync("d"), Is.Not.Null);
            Assert.That(store.Bytes, Is.LessThanOrEqualTo((entry * 3) + 10));
        }
    }

    [Test]
    public async Task An_entry_larger_than_the_bytes_bound_is_not_stored()
    {
        var store = new InMemoryResponseCacheStore(maxEntries: 10, maxBytes: 500, _time);
        await store.SetAsync("small", new byte[10], TimeSpan.FromHours(1));

        await store.SetAsync("huge", new byte[1000], TimeSpan.FromHours(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await store.GetAsync("huge"), Is.Null);
            Assert.That(await store.GetAsync("small"), Is.Not.Null, "nothing was evicted for it");
        }
    }

    [Test]
    public async Task An_entry_expires_after_its_time_to_live_and_frees_its_bytes()
    {
        var store = new InMemoryResponseCacheStore(maxEntries: 10, maxBytes: 10_000, _time);
        await store.SetAsync("a", new byte[10], TimeSpan.FromMinutes(5));

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        var before = await store.GetAsync("a");
        _time.Advance(TimeSpan.FromTicks(1));
        var after = await store.GetAsync("a");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.Not.Null);
            Assert.That(after, Is.Null);
            Assert.That((store.Count, store.Bytes), Is.EqualTo((0, 0L)));
        }
    }

    [Test]
    public async Task Replacing_and_removing_keep_the_byte_count_exact()
    {
        var store = new InMemoryResponseCacheStore(maxEntries: 10, maxBytes: 10_000, _time);
        await store.SetAsync("a", new byte[10], TimeSpan.FromMinutes(5));
        await store.SetAsync("a", new byte[20], TimeSpan.FromMinutes(5));
        long afterReplace = store.Bytes;
        await store.RemoveAsync("a");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterReplace, Is.EqualTo(InMemoryResponseCacheStore.SizeOf("a", new byte[20])));
            Assert.That(store.Bytes, Is.Zero);
            Assert.That(await store.GetAsync("a"), Is.Null);
        }
    }

    [Test]
    public async Task Through_a_route_the_entries_bound_evicts_answers()
    {
        var kit = new CacheTestKit(o =>
        {
            o.CacheAllRoutes = true;
            o.MaxEntries = 2;
        });
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);
        await route.ChatAsync(new ChatRequest("one"));
        await route.ChatAsync(new ChatRequest("two"));
        await route.ChatAsync(new ChatRequest("three"));

        var one = await route.ChatAsync(new ChatRequest("one"));
        var three = await route.ChatAsync(new ChatRequest("three"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(one.FromCache, Is.False, "evicted");
            Assert.That(three.FromCache, Is.True);
        }
    }
}
