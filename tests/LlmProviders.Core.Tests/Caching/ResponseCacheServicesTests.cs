using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Caching;
using LlmProviders.Routing;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.Caching;

/// <summary>The DI surface: AddResponseCache, the IDistributedCache adapter, validation at start.</summary>
public class ResponseCacheServicesTests
{
    [Test]
    public async Task The_distributed_cache_adapter_round_trips_an_answer()
    {
        var distributed = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var kit = new CacheTestKit(o => o.CacheAllRoutes = true, new DistributedResponseCacheStore(distributed));
        var provider = new GatedProvider("openai");
        var route = kit.Route("default", provider);

        var first = await route.ChatAsync(new ChatRequest("hi") { Model = "m" });
        var hit = await route.ChatAsync(new ChatRequest("hi") { Model = "m" });
        string key = ResponseCacheKey.Compute(new ChatRequest("hi") { Model = "m" }, "default", false)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await distributed.GetAsync(DistributedResponseCacheStore.KeyPrefix + key), Is.Not.Null);
            Assert.That(hit.FromCache, Is.True);
            Assert.That(hit.Text, Is.EqualTo(first.Text));
            Assert.That(hit.ToolCalls.Single().Name, Is.EqualTo("lookup"));
            Assert.That(hit.Usage!.TotalTokenCount, Is.EqualTo(15));
            Assert.That(provider.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task The_distributed_cache_adapter_writes_removes_and_reads_bytes()
    {
        var distributed = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var store = new DistributedResponseCacheStore(distributed);

        await store.SetAsync("k", [1, 2, 3], TimeSpan.FromMinutes(1));
        var read = await store.GetAsync("k");
        await store.RemoveAsync("k");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(await store.GetAsync("k"), Is.Null);
        }
    }

    [Test]
    public async Task AddResponseCache_caches_the_routes_of_the_router()
    {
        var provider = new GatedProvider("openai");
        await using var services = new ServiceCollection()
            .AddLlmProviders(b => b
                .AddProvider("openai", "gated", (_, _) => provider)
                .AddRoute("faq", "openai")
                .AddResponseCache(o => o.Routes.Add("faq")))
            .BuildServiceProvider();
        var router = services.GetRequiredService<ILlmRouter>();

        await router.ChatAsync(new ChatRequest("hi") { RouteName = "faq" });
        var hit = await router.ChatAsync(new ChatRequest("hi") { RouteName = "faq" });

        Assert.That(hit.FromCache, Is.True);
        Assert.That(provider.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task UseDistributedResponseCache_keeps_entries_in_the_registered_distributed_cache()
    {
        var provider = new GatedProvider("openai");
        var collection = new ServiceCollection();
        collection.AddDistributedMemoryCache();
        await using var services = collection
            .AddLlmProviders(b => b
                .AddProvider("openai", "gated", (_, _) => provider)
                .AddResponseCache(o => o.Providers.Add("openai"))
                .UseDistributedResponseCache())
            .BuildServiceProvider();
        var router = services.GetRequiredService<ILlmRouter>();

        await router.ChatAsync(new ChatRequest("hi"));
        var hit = await router.ChatAsync(new ChatRequest("hi"));
        string key = ResponseCacheKey.Compute(new ChatRequest("hi"), "default", false)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(services.GetRequiredService<ILlmResponseCacheStore>(), Is.InstanceOf<DistributedResponseCacheStore>());
            Assert.That(hit.FromCache, Is.True);
            Assert.That(await services.GetRequiredService<IDistributedCache>().GetAsync(DistributedResponseCacheStore.KeyPrefix + key), Is.Not.Null);
        }
    }

    [Test]
    public void The_options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlmProviders:ResponseCache:Providers:0"] = "openai_primary",
            ["LlmProviders:ResponseCache:Providers:1"] = "anthropic_primary",
            ["LlmProviders:ResponseCache:Routes:0"] = "faq",
            ["LlmProviders:ResponseCache:TimeToLive"] = "00:10:00",
            ["LlmProviders:ResponseCache:MaxEntries"] = "500",
            ["LlmProviders:ResponseCache:MaxBytes"] = "1048576",
            ["LlmProviders:ResponseCache:CacheStreams"] = "false",
            ["LlmProviders:ResponseCache:Coalesce"] = "false",
        }).Build();
        using var services = new ServiceCollection()
            .AddLlmProviders(b => b.AddResponseCache(configuration.GetSection("LlmProviders:ResponseCache")))
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<ResponseCacheOptions>>().Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Providers, Is.EqualTo(new[] { "openai_primary", "anthropic_primary" }));
            Assert.That(options.Routes, Is.EqualTo(new[] { "faq" }));
            Assert.That((options.TimeToLive, options.MaxEntries, options.MaxBytes), Is.EqualTo((TimeSpan.FromMinutes(10), 500, 1_048_576L)));
            Assert.That((options.CacheStreams, options.Coalesce, options.CacheAllRoutes), Is.EqualTo((false, false, false)));
        }
    }

    [Test]
    public void Invalid_options_fail_at_start_naming_the_option()
    {
        using var services = new ServiceCollection()
            .AddLlmProviders(b => b.AddResponseCache(o =>
            {
                o.TimeToLive = TimeSpan.Zero;
                o.MaxEntries = 0;
                o.Providers.Add(" ");
            }))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<ResponseCacheOptions>>().Value);

        Assert.That(error!.Failures, Is.EquivalentTo(new[]
        {
            "LlmProviders:ResponseCache:TimeToLive is 00:00:00; it must be positive, e.g. 01:00:00 for one hour.",
            "LlmProviders:ResponseCache:MaxEntries is 0; it must be at least 1, e.g. 10000.",
            "LlmProviders:ResponseCache:Providers:0 is blank; give the provider's registration name, or remove the entry.",
        }));
    }
}
