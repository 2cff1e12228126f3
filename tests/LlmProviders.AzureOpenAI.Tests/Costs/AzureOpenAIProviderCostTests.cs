using System;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;

namespace LlmProviders.AzureOpenAI.Tests.Costs;

/// <summary>What Azure OpenAI results cost (SPEC C2): a deployment is priced as the catalog model it maps to.</summary>
public sealed class AzureOpenAIProviderCostTests : AzureOpenAIProviderTestBase
{
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
    private static readonly ModelPrice Mini = new() { Input = 0.15m, CachedInput = 0.075m, Output = 0.60m };

    // 1,000 input of which 400 cached; 500 output of which 100 reasoning.
    private static readonly string MiniUsage = AzureWire.Usage(prompt: 1000, completion: 500, total: 1500, cached: 400, reasoning: 100);

    // 600 × $0.15 + 400 × $0.075 + 500 × $0.60 = $0.00009 + $0.00003 + $0.00030.
    private const decimal MiniCost = 0.00042m;

    [Test]
    public async Task A_mapped_deployment_is_priced_as_its_catalog_model()
    {
        // Azure answers with a dated name the catalog does not list: the deployment's catalog model prices the call.
        var result = await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi", usage: MiniUsage, model: "gpt-4o-mini-2024-07-18")), provider: Mapped());

        Assert.That(result.Model, Is.EqualTo("gpt-4o-mini"));
        Assert.That(result.Cost, Is.EqualTo(MiniCost));
    }

    [Test]
    public async Task The_final_stream_update_of_a_mapped_deployment_is_priced_as_its_catalog_model()
    {
        var updates = await StreamAsync(
            CannedResponse.EventStream(AzureWire.Sse([AzureWire.PromptFilterChunk(), AzureWire.TextChunk("Hi"), AzureWire.FinishChunk("stop"), AzureWire.UsageChunk(MiniUsage)])),
            provider: Mapped());

        Assert.That(updates[^1].IsFinal, Is.True);
        Assert.That(updates[^1].Cost, Is.EqualTo(MiniCost));
    }

    [Test]
    public async Task An_unmapped_deployment_is_priced_as_the_model_azure_answered_with()
    {
        var result = await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi", usage: MiniUsage, model: "gpt-4o-mini")), Ask(model: "legacy"), Mapped());

        Assert.That(result.Cost, Is.EqualTo(MiniCost));
    }

    [Test]
    public async Task A_deployment_whose_model_the_catalog_does_not_know_has_an_unknown_cost()
    {
        var result = await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi", usage: MiniUsage, model: "gpt-4o-mini-2024-07-18")), Ask(model: "legacy"), Mapped());

        Assert.That(result.Cost, Is.Null);
        Assert.That(result.IsCostKnown, Is.False);
    }

    private AzureOpenAIProvider Mapped()
    {
        var options = new AzureOpenAIProviderOptions { ApiKey = Key, BaseUrl = new Uri(AzureWire.Endpoint) };
        options.Deployments[Deployment] = "gpt-4o-mini";
        var catalog = new TestModelCatalog().Add(LlmProviderKinds.AzureOpenAI, "gpt-4o-mini", Mini);
        return new AzureOpenAIProvider(options, new HttpClient(Handler), "azure-openai", Time, null, new AzureOpenAIEnvironment(_ => null), new CostCalculator(catalog));
    }
}
