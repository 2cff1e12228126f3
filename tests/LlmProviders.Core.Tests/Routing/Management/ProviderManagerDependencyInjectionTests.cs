using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Tests.Routing.Management;

/// <summary>The manager as the services expose it after <c>AddLlmProviders</c>.</summary>
public sealed class ProviderManagerDependencyInjectionTests
{
    [Test]
    public void The_manager_is_one_singleton_registry_over_the_configured_providers()
    {
        using var sp = ManagementTestKit.Build(b => b.AddSimulated());

        var manager = sp.GetRequiredService<ILlmProviderManager>();

        Assert.That(manager, Is.SameAs(sp.GetRequiredService<ProviderRegistry>()));
        Assert.That(sp.GetRequiredService<ILlmProviderManager>(), Is.SameAs(manager));
        var status = manager.ListProviders().Single();
        Assert.That((status.Name, status.Kind, status.Source), Is.EqualTo(("simulated", LlmProviderKinds.Simulated, LlmProviderSource.Configured)));
        Assert.That(manager.GetProvider("simulated"), Is.SameAs(sp.GetRequiredKeyedService<ILlmProvider>("simulated")));
    }

    [Test]
    public void Chains_are_listed_as_routers_after_the_providers_registered_before_them()
    {
        using var sp = ManagementTestKit.Build(b => b
            .AddSimulated("primary")
            .AddSimulated("backup")
            .AddFallbackChain(c => c.AddTarget("primary").AddTarget("backup")));

        var list = sp.GetRequiredService<ILlmProviderManager>().ListProviders();

        Assert.That(list.Select(s => (s.Name, s.IsRouter)), Is.EqualTo(new[] { ("primary", false), ("backup", false), ("default", true) }));
        Assert.That(list[2].Capabilities, Is.Not.EqualTo(LlmCapabilities.None));
    }

    [Test]
    public void The_default_provider_comes_from_LLM_DEFAULT_PROVIDER()
    {
        using var sp = ManagementTestKit.Build(
            b => b.AddSimulated("primary").AddSimulated("backup"),
            new Dictionary<string, string> { ["LLM_DEFAULT_PROVIDER"] = "backup" });

        var manager = sp.GetRequiredService<ILlmProviderManager>();

        Assert.That(manager.DefaultProvider, Is.EqualTo("backup"));
        Assert.That(manager.ListProviders().Single(s => s.IsDefault).Name, Is.EqualTo("backup"));
    }

    [Test]
    public void An_unknown_LLM_DEFAULT_PROVIDER_fails_resolution_naming_the_variable()
    {
        using var sp = ManagementTestKit.Build(
            b => b.AddSimulated("primary"),
            new Dictionary<string, string> { ["LLM_DEFAULT_PROVIDER"] = "Primary" });

        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<ILlmProviderManager>());

        Assert.That(ex!.Message, Does.Contain("LLM_DEFAULT_PROVIDER is 'Primary'"));
        Assert.That(ex.Message, Does.Contain("Did you mean 'primary'?"));
    }

    [Test]
    public async Task A_provider_added_at_run_time_answers_through_the_manager()
    {
        using var sp = ManagementTestKit.Build(b => b.AddSimulated());
        var manager = sp.GetRequiredService<ILlmProviderManager>();

        manager.AddProvider(new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "from the new one" }, "extra", new LlmProviders.Testing.ManualTimeProvider()));
        var result = await manager.GetProvider("extra")!.ChatAsync(new ChatRequest("hi"));

        Assert.That(result.Text, Is.EqualTo("from the new one"));
        Assert.That(manager.ListProviders()[^1].Source, Is.EqualTo(LlmProviderSource.Runtime));
    }

    [Test]
    public void AddProviderFactory_registers_a_factory_that_EnableProvider_uses()
    {
        var factory = new FakeFactory("acme");
        using var sp = ManagementTestKit.Build(b => b.AddSimulated().AddProviderFactory(factory));

        var provider = sp.GetRequiredService<ILlmProviderManager>().EnableProvider("acme", "acme-key-0001");

        Assert.That(provider.Name, Is.EqualTo("acme"));
        Assert.That(factory.Calls.Single().ApiKey, Is.EqualTo("acme-key-0001"));
    }

    [Test]
    public void AddProviderFactory_keeps_one_factory_per_kind()
    {
        var first = new FakeFactory("acme");
        using var sp = ManagementTestKit.Build(b => b
            .AddProviderFactory(first)
            .AddProviderFactory(new FakeFactory("ACME"))
            .AddProviderFactory(first)
            .AddProviderFactory(new FakeFactory("other")));

        var factories = sp.GetServices<ILlmProviderFactory>().ToList();

        Assert.That(factories.Select(f => f.Kind), Is.EqualTo(new[] { "acme", "other" }));
        Assert.That(factories[0], Is.SameAs(first));
    }

    [Test]
    public void AddProviderFactory_refuses_a_factory_without_a_kind()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ArgumentException>(() => services.AddLlmProviders(b => b.AddProviderFactory(new FakeFactory(" "))));

        Assert.That(ex!.Message, Does.Contain("Kind is empty"));
    }
}
