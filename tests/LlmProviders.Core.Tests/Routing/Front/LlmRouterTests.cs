using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Tests.Routing.Management;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Tests.Routing.Front;

/// <summary>The unkeyed router (SPEC RT2, RT8): requests go to the route they name, or to the default route.</summary>
public sealed class LlmRouterTests
{
    private static ServiceProvider ThreeRoutes() => FrontTestKit.Build(b => b
        .AddAnswering("openai")
        .AddAnswering("anthropic")
        .AddAnswering("ollama", isLocal: true)
        .AddRoute("default", "openai/gpt-5", "anthropic")
        .AddRoute("code_generation", "anthropic/claude-sonnet-4-5", "openai")
        .AddRoute("local_development", "ollama/llama3.1", "openai"));

    [Test]
    public async Task Chat_goes_to_the_route_the_request_names()
    {
        using var services = ThreeRoutes();
        var router = services.GetRequiredService<ILlmRouter>();

        var code = await router.ChatAsync(new ChatRequest("hi") { RouteName = "code_generation" });
        var local = await router.ChatAsync(new ChatRequest("hi") { RouteName = "local_development" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That((code.Text, code.Model, code.Trace!.RouteName), Is.EqualTo(("from anthropic", "claude-sonnet-4-5", "code_generation")));
            Assert.That((local.Text, local.Model, local.Trace!.RouteName), Is.EqualTo(("from ollama", "llama3.1", "local_development")));
        }
    }

    [Test]
    public async Task A_request_without_a_route_name_goes_to_the_chain_named_default()
    {
        using var services = ThreeRoutes();
        var router = services.GetRequiredService<ILlmRouter>();

        var result = await router.ChatAsync(new ChatRequest("hi"));
        var named = await router.ChatAsync(new ChatRequest("hi") { RouteName = "default" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Text, result.Model, result.Trace!.RouteName), Is.EqualTo(("from openai", "gpt-5", "default")));
            Assert.That(named.Text, Is.EqualTo("from openai"));
            Assert.That(router.Name, Is.EqualTo("default"));
            Assert.That(router.GetTargets().Select(t => t.ToString()), Is.EqualTo(new[] { "openai/gpt-5", "anthropic" }));
            Assert.That(router.GetTargets("code_generation").Select(t => t.ToString()), Is.EqualTo(new[] { "anthropic/claude-sonnet-4-5", "openai" }));
        }
    }

