using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;
using static LlmProviders.Mistral.Tests.MistralWire;

namespace LlmProviders.Mistral.Tests.Costs;

/// <summary>What Mistral results cost (SPEC C2): input and output at their prices, embeddings by their input tokens.</summary>
public sealed class MistralProviderCostTests : MistralProviderTestBase
{
    [Test]
    public async Task Input_and_output_are_charged_at_the_model_price()
    {
        // mistral-large-latest: $2.00 input, $6.00 output per million; 3,000 input + 1,000 output = $0.006 + $0.006.
        var catalog = new TestModelCatalog().Add(LlmProviderKinds.Mistral, "mistral-large-latest", new ModelPrice { Input = 2.00m, Output = 6.00m });

        var result = await ChatAsync(CannedResponse.Json(Completion("Hi", usage: Usage(3000, 1000, 4000), model: "mistral-large-latest")), provider: Provider(catalog));

        Assert.That(result.Cost, Is.EqualTo(0.012m));
    }

    [Test]
    public async Task Embeddings_are_priced_by_their_input_tokens()
    {
        // mistral-embed: $0.10 per million input tokens; 5,000 tokens = $0.0005.
        var catalog = new TestModelCatalog().Add(LlmProviderKinds.Mistral, "mistral-embed", new ModelPrice { Input = 0.10m });
        Handler.Response = CannedResponse.Json(
            """{"id":"emb-1","object":"list","data":[{"object":"embedding","embedding":[0.5,0.25],"index":0}],"model":"mistral-embed","usage":{"prompt_tokens":5000,"total_tokens":5000,"completion_tokens":0}}""");

        var result = await Provider(catalog).EmbedAsync(new EmbeddingRequest("hello") { Model = "mistral-embed" }).WaitAsync(HangTimeout);

        Assert.That(result.Cost, Is.EqualTo(0.0005m));
    }

    private MistralProvider Provider(TestModelCatalog catalog) =>
        new(new MistralProviderOptions { ApiKey = Key }, new HttpClient(Handler), "mistral", Time, null, new MistralEnvironment(_ => null), new CostCalculator(catalog));
}
