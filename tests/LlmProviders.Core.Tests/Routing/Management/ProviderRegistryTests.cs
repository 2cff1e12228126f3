using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;

namespace LlmProviders.Tests.Routing.Management;

/// <summary>Adding, removing, listing and the default provider (SPEC RT9), on a registry over configured fakes.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class ProviderRegistryTests
{
    private readonly FakeProvider _openai = new("openai", LlmProviderKinds.OpenAI, LlmCapabilities.Chat | LlmCapabilities.Tools);
    private readonly FakeProvider _ollama = new("ollama", LlmProviderKinds.Ollama, LlmCapabilities.Chat, isLocal: true);

    [Test]
    public void Lists_configured_providers_in_registration_order_then_runtime_ones_in_the_order_added()
    {
        var registry = ManagementTestKit.Registry([_openai, _ollama]);
        registry.AddProvider(new FakeProvider("zeta"));
        registry.AddProvider(new FakeProvider("alpha"));

        var list = registry.ListProviders();

        Assert.That(list.Select(s => s.Name), Is.EqualTo(new[] { "openai", "ollama", "zeta", "alpha" }));
        Assert.That(list.Select(s => s.Source), Is.EqualTo(new[] { LlmProviderSource.Configured, LlmProviderSource.Configured, LlmProviderSource.Runtime, LlmProviderSource.Runtime }));
    }

    [Test]
    public void Status_shows_kind_locality_capabilities_and_the_default()
    {
        var registry = ManagementTestKit.Registry([_openai, _ollama], defaultProvider: "ollama");

        var list = registry.ListProviders();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(list[0].Kind, Is.EqualTo(LlmProviderKinds.OpenAI));
            Assert.That(list[0].Capabilities, Is.EqualTo(LlmCapabilities.Chat | LlmCapabilities.Tools));
            Assert.That(list[0].IsLocal, Is.False);
            Assert.That(list[0].IsDefault, Is.False);
            Assert.That(list[0].IsRouter, Is.False);
            Assert.That(list[1].IsLocal, Is.True);
            Assert.That(list[1].IsDefault, Is.True);
            Assert.That(list[1].ToString(), Is.EqualTo("ollama (ollama, local, default, Configured)"));
        }
    }

    [Test]
    public void A_runtime_provider_is_resolvable_by_its_exact_name_only()
    {
        var registry = ManagementTestKit.Registry([_openai]);
        var added = new FakeProvider("local-gpu");

        registry.AddProvider(added);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(registry.Resolve("local-gpu"), Is.SameAs(added));
            Assert.That(registry.GetProvider("local-gpu"), Is.SameAs(added));
            Assert.That(registry.Resolve("LOCAL-GPU"), Is.Null);
            Assert.That(registry.GetProvider("unknown"), Is.Null);
        }
    }

    [Test]
    public void A_configured_provider_resolves_to_the_service_providers_instance()
    {
        var registry = ManagementTestKit.Registry([_openai]);

        Assert.That(registry.Resolve("openai"), Is.SameAs(_openai));
    }

    [Test]
    public void Resolve_allocates_nothing_once_a_configured_provider_is_created()
    {
        var registry = ManagementTestKit.Registry([_openai, _ollama]);
        registry.AddProvider(new FakeProvider("runtime"));
        _ = registry.Resolve("openai"); // first use creates it
        _ = registry.Resolve("missing");

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            _ = registry.Resolve("openai");
            _ = registry.Resolve("runtime");
            _ = registry.Resolve("missing");
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [TestCase("openai")]
    [TestCase("OpenAI")]
    public void Adding_a_name_taken_by_a_configured_provider_is_refused_naming_both_and_the_fix(string name)
    {
        var registry = ManagementTestKit.Registry([_openai]);

        var ex = Assert.Throws<InvalidOperationException>(() => registry.AddProvider(new FakeProvider(name, "custom")));

        Assert.That(ex!.Message, Does.Contain("'openai' (openai, configured) is already listed"));
        Assert.That(ex.Message, Does.Contain($"so '{name}' (custom) cannot be added"));
        Assert.That(ex.Message, Does.Contain("RemoveProvider"));
        Assert.That(registry.ListProviders(), Has.Count.EqualTo(1));
    }

    [Test]
    public void Adding_a_name_taken_by_a_runtime_provider_is_refused_ignoring_case()
    {
        var registry = ManagementTestKit.Registry([]);
        registry.AddProvider(new FakeProvider("backup"));

        var ex = Assert.Throws<InvalidOperationException>(() => registry.AddProvider(new FakeProvider("Backup")));

        Assert.That(ex!.Message, Does.Contain("'backup' (fake, added at run time) is already listed"));
    }

    [Test]
    public void Adding_a_provider_without_a_name_is_refused()
    {
        var registry = ManagementTestKit.Registry([]);

        var ex = Assert.Throws<ArgumentException>(() => registry.AddProvider(new FakeProvider(" ")));

        Assert.That(ex!.Message, Does.Contain("Name is empty"));
    }

    [Test]
    public void Removing_a_configured_provider_hides_it_from_resolve_and_the_list()
    {
        var registry = ManagementTestKit.Registry([_openai, _ollama]);
        Assert.That(registry.Resolve("openai"), Is.SameAs(_openai));

        bool removed = registry.RemoveProvider("openai");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(removed, Is.True);
            Assert.That(registry.Resolve("openai"), Is.Null);
            Assert.That(registry.GetProvider("openai"), Is.Null);
            Assert.That(registry.ListProviders().Select(s => s.Name), Is.EqualTo(new[] { "ollama" }));
            Assert.That(registry.RemoveProvider("openai"), Is.False);
        }
    }

    [Test]
    public void Removing_a_runtime_provider_drops_it_and_never_disposes_it()
    {
        var registry = ManagementTestKit.Registry([]);
        var added = new DisposableFakeProvider("temp");
        registry.AddProvider(added);

        Assert.That(registry.RemoveProvider("temp"), Is.True);

        Assert.That(registry.Resolve("temp"), Is.Null);
        Assert.That(added.Disposed, Is.False);
    }

    [Test]
    public void Removing_is_by_exact_name()
    {
        var registry = ManagementTestKit.Registry([_openai]);

        Assert.That(registry.RemoveProvider("OPENAI"), Is.False);
        Assert.That(registry.Resolve("openai"), Is.SameAs(_openai));
    }

    [Test]
    public void A_removed_configured_name_can_be_reused_by_a_runtime_provider()
    {
        var registry = ManagementTestKit.Registry([_openai, _ollama]);
        registry.RemoveProvider("openai");
        var replacement = new FakeProvider("openai", LlmProviderKinds.OpenAI);

        registry.AddProvider(replacement);

        Assert.That(registry.Resolve("openai"), Is.SameAs(replacement));
        var status = registry.ListProviders();
        Assert.That(status.Select(s => (s.Name, s.Source)), Is.EqualTo(new[] { ("ollama", LlmProviderSource.Configured), ("openai", LlmProviderSource.Runtime) }));
    }

    [Test]
    public async Task A_call_in_flight_finishes_on_the_provider_it_holds_after_that_provider_is_removed()
    {
        var registry = ManagementTestKit.Registry([]);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = new FakeProvider("slow") { Gate = release.Task };
        registry.AddProvider(provider);

        var call = registry.Resolve("slow")!.ChatAsync(new ChatRequest("hi"));
        registry.RemoveProvider("slow");
        release.SetResult();
        var result = await call;

        Assert.That(result.Text, Is.EqualTo("answer from slow"));
        Assert.That(registry.Resolve("slow"), Is.Null);
    }

    [Test]
    public void Version_increments_on_every_change_and_only_then()
    {
        var registry = ManagementTestKit.Registry([_openai]);
        long start = registry.Version;
        var versions = new List<long>();

        registry.AddProvider(new FakeProvider("b"));
        versions.Add(registry.Version);
        registry.SetDefaultProvider("b");
        versions.Add(registry.Version);
        registry.SetDefaultProvider("b"); // unchanged
        versions.Add(registry.Version);
        registry.RemoveProvider("openai");
        versions.Add(registry.Version);
        registry.RemoveProvider("openai"); // nothing to remove
        Assert.Throws<InvalidOperationException>(() => registry.AddProvider(new FakeProvider("B")));
        Assert.Throws<ArgumentException>(() => registry.SetDefaultProvider("nope"));
        _ = registry.Resolve("b");
        _ = registry.ListProviders();
        versions.Add(registry.Version);

        Assert.That(versions, Is.EqualTo(new[] { start + 1, start + 2, start + 2, start + 3, start + 3 }));
    }

    [Test]
    public void Default_is_null_without_one_and_can_be_set_to_a_provider_or_router_and_cleared()
    {
        var registry = ManagementTestKit.Registry([_openai, new FakeProvider("chain", LlmProviderKinds.Router)]);
        Assert.That(registry.DefaultProvider, Is.Null);

        registry.SetDefaultProvider("chain");
        Assert.That(registry.DefaultProvider, Is.EqualTo("chain"));
        Assert.That(registry.ListProviders().Single(s => s.IsDefault).Name, Is.EqualTo("chain"));

        registry.SetDefaultProvider(null);
        Assert.That(registry.DefaultProvider, Is.Null);
        Assert.That(registry.ListProviders().Any(s => s.IsDefault), Is.False);
    }

    [Test]
    public void Routers_are_listed_and_marked()
    {
        var registry = ManagementTestKit.Registry([_openai, new FakeProvider("chain", LlmProviderKinds.Router)]);

        var list = registry.ListProviders();

        Assert.That(list.Select(s => (s.Name, s.IsRouter)), Is.EqualTo(new[] { ("openai", false), ("chain", true) }));
    }

    [Test]
    public void Setting_an_unknown_default_is_refused_listing_the_known_names()
    {
        var registry = ManagementTestKit.Registry([_openai, _ollama]);
        registry.AddProvider(new FakeProvider("backup"));

        var ex = Assert.Throws<ArgumentException>(() => registry.SetDefaultProvider("anthropic"));

        Assert.That(ex!.Message, Does.Contain("No provider or router named 'anthropic'"));
        Assert.That(ex.Message, Does.Contain("Providers and routers: openai, ollama, backup."));
        Assert.That(registry.DefaultProvider, Is.Null);
    }

    [Test]
    public void Setting_a_default_in_the_wrong_case_gets_a_did_you_mean()
    {
        var registry = ManagementTestKit.Registry([_openai]);

        var ex = Assert.Throws<ArgumentException>(() => registry.SetDefaultProvider("OpenAI"));

        Assert.That(ex!.Message, Does.Contain("Did you mean 'openai'? Names match exactly."));
    }

    [Test]
    public void Removing_the_default_provider_clears_the_default()
    {
        var registry = ManagementTestKit.Registry([_openai, _ollama], defaultProvider: "openai");

        registry.RemoveProvider("openai");

        Assert.That(registry.DefaultProvider, Is.Null);
    }

    [Test]
    public void An_initial_default_naming_no_provider_is_refused_naming_the_variable()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ManagementTestKit.Registry([_openai], defaultProvider: "gpt"));

        Assert.That(ex!.Message, Does.StartWith("LLM_DEFAULT_PROVIDER is 'gpt', which is not a registered provider or chain."));
        Assert.That(ex.Message, Does.Contain("Providers and routers: openai."));
    }

    [Test]
    public void Changed_reports_each_addition_removal_and_default_change_in_order()
    {
        var registry = ManagementTestKit.Registry([_openai]);
        var events = new List<(LlmProvidersChangeKind, string?)>();
        object? sender = null;
        registry.Changed += (s, e) =>
        {
            sender = s;
            events.Add((e.Change, e.Name));
        };

        registry.AddProvider(new FakeProvider("backup"));
        registry.SetDefaultProvider("backup");
        registry.RemoveProvider("backup");
        registry.RemoveProvider("backup");

        Assert.That(events, Is.EqualTo(new (LlmProvidersChangeKind, string?)[]
        {
            (LlmProvidersChangeKind.Added, "backup"),
            (LlmProvidersChangeKind.DefaultChanged, "backup"),
            (LlmProvidersChangeKind.Removed, "backup"),
            (LlmProvidersChangeKind.DefaultChanged, null),
        }));
        Assert.That(sender, Is.SameAs(registry));
    }

    [Test]
    public void Changes_are_logged_by_name()
    {
        var logger = new CapturingLogger();
        var registry = ManagementTestKit.Registry([_openai], logger: logger);

        registry.AddProvider(new FakeProvider("backup"));
        registry.SetDefaultProvider("backup");
        registry.RemoveProvider("openai");

        Assert.That(logger.Messages, Is.EqualTo(new[]
        {
            "Provider 'backup' (fake) added at run time.",
            "Default provider set to 'backup'.",
            "Provider 'openai' (Configured) removed; routers skip it from now on.",
        }));
    }
}
