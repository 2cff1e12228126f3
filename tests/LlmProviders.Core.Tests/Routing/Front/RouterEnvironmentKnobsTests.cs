using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.Routing.Front;

/// <summary>The environment knobs of the router (SPEC RT8, seed 003), read through an injected <see cref="RouterEnvironment"/>.</summary>
public sealed class RouterEnvironmentKnobsTests
{
    private static Dictionary<string, string> Env(string variable, string value) => new() { [variable] = value };

    [Test]
    public async Task Fallback_is_on_by_default()
    {
        using var services = FrontTestKit.Build(b => b.AddFailing("down").AddAnswering("up"));

        var result = await services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi"));

        Assert.That(result.Text, Is.EqualTo("from up"));
    }

    [Test]
    public void LLM_ENABLE_FALLBACK_false_stops_the_default_route_at_the_first_failure()
    {
        using var services = FrontTestKit.Build(b => b.AddFailing("down").AddAnswering("up"), Env("LLM_ENABLE_FALLBACK", "false"));

        var thrown = Assert.ThrowsAsync<ProviderUnavailableException>(() => services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown!.ProviderName, Is.EqualTo("down"));
    }

    [Test]
    public void LLM_ENABLE_FALLBACK_false_also_disables_fallback_in_configured_chains()
    {
        using var services = FrontTestKit.Build(
            b => b.AddFailing("down").AddAnswering("up").AddRoute("careful", "down", "up").AddPredefinedChain(PredefinedChains.LocalOnly),
            Env("LLM_ENABLE_FALLBACK", "0"));

        Assert.ThrowsAsync<ProviderUnavailableException>(() =>
            services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi") { RouteName = "careful" }));
        var monitor = services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>();
        Assert.That(monitor.Get(PredefinedChains.LocalOnly).EnableFallback, Is.False);
    }

    [Test]
    public async Task LLM_ENABLE_FALLBACK_true_leaves_a_chain_that_disabled_fallback_alone()
    {
        using var services = FrontTestKit.Build(
            b => b.AddFailing("down").AddAnswering("up").AddRoute("strict", c => { c.AddTarget("down").AddTarget("up"); c.EnableFallback = false; }).AddRoute("default", "down", "up"),
            Env("LLM_ENABLE_FALLBACK", "true"));
        var router = services.GetRequiredService<ILlmRouter>();

        Assert.ThrowsAsync<ProviderUnavailableException>(() => router.ChatAsync(new ChatRequest("hi") { RouteName = "strict" }));
        Assert.That((await router.ChatAsync(new ChatRequest("hi"))).Text, Is.EqualTo("from up"));
    }

    [Test]
    public async Task LLM_ROUTING_STRATEGY_orders_the_default_route()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("a").AddAnswering("b"), Env("LLM_ROUTING_STRATEGY", "round-robin"));
        var router = services.GetRequiredService<ILlmRouter>();

        var first = await router.ChatAsync(new ChatRequest("hi"));
        var second = await router.ChatAsync(new ChatRequest("hi"));

        Assert.That(new[] { first.Text, second.Text }, Is.EquivalentTo(new[] { "from a", "from b" }));
    }

    [Test]
    public async Task LLM_PREFER_LOCAL_tries_local_providers_first_on_the_default_route()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("cloud").AddAnswering("local", isLocal: true), Env("LLM_PREFER_LOCAL", "yes"));

        var result = await services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi"));

        Assert.That(result.Text, Is.EqualTo("from local"));
    }

    [Test]
    public void LLM_MAX_LATENCY_MS_skips_models_typically_slower_on_the_default_route()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("a"), Env("LLM_MAX_LATENCY_MS", "2000"));
        services.GetRequiredService<ILlmProviderManager>().AddProvider(new Management.FakeProvider("openai", LlmProviderKinds.OpenAI));

        // gpt-5 typically takes 4 s to its first token (catalog).
        var thrown = Assert.ThrowsAsync<NoProviderAvailableException>(() =>
            services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi") { Model = "gpt-5", PinnedProvider = "openai" }));

        Assert.That(thrown!.Trace!.Candidates.Single(c => c.ProviderName == "openai").SkipReason, Is.EqualTo(CandidateSkipReason.TooSlow));
    }

    [TestCase("LLM_ROUTING_STRATEGY", "fastest-ish", "LLM_ROUTING_STRATEGY is 'fastest-ish', which is no routing strategy; set it to one of priority, round_robin")]
    [TestCase("LLM_ENABLE_FALLBACK", "maybe", "LLM_ENABLE_FALLBACK is 'maybe'; set it to true, false, 1, 0, yes or no")]
    [TestCase("LLM_PREFER_LOCAL", "2", "LLM_PREFER_LOCAL is '2'; set it to true, false, 1, 0, yes or no")]
    [TestCase("LLM_MAX_LATENCY_MS", "0", "LLM_MAX_LATENCY_MS is '0'; set it to a positive whole number of milliseconds")]
    [TestCase("LLM_MAX_LATENCY_MS", "-100", "LLM_MAX_LATENCY_MS is '-100'; set it to a positive whole number of milliseconds")]
    public void An_invalid_knob_fails_at_start_naming_the_variable_and_the_accepted_values(string variable, string value, string expected)
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("a").AddRoute("other", "a"), Env(variable, value));

        var atStart = Assert.Catch(() => services.GetRequiredService<IStartupValidator>().Validate());
        var atResolve = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ILlmRouter>());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(atStart, Is.InstanceOf<OptionsValidationException>());
            Assert.That(atStart!.Message, Does.Contain(expected));
            Assert.That(atResolve!.Message, Does.Contain(expected));
        }
    }

    [Test]
    public void Every_invalid_knob_is_named_at_once()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("a"), new Dictionary<string, string>
        {
            ["LLM_ROUTING_STRATEGY"] = "smart",
            ["LLM_PREFER_LOCAL"] = "sometimes",
        });

        var thrown = Assert.Catch(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(thrown!.Message, Does.Contain("LLM_ROUTING_STRATEGY is 'smart'").And.Contain("LLM_PREFER_LOCAL is 'sometimes'"));
    }

    [Test]
    public void Valid_knobs_pass_startup_validation()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("a"), new Dictionary<string, string>
        {
            ["LLM_ROUTING_STRATEGY"] = "cost_optimized",
            ["LLM_ENABLE_FALLBACK"] = "TRUE",
            ["LLM_PREFER_LOCAL"] = "no",
            ["LLM_MAX_LATENCY_MS"] = "10000",
        });

        Assert.That(() => services.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
    }
}