    [Test]
    public async Task Streams_go_to_the_route_the_request_names()
    {
        using var services = ThreeRoutes();
        var router = services.GetRequiredService<ILlmRouter>();

        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in router.StreamAsync(new ChatRequest("hi") { RouteName = "local_development" }))
        {
            updates.Add(update);
        }

        Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("from ollama"));
        Assert.That(updates[^1].Trace!.RouteName, Is.EqualTo("local_development"));
    }

    [Test]
    public async Task Embeddings_go_to_the_route_named_or_to_the_default_route()
    {
        using var services = ThreeRoutes();
        var router = (LlmRouter)services.GetRequiredService<ILlmRouter>();

        var viaDefault = await services.GetRequiredService<IEmbeddingProvider>().EmbedAsync(new EmbeddingRequest("hi"));
        var viaRoute = await router.EmbedAsync("local_development", new EmbeddingRequest("hi"));
        var viaKeyed = await services.GetRequiredKeyedService<IEmbeddingProvider>("code_generation").EmbedAsync(new EmbeddingRequest("hi"));
        var viaRequest = await services.GetRequiredService<IEmbeddingProvider>().EmbedAsync(new EmbeddingRequest("hi") { RouteName = "local_development" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That((viaDefault.ProviderName, viaDefault.Trace!.RouteName), Is.EqualTo(("openai", "default")));
            Assert.That((viaRoute.ProviderName, viaRoute.Trace!.RouteName), Is.EqualTo(("ollama", "local_development")));
            Assert.That((viaKeyed.ProviderName, viaKeyed.Trace!.RouteName), Is.EqualTo(("anthropic", "code_generation")));
            Assert.That((viaRequest.ProviderName, viaRequest.Trace!.RouteName), Is.EqualTo(("ollama", "local_development")));
        }
    }

    [Test]
    public void An_unknown_route_is_an_invalid_request_listing_the_routes()
    {
        using var services = ThreeRoutes();
        var router = services.GetRequiredService<ILlmRouter>();

        var thrown = Assert.ThrowsAsync<InvalidChatRequestException>(() => router.ChatAsync(new ChatRequest("hi") { RouteName = "cost_optimized" }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown!.Message, Does.Contain("No route named 'cost_optimized' is registered")
                .And.Contain("Routes: default, code_generation, local_development.")
                .And.Contain("builder.AddRoute(\"cost_optimized\""));
            Assert.That(thrown.IsTransient, Is.False);
            Assert.That(thrown.Kind, Is.EqualTo(LlmErrorKind.InvalidRequest));
        }
    }

    [Test]
    public void An_unknown_route_fails_a_stream_when_it_is_read()
    {
        using var services = ThreeRoutes();
        var stream = services.GetRequiredService<ILlmRouter>().StreamAsync(new ChatRequest("hi") { RouteName = "Code_Generation" });

        var thrown = Assert.ThrowsAsync<InvalidChatRequestException>(async () =>
        {
            await foreach (var update in stream)
            {
                Assert.Fail("no update expected, got " + update.Text);
            }
        });

        Assert.That(thrown!.Message, Does.Contain("Did you mean 'code_generation'? Route names match exactly."));
    }

    [Test]
    public void An_unknown_route_fails_embeddings_and_target_listing()
    {
        using var services = ThreeRoutes();
        var router = (LlmRouter)services.GetRequiredService<ILlmRouter>();

        Assert.ThrowsAsync<InvalidChatRequestException>(() => router.EmbedAsync("search", new EmbeddingRequest("hi")));
        var thrown = Assert.Throws<KeyNotFoundException>(() => router.GetTargets("search"));

        Assert.That(thrown!.Message, Does.Contain("No route named 'search'"));
    }

    [Test]
    public void A_provider_name_is_not_a_route_and_the_error_says_to_pin_it()
    {
        using var services = ThreeRoutes();

        var thrown = Assert.ThrowsAsync<InvalidChatRequestException>(() =>
            services.GetRequiredService<ILlmProvider>().ChatAsync(new ChatRequest("hi") { RouteName = "anthropic" }));

        Assert.That(thrown!.Message, Does.Contain("'anthropic' is a provider, not a route").And.Contain("PinnedProvider"));
    }

    [Test]
    public async Task An_unknown_route_never_reaches_a_provider()
    {
        var spy = new ScriptedProvider("spy");
        using var services = FrontTestKit.Build(b => b.AddProvider("spy", "scripted", (_, _) => spy));

        Assert.ThrowsAsync<InvalidChatRequestException>(() => services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi") { RouteName = "nope" }));
        var answered = await services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi"));

        Assert.That(spy.Calls, Is.EqualTo(1), "only the second call, on the default route");
        Assert.That(answered.ProviderName, Is.EqualTo("spy"));
    }

    [Test]
    public async Task Without_a_default_chain_the_default_route_covers_every_provider_and_other_chains_stay_routes()
    {
        using var services = FrontTestKit.Build(b => b
            .AddFailing("down")
            .AddAnswering("up")
            .AddRoute("only_down", "down"));
        var router = services.GetRequiredService<ILlmRouter>();

        var result = await router.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(router.GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "down", "up" }), "chains are left out");
            Assert.That(result.Text, Is.EqualTo("from up"));
            Assert.That(result.Trace!.RouteName, Is.EqualTo("default"));
            Assert.That(router.GetTargets("only_down").Single().ProviderName, Is.EqualTo("down"));
        }
    }

    [Test]
    public async Task The_dynamic_default_route_follows_providers_added_and_removed_at_run_time()
    {
        using var services = FrontTestKit.Build(b => b.AddFailing("configured"));
        var router = services.GetRequiredService<ILlmRouter>();
        var manager = services.GetRequiredService<ILlmProviderManager>();

        Assert.ThrowsAsync<AllProvidersFailedException>(() => router.ChatAsync(new ChatRequest("hi")));
        manager.AddProvider(new FakeProvider("added"));
        var afterAdd = await router.ChatAsync(new ChatRequest("hi"));
        var targetsAfterAdd = router.GetTargets().Select(t => t.ProviderName).ToList();
        manager.RemoveProvider("configured");
        var afterRemove = await router.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(targetsAfterAdd, Is.EqualTo(new[] { "configured", "added" }));
            Assert.That(afterAdd.Text, Is.EqualTo("answer from added"));
            Assert.That(afterAdd.Trace!.Attempts.Select(a => a.ProviderName), Is.EqualTo(new[] { "configured", "added" }));
            Assert.That(router.GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "added" }));
            Assert.That(afterRemove.Trace!.Attempts.Select(a => a.ProviderName), Is.EqualTo(new[] { "added" }));
        }
    }

    [Test]
    public async Task The_default_provider_goes_first_on_the_dynamic_default_route()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("first").AddAnswering("second").AddAnswering("third"));
        var router = services.GetRequiredService<ILlmRouter>();
        var manager = services.GetRequiredService<ILlmProviderManager>();

        manager.SetDefaultProvider("third");
        var withDefault = await router.ChatAsync(new ChatRequest("hi"));
        var order = router.GetTargets().Select(t => t.ProviderName).ToList();
        manager.SetDefaultProvider(null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(order, Is.EqualTo(new[] { "third", "first", "second" }));
            Assert.That(withDefault.Text, Is.EqualTo("from third"));
            Assert.That(router.GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "first", "second", "third" }));
        }
    }

    [Test]
    public void LLM_DEFAULT_PROVIDER_puts_its_provider_first()
    {
        using var services = FrontTestKit.Build(
            b => b.AddAnswering("first").AddAnswering("second"),
            new Dictionary<string, string> { ["LLM_DEFAULT_PROVIDER"] = "second" });

        Assert.That(services.GetRequiredService<ILlmRouter>().GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "second", "first" }));
    }

    [Test]
    public void The_dynamic_default_route_is_rebuilt_only_when_the_registry_changes()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("one"));
        var router = (LlmRouter)services.GetRequiredService<ILlmRouter>();

        var first = router.DefaultRoute();
        var again = router.DefaultRoute();
        services.GetRequiredService<ILlmProviderManager>().AddProvider(new FakeProvider("two"));
        var rebuilt = router.DefaultRoute();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Is.SameAs(first));
            Assert.That(rebuilt, Is.Not.SameAs(first));
            Assert.That(router.DefaultRoute(), Is.SameAs(rebuilt));
        }
    }

    [Test]
    public void Capabilities_and_locality_are_those_of_the_default_route()
    {
        using var services = FrontTestKit.Build(b => b
            .AddAnswering("cloud")
            .AddAnswering("local", isLocal: true)
            .AddRoute("default", "local"));
        var router = services.GetRequiredService<ILlmRouter>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(router.IsLocal, Is.True);
            Assert.That(router.Kind, Is.EqualTo(LlmProviderKinds.Router));
            Assert.That(router.Capabilities.HasFlag(LlmCapabilities.Chat), Is.True);
        }
    }

    [Test]
    public async Task Health_and_models_are_those_of_the_default_route()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("a").AddRoute("default", "a/model-x").AddRoute("other", "a/model-y"));
        var router = services.GetRequiredService<ILlmRouter>();

        var models = await router.ListModelsAsync();
        var health = await router.CheckHealthAsync();

        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "model-x" }));
        Assert.That((health.ProviderName, health.Status), Is.EqualTo(("default", LlmHealthStatus.Healthy)));
    }

    [Test]
    public void With_every_provider_removed_the_default_route_has_none_available()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("only"));
        services.GetRequiredService<ILlmProviderManager>().RemoveProvider("only");

        Assert.ThrowsAsync<NoProviderAvailableException>(() => services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi")));
        Assert.That(services.GetRequiredService<ILlmRouter>().GetTargets(), Is.Empty);
    }

    [Test]
    public async Task Calls_racing_registry_changes_are_all_answered()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("steady"));
        var router = services.GetRequiredService<ILlmRouter>();
        var manager = services.GetRequiredService<ILlmProviderManager>();

        var calls = new List<Task<ChatResult>>();
        for (int i = 0; i < 200; i++)
        {
            calls.Add(Task.Run(() => router.ChatAsync(new ChatRequest("hi"))));
            if (i % 20 == 0)
            {
                manager.AddProvider(new FakeProvider("extra-" + i));
            }
            else if (i % 20 == 10)
            {
                manager.RemoveProvider("extra-" + (i - 10));
            }
        }

        var results = await Task.WhenAll(calls);

        Assert.That(results.Select(r => r.Text), Is.All.EqualTo("from steady").Or.StartsWith("answer from extra-"));
        Assert.That(router.GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "steady" }), "every extra was removed again");
    }

    [Test]
    public void Choosing_a_route_allocates_nothing()
    {
        using var named = ThreeRoutes();
        using var dynamic = FrontTestKit.Build(b => b.AddAnswering("a").AddAnswering("b"));
        var withRoutes = (LlmRouter)named.GetRequiredService<ILlmRouter>();
        var withDynamicDefault = (LlmRouter)dynamic.GetRequiredService<ILlmRouter>();
        Choose(withRoutes, withDynamicDefault); // first use resolves and builds the routes

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Choose(withRoutes, withDynamicDefault);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);

        static void Choose(LlmRouter withRoutes, LlmRouter withDynamicDefault)
        {
            withRoutes.TryGetRoute(null, out _);
            withRoutes.TryGetRoute("code_generation", out _);
            withDynamicDefault.TryGetRoute(null, out _);
            withDynamicDefault.TryGetRoute("default", out _);
        }
    }
}
