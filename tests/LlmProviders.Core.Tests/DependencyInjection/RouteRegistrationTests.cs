using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Tests.Routing.Front;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.DependencyInjection;

/// <summary>Named routes (SPEC RT2, seed 001's <c>strategies:</c>) as the builder registers them.</summary>
public sealed class RouteRegistrationTests
{
    [Test]
    public async Task Seed_001_strategies_become_routes_with_a_primary_and_fallbacks()
    {
        using var services = FrontTestKit.Build(b => b
            .AddFailing("openai")
            .AddAnswering("anthropic")
            .AddAnswering("ollama", isLocal: true)
            .AddRoute("default", "openai/gpt-4", "anthropic", "ollama")
            .AddRoute("code_generation", "anthropic/claude-3-opus-20240229", "openai")
            .AddRoute("local_development", "ollama/llama2", "openai")
            .AddRoute("cost_optimized", "openai/gpt-3.5-turbo", "ollama"));
        var router = services.GetRequiredService<ILlmRouter>();

        var byDefault = await router.ChatAsync(new ChatRequest("hi"));
        var cheap = await router.ChatAsync(new ChatRequest("hi") { RouteName = "cost_optimized" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => services.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
            Assert.That(router.GetTargets("code_generation").Select(t => (t.ProviderName, t.Model)),
                Is.EqualTo(new (string, string?)[] { ("anthropic", "claude-3-opus-20240229"), ("openai", null) }));
            Assert.That(byDefault.Trace!.Attempts.Select(a => a.ProviderName), Is.EqualTo(new[] { "openai", "anthropic" }));
            Assert.That((cheap.Text, cheap.Trace!.RouteName), Is.EqualTo(("from ollama", "cost_optimized")));
        }
    }

    [Test]
    public void A_model_may_contain_slashes_after_the_provider()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("together").AddRoute("open", " together / meta-llama/Llama-3.3-70B-Instruct-Turbo "));

        var target = services.GetRequiredService<ILlmRouter>().GetTargets("open").Single();

        Assert.That((target.ProviderName, target.Model), Is.EqualTo(("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")));
    }

    [TestCase("", "a target is blank")]
    [TestCase("/gpt-5", "target '/gpt-5' has an empty provider")]
    [TestCase("openai/", "target 'openai/' has an empty model")]
    public void A_malformed_target_is_rejected_at_registration(string target, string expected)
    {
        var thrown = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddLlmProviders(b => b.AddSimulated("openai").AddRoute("r", "openai", target)));

        Assert.That(thrown!.Message, Does.Contain("Route 'r': " + expected).And.Contain("\"provider/model\""));
    }

    [Test]
    public void A_route_is_a_chain_validated_at_start()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("openai").AddRoute("r", "openai", "anthropc"));

        var thrown = Assert.Catch(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(thrown!.Message, Does.Contain("Chain 'r': target 2 names 'anthropc', which is not registered"));
    }

    [Test]
    public void A_route_name_is_unique_among_providers_and_chains()
    {
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddLlmProviders(b => b.AddSimulated("openai").AddRoute("openai", "openai")));
    }
}
