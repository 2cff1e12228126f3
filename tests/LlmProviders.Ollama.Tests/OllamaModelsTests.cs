using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.Ollama.Tests;

/// <summary><c>/api/tags</c>, <c>/api/show</c> and <c>/api/version</c>.</summary>
public sealed class OllamaModelsTests : OllamaProviderTestBase
{
    private const string Show = """
        {"modelfile":"# Modelfile","parameters":"num_keep 24","template":"{{ .Prompt }}",
         "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"8.0B","quantization_level":"Q4_0"},
         "model_info":{"general.architecture":"llama","general.parameter_count":8030261248,"llama.attention.head_count":32,"llama.context_length":8192,"llama.embedding_length":4096,"tokenizer.ggml.tokens":[]},
         "capabilities":["completion","vision"],"modified_at":"2025-08-14T15:49:43.634137516-07:00"}
        """;

    [Test]
    public async Task Tags_list_models_with_size_parameter_count_and_quantization()
    {
        Handler.Response = CannedResponse.Json(OllamaWire.Tags(["llama3.2:latest", "qwen3:8b"]));
        var models = await CreateProvider().ListModelsAsync();

        Assert.That(Handler.LastRequest.Method, Is.EqualTo(HttpMethod.Get));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:11434/api/tags")));
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "llama3.2:latest", "qwen3:8b" }));
        var first = models[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.AdditionalProperties![OllamaProvider.SizeProperty], Is.EqualTo(2019393189L));
            Assert.That(first.AdditionalProperties[OllamaProvider.ParameterSizeProperty], Is.EqualTo("3.2B"));
            Assert.That(first.AdditionalProperties[OllamaProvider.QuantizationLevelProperty], Is.EqualTo("Q4_K_M"));
            Assert.That(first.AdditionalProperties[OllamaProvider.FamilyProperty], Is.EqualTo("llama"));
            Assert.That(first.CreatedAt, Is.EqualTo(new DateTimeOffset(2025, 5, 4, 17, 37, 44, TimeSpan.FromHours(-7)).AddTicks(7060153)));
        });
    }

    [Test]
    public async Task Server_with_no_models_lists_none()
    {
        Handler.Response = CannedResponse.Json("""{"models":[]}""");
        Assert.That(await CreateProvider().ListModelsAsync(), Is.Empty);
    }

    [Test]
    public async Task Show_gives_the_context_length_of_the_model_architecture()
    {
        Handler.Response = CannedResponse.Json(Show);
        var details = await CreateProvider().GetModelDetailsAsync("llama3.1");

        Assert.That(Handler.LastRequest.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:11434/api/show")));
        Assert.That(Handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("llama3.1"));
        Assert.That(details.Id, Is.EqualTo("llama3.1"));
        Assert.That(details.ContextWindow, Is.EqualTo(8192));
        Assert.That(details.AdditionalProperties![OllamaProvider.ParameterSizeProperty], Is.EqualTo("8.0B"));
        Assert.That(details.AdditionalProperties[OllamaProvider.CapabilitiesProperty], Is.EqualTo(new[] { "completion", "vision" }));
    }

    [Test]
    public async Task Show_of_a_model_that_is_not_pulled_says_ollama_pull()
    {
        Handler.Response = CannedResponse.Json(OllamaWire.Error("model 'mistral' not found"), HttpStatusCode.NotFound);
        var ex = await CatchAsync<ModelNotFoundException>(() => CreateProvider().GetModelDetailsAsync("mistral"));
        Assert.That(ex.Message, Does.Contain("ollama pull mistral"));
    }

    [Test]
    public async Task Health_check_asks_the_version_and_reports_it()
    {
        Handler.Response = CannedResponse.Json("""{"version":"0.5.1"}""");
        Handler.ServerLatency = TimeSpan.FromMilliseconds(30);
        var health = await CreateProvider().CheckHealthAsync();

        Assert.That(Handler.LastRequest.Method, Is.EqualTo(HttpMethod.Get));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:11434/api/version")));
        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Healthy));
        Assert.That(health.Message, Does.Contain("Ollama 0.5.1"));
        Assert.That(health.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(30)));
    }

    [Test]
    public async Task Health_check_with_an_html_answer_is_unhealthy()
    {
        Handler.Response = CannedResponse.HtmlPage(HttpStatusCode.OK);
        var health = await CreateProvider().CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
        Assert.That(health.Error, Is.TypeOf<MalformedResponseException>());
    }
}
