using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>A deployment maps to a catalog model for pricing: the configured model wins over Azure's base model name, which is kept.</summary>
public sealed class AzureOpenAIDeploymentModelTests : AzureOpenAIProviderTestBase
{
    private AzureOpenAIProvider CreateMappedProvider() => CreateProvider(o =>
    {
        o.Deployments["chat-prod"] = "gpt-4o-mini";
        o.Deployments["embed"] = "text-embedding-3-large";
        o.DefaultModel = "chat-prod";
    });

    [Test]
    public async Task Chat_result_reports_the_configured_model_and_keeps_azures_answer()
    {
        var result = await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi", model: "gpt-4o-mini-2024-07-18")), provider: CreateMappedProvider());

        Assert.That(result.Model, Is.EqualTo("gpt-4o-mini"));
        Assert.That(result.AdditionalProperties?[AzureOpenAIProvider.AnsweredModelKey], Is.EqualTo("gpt-4o-mini-2024-07-18"));
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/openai/deployments/chat-prod/chat/completions"));
    }

    [Test]
    public async Task Deployment_names_are_matched_case_insensitively_and_the_default_deployment_is_mapped()
    {
        var provider = CreateMappedProvider();
        var named = await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi", model: "gpt-4o-mini")), Ask(model: "CHAT-PROD"), provider);
        var unnamed = await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi", model: "gpt-4o-mini")), Ask(model: null), provider);

        Assert.That(named.Model, Is.EqualTo("gpt-4o-mini"));
        Assert.That(unnamed.Model, Is.EqualTo("gpt-4o-mini"));
        Assert.That(named.AdditionalProperties, Is.Null, "Azure's answer equals the catalog model: nothing to keep");
    }

    [Test]
    public async Task Unmapped_deployment_reports_azures_model()
    {
        var result = await ChatAsync(CannedResponse.Json(AzureWire.Completion("Hi", model: "gpt-35-turbo")), Ask(model: "legacy"), CreateMappedProvider());
        Assert.That(result.Model, Is.EqualTo("gpt-35-turbo"));
        Assert.That(result.AdditionalProperties, Is.Null);
    }

    [Test]
    public async Task Stream_updates_report_the_configured_model_and_the_final_one_keeps_azures_answer()
    {
        var updates = await StreamAsync(
            CannedResponse.EventStream(AzureWire.Sse([AzureWire.PromptFilterChunk(), AzureWire.TextChunk("Hi"), AzureWire.FinishChunk("stop"), AzureWire.UsageChunk()])),
            provider: CreateMappedProvider());

        Assert.That(updates.Select(u => u.Model), Is.All.EqualTo("gpt-4o-mini"));
        Assert.That(updates[^1].AdditionalProperties?[AzureOpenAIProvider.AnsweredModelKey], Is.EqualTo("conformance-model-2026-01-01"));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public async Task Embedding_result_reports_the_configured_model()
    {
        Handler.Response = CannedResponse.Json(AzureWire.Embeddings("text-embedding-3-large", (0, [0.25f, 0.5f])));
        var result = await CreateMappedProvider().EmbedAsync(new EmbeddingRequest("hello") { Model = "embed" });

        Assert.That(result.Model, Is.EqualTo("text-embedding-3-large"));
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/openai/deployments/embed/embeddings"));
    }
}
