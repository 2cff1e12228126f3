using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.Routing.Front;

/// <summary>The predefined chains (SPEC RT1, seed 003): current catalog models on the providers' default names.</summary>
public sealed class PredefinedChainsTests
{
    // The default registration names of the satellites' AddXxx methods, and their provider kinds.
    private static readonly Dictionary<string, string> KindOfDefaultName = new()
    {
        ["openai"] = LlmProviderKinds.OpenAI,
        ["anthropic"] = LlmProviderKinds.Anthropic,
        ["gemini"] = LlmProviderKinds.Google,
        ["mistral"] = LlmProviderKinds.Mistral,
        ["ollama"] = LlmProviderKinds.Ollama,
        ["together"] = LlmProviderKinds.TogetherAI,
        ["openrouter"] = LlmProviderKinds.OpenRouter,
        ["vllm"] = LlmProviderKinds.Vllm,
        ["localai"] = LlmProviderKinds.LocalAI,
    };

    private static FallbackChainOptions Configured(string predefined)
    {
        var options = new FallbackChainOptions();
        PredefinedChains.Configure(predefined, options);
        return options;
    }

    [Test]
    public void Every_predefined_model_is_in_the_built_in_catalog_for_its_providers_kind()
    {
        var missing = new List<string>();
        foreach (var predefined in PredefinedChains.Names)
        {
            foreach (var target in Configured(predefined).Targets)
            {
                Assert.That(KindOfDefaultName.ContainsKey(target.ProviderName), $"{predefined}: '{target.ProviderName}' is no default provider name");
                if (target.Model is not null && ModelCatalog.Default.Find(KindOfDefaultName[target.ProviderName], target.Model) is null)
                {
                    missing.Add($"{predefined}: {target}");
                }
            }
        }

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void The_five_chains_have_their_names_strategies_and_targets()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PredefinedChains.Names, Is.EqualTo(new[] { "high_quality", "cost_optimized", "fast_latency", "local_only", "code_generation" }));
            Assert.That(Configured(PredefinedChains.HighQuality).Strategy, Is.EqualTo(RoutingStrategyKind.Quality));
            Assert.That(Configured(PredefinedChains.CostOptimized).Strategy, Is.EqualTo(RoutingStrategyKind.LeastCost));
            Assert.That(Configured(PredefinedChains.FastLatency).Strategy, Is.EqualTo(RoutingStrategyKind.Latency));
            Assert.That(Configured(PredefinedChains.LocalOnly).LocalOnly, Is.True);
            Assert.That(Configured(PredefinedChains.LocalOnly).Targets.Select(t => t.ProviderName).Distinct(), Is.EqualTo(new[] { "ollama", "vllm", "localai" }));
            Assert.That(Configured(PredefinedChains.CodeGeneration).Targets.Select(t => t.ToString()), Is.EqualTo(new[]
            {
                "anthropic/claude-sonnet-4-5", "openai/gpt-5", "mistral/codestral-latest", "gemini/gemini-2.5-pro", "ollama/codellama",
            }));
            Assert.That(PredefinedChains.Names.Select(n => Configured(n).SkipUnregisteredTargets), Is.All.True);
            Assert.That(PredefinedChains.Names.Select(n => Configured(n).Targets.Count), Is.All.GreaterThanOrEqualTo(4));
        }
    }

    [Test]
    public void An_unknown_predefined_name_lists_the_predefined_chains()
    {
        var thrown = Assert.Throws<ArgumentException>(() => PredefinedChains.Configure("best", new FallbackChainOptions()));

        Assert.That(thrown!.Message, Does.Contain("'best' is no predefined chain; use one of high_quality, cost_optimized, fast_latency, local_only, code_generation"));
        Assert.That(Configured("HIGH_QUALITY").Targets, Is.Not.Empty, "case is ignored");
    }

    [Test]
    public async Task Unregistered_providers_of_a_predefined_chain_are_skipped_and_the_trace_says_so()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("mistral").AddPredefinedChain(PredefinedChains.CodeGeneration));

        Assert.That(() => services.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
        var result = await services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi") { RouteName = PredefinedChains.CodeGeneration });

        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Text, result.Model), Is.EqualTo(("from mistral", "codestral-latest")));
            Assert.That(result.Trace!.Candidates.Where(c => c.SkipReason == CandidateSkipReason.NotRegistered).Select(c => c.ProviderName),
                Is.EqualTo(new[] { "anthropic", "openai" }));
            Assert.That(result.Trace.ToString(), Does.Contain("anthropic"));
        }
    }

    [Test]
    public void AddPredefinedChains_registers_all_five_as_routes()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("ollama", isLocal: true).AddPredefinedChains());
        var router = services.GetRequiredService<ILlmRouter>();

        using (Assert.EnterMultipleScope())
        {
            foreach (var name in PredefinedChains.Names)
            {
                Assert.That(router.GetTargets(name).Select(t => t.ToString()), Is.EqualTo(Configured(name).Targets.Select(t => t.ToString())), name);
                Assert.That(services.GetRequiredKeyedService<ILlmRouter>(name).Name, Is.EqualTo(name));
            }

            Assert.That(() => services.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
            Assert.That(router.GetTargets().Select(t => t.ProviderName), Is.EqualTo(new[] { "ollama" }), "the default route stays every provider");
        }
    }

    [Test]
    public async Task AddPredefinedChain_takes_another_name_and_changes()
    {
        using var services = FrontTestKit.Build(b => b
            .AddAnswering("ollama", isLocal: true)
            .AddPredefinedChain(PredefinedChains.LocalOnly, "default", c => c.Targets.RemoveAt(0)));
        var router = services.GetRequiredService<ILlmRouter>();

        var result = await router.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(router.GetTargets().Select(t => t.ToString()), Is.EqualTo(new[] { "ollama/qwen2.5", "vllm", "localai" }));
            Assert.That((result.Text, result.Model), Is.EqualTo(("from ollama", "qwen2.5")));
            Assert.That(services.GetRequiredService<IOptionsMonitor<FallbackChainOptions>>().Get("default").LocalOnly, Is.True);
        }
    }

    [Test]
    public void AddPredefinedChain_rejects_an_unknown_predefined_name_at_registration()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddLlmProviders(b => b.AddPredefinedChain("premium")));
    }
}
