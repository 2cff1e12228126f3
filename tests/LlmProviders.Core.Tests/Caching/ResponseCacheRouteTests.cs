using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Caching;
using LlmProviders.Costs;
using Microsoft.Extensions.AI;
using static LlmProviders.Tests.Caching.CacheTestKit;

namespace LlmProviders.Tests.Caching;

/// <summary>The response cache at a route's entry: hits, modes, opt-in, failures and what the cost tracker sees.</summary>
public class ResponseCacheRouteTests
{
    private static CacheTestKit CachingAll() => new(o => o.CacheAllRoutes = true);

    [Test]
    public async Task Cache_hit_costs_zero_and_says_so_in_the_result_and_the_cost_record()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        var first = await route.ChatAsync(new ChatRequest("hi") { Tags = new Dictionary<string, string> { ["user"] = "ann" } });
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await route.ChatAsync(new ChatRequest("hi") { Tags = new Dictionary<string, string> { ["user"] = "bob" } });
        var records = await kit.Records();
        var report = await kit.Tracker.GetReportAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.Calls, Is.EqualTo(1));
            Assert.That((first.FromCache, first.Cost), Is.EqualTo((false, (decimal?)0.002m)));
            Assert.That((second.FromCache, second.Cost, second.IsCostKnown), Is.EqualTo((true, (decimal?)0m, true)));
            Assert.That(second.Text, Is.EqualTo(first.Text));
            Assert.That(second.ToolCalls.Single().Arguments!["city"]?.ToString(), Is.EqualTo("Paris"));
            Assert.That(second.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
            Assert.That((second.ProviderName, second.Model, second.ResponseId), Is.EqualTo(("openai", "gated-model", "resp-1")));
            Assert.That(second.Usage!.InputTokenCount, Is.EqualTo(10), "a hit reports the original answer's usage");
            Assert.That(second.Usage.CachedInputTokenCount, Is.EqualTo(4));
            Assert.That(second.Trace!.Attempts, Is.Empty, "no provider was tried");
            Assert.That(records.Select(r => (r.ProviderName, r.Cost, r.FromCache, r.Tags!["user"])),
                Is.EqualTo(new[] { ("openai", (decimal?)0.002m, false, "ann"), ("openai", (decimal?)0m, true, "bob") }));
            Assert.That(records[1].ProviderKind, Is.EqualTo("gated"));
            Assert.That(records[1].Route, Is.EqualTo("default"));
            Assert.That((report.Total.CachedCalls, report.Total.Cost), Is.EqualTo((1L, 0.002m)));
        }
    }

    [Test]
    public async Task Each_hit_is_its_own_copy()
    {
        var kit = CachingAll();
        var route = kit.Route("default", new GatedProvider("openai"));
        await route.ChatAsync(new ChatRequest("hi"));

        var hit = await route.ChatAsync(new ChatRequest("hi"));
        hit.Message.Contents.Clear();
        var again = await route.ChatAsync(new ChatRequest("hi"));

        Assert.That(again.Text, Is.EqualTo("answer 1 from openai"));
    }

    [Test]
    public async Task Tags_and_priority_do_not_change_the_key_but_the_prompt_does()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        await route.ChatAsync(new ChatRequest("hi") { Tags = new Dictionary<string, string> { ["feature"] = "a" } });
        var sameButTagged = await route.ChatAsync(new ChatRequest("hi") { Tags = new Dictionary<string, string> { ["feature"] = "b" }, Priority = RequestPriority.High });
        var other = await route.ChatAsync(new ChatRequest("hello"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sameButTagged.FromCache, Is.True);
            Assert.That(other.FromCache, Is.False);
            Assert.That(provider.Calls, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Entries_expire_after_the_time_to_live()
    {
        var kit = new CacheTestKit(o =>
        {
            o.CacheAllRoutes = true;
            o.TimeToLive = TimeSpan.FromMinutes(10);
        });
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);
        await route.ChatAsync(new ChatRequest("hi"));

        kit.Time.Advance(TimeSpan.FromMinutes(9));
        var fresh = await route.ChatAsync(new ChatRequest("hi"));
        kit.Time.Advance(TimeSpan.FromMinutes(2));
        var expired = await route.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fresh.FromCache, Is.True);
            Assert.That(expired.FromCache, Is.False);
            Assert.That(expired.Text, Is.EqualTo("answer 2 from openai"));
        }
    }

    [Test]
    public async Task Bypass_neither_reads_nor_writes_the_cache()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        var bypassed = await route.ChatAsync(new ChatRequest("hi") { CacheMode = ResponseCacheMode.Bypass });
        var afterBypass = await route.ChatAsync(new ChatRequest("hi"));
        var bypassedAgain = await route.ChatAsync(new ChatRequest("hi") { CacheMode = ResponseCacheMode.Bypass });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bypassed.FromCache, Is.False);
            Assert.That(afterBypass.FromCache, Is.False, "a bypassed answer was not stored");
            Assert.That(bypassedAgain.FromCache, Is.False, "a bypass does not read the stored answer");
            Assert.That(provider.Calls, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task Refresh_calls_the_provider_and_replaces_the_entry()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);
        await route.ChatAsync(new ChatRequest("hi"));

        var refreshed = await route.ChatAsync(new ChatRequest("hi") { CacheMode = ResponseCacheMode.Refresh });
        var hit = await route.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refreshed.FromCache, Is.False);
            Assert.That(refreshed.Text, Is.EqualTo("answer 2 from openai"));
            Assert.That(hit.FromCache, Is.True);
            Assert.That(hit.Text, Is.EqualTo("answer 2 from openai"));
        }
    }

    [Test]
    public async Task Without_opt_in_nothing_is_cached_unless_the_request_asks_for_it()
    {
        var kit = new CacheTestKit();
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        await route.ChatAsync(new ChatRequest("hi"));
        var notCached = await route.ChatAsync(new ChatRequest("hi"));
        await route.ChatAsync(new ChatRequest("hi") { CacheMode = ResponseCacheMode.Use });
        var used = await route.ChatAsync(new ChatRequest("hi") { CacheMode = ResponseCacheMode.Use });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notCached.FromCache, Is.False);
            Assert.That(used.FromCache, Is.True);
            Assert.That(provider.Calls, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task A_route_listed_in_Routes_caches_and_another_route_does_not()
    {
        var kit = new CacheTestKit(o => o.Routes.Add("faq"));
        var provider = new GatedProvider("openai");
        var faq = kit.Route("faq", provider);
        var chat = kit.Route("chat", provider);

        await faq.ChatAsync(new ChatRequest("hi"));
        var faqHit = await faq.ChatAsync(new ChatRequest("hi"));
        await chat.ChatAsync(new ChatRequest("hi"));
        var chatAgain = await chat.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(faqHit.FromCache, Is.True);
            Assert.That(chatAgain.FromCache, Is.False);
        }
    }

    [Test]
    public async Task A_provider_listed_in_Providers_caches_the_routes_it_leads_and_the_requests_pinned_to_it()
    {
        var kit = new CacheTestKit(o => o.Providers.Add("openai"));
        var openai = new GatedProvider("openai");
        var ollama = new GatedProvider("ollama");
        var openaiFirst = kit.Route("cloud", openai, ollama);
        var ollamaFirst = kit.Route("local", ollama, openai);

        await openaiFirst.ChatAsync(new ChatRequest("hi"));
        var ledByOpenAi = await openaiFirst.ChatAsync(new ChatRequest("hi"));
        await ollamaFirst.ChatAsync(new ChatRequest("hi"));
        var ledByOllama = await ollamaFirst.ChatAsync(new ChatRequest("hi"));
        await ollamaFirst.ChatAsync(new ChatRequest("hi") { PinnedProvider = "openai" });
        var pinnedToOpenAi = await ollamaFirst.ChatAsync(new ChatRequest("hi") { PinnedProvider = "openai" });
        await openaiFirst.ChatAsync(new ChatRequest("hi") { PinnedProvider = "ollama" });
        var pinnedToOllama = await openaiFirst.ChatAsync(new ChatRequest("hi") { PinnedProvider = "ollama" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledByOpenAi.FromCache, Is.True);
            Assert.That(ledByOllama.FromCache, Is.False);
            Assert.That(pinnedToOpenAi.FromCache, Is.True);
            Assert.That(pinnedToOllama.FromCache, Is.False);
        }
    }

    [Test]
    public async Task Failed_calls_are_not_cached()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai").ThenFail(new ProviderUnavailableException("503") { ProviderName = "openai" });
        var route = kit.Route("default", provider);

        Assert.ThrowsAsync<AllProvidersFailedException>(() => route.ChatAsync(new ChatRequest("hi")));
        var retried = await route.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retried.FromCache, Is.False);
            Assert.That(provider.Calls, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_stream_is_recorded_and_replayed_identically_as_a_stream_at_zero_cost()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        var live = await Collect(route.StreamAsync(new ChatRequest("hi")));
        var replay = await Collect(route.StreamAsync(new ChatRequest("hi")));
        var records = await kit.Records();

        static object Shape(ChatStreamUpdate u) => (u.Text, u.ReasoningText, u.IsFinal, u.FinishReason, u.ProviderName, u.Model, u.Usage?.OutputTokenCount,
            u.ToolCalls is null ? null : string.Join(",", u.ToolCalls.Select(c => c.Name + ":" + c.Arguments!["city"])));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.Calls, Is.EqualTo(1));
            Assert.That(replay.Select(Shape), Is.EqualTo(live.Select(Shape)));
            Assert.That(live.Select(u => u.FromCache), Is.All.False);
            Assert.That(replay.Select(u => u.FromCache), Is.All.True);
            Assert.That(replay[^1].Cost, Is.EqualTo(0m));
            Assert.That(live[^1].Cost, Is.EqualTo(0.002m));
            Assert.That(records.Select(r => (r.Cost, r.FromCache)), Is.EqualTo(new[] { ((decimal?)0.002m, false), ((decimal?)0m, true) }));
        }
    }

    [Test]
    public async Task Streams_and_results_are_cached_apart()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        await Collect(route.StreamAsync(new ChatRequest("hi")));
        var result = await route.ChatAsync(new ChatRequest("hi"));

        Assert.That(result.FromCache, Is.False);
    }

    [Test]
    public async Task A_stream_the_caller_abandons_before_its_end_is_cancelled_and_not_stored()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai") { MidGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var route = kit.Route("default", provider);

        await foreach (var update in route.StreamAsync(new ChatRequest("hi")))
        {
            break;
        }

        await provider.CancelledSignal.Task;
        provider.MidGate = null;
        var next = await Collect(route.StreamAsync(new ChatRequest("hi")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.CancelledCalls, Is.EqualTo(1), "its only reader left: the upstream stream is cancelled");
            Assert.That(next.Select(u => u.FromCache), Is.All.False);
            Assert.That(provider.Calls, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_stream_that_fails_is_not_stored()
    {
        var kit = CachingAll();
        var provider = new GatedProvider("openai").ThenFail(new ProviderUnavailableException("503") { ProviderName = "openai" });
        var route = kit.Route("default", provider);

        Assert.ThrowsAsync<AllProvidersFailedException>(() => Collect(route.StreamAsync(new ChatRequest("hi"))));
        var next = await Collect(route.StreamAsync(new ChatRequest("hi")));

        Assert.That(next.Select(u => u.FromCache), Is.All.False);
    }

    [Test]
    public async Task Streams_are_not_cached_when_CacheStreams_is_off()
    {
        var kit = new CacheTestKit(o =>
        {
            o.CacheAllRoutes = true;
            o.CacheStreams = false;
        });
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        await Collect(route.StreamAsync(new ChatRequest("hi")));
        var next = await Collect(route.StreamAsync(new ChatRequest("hi")));

        Assert.That(next.Select(u => u.FromCache), Is.All.False);
    }

    [Test]
    public async Task A_store_that_fails_does_not_fail_the_call()
    {
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true, new FailingStore());
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        var first = await route.ChatAsync(new ChatRequest("hi"));
        var second = await route.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.FromCache, second.FromCache), Is.EqualTo((false, false)));
            Assert.That(second.Text, Is.EqualTo("answer 2 from openai"));
        }
    }

    private sealed class FailingStore : ILlmResponseCacheStore
    {
        public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => throw new InvalidOperationException("store down");

        public ValueTask SetAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken = default) => throw new InvalidOperationException("store down");

        public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => throw new InvalidOperationException("store down");
    }
}
