using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests.Compatible;

/// <summary>Together AI's quirks: <c>eos</c>, usage in the last content chunk, huge seeds, a bare-array model list.</summary>
public sealed class TogetherAIPresetTests : CompatiblePresetTestBase
{
    private const string EosStream =
        """{"id":"8b43a5cfadf99e5c-SJC","object":"chat.completion.chunk","created":1723834621,"choices":[{"index":0,"text":"Hi","logprobs":null,"finish_reason":null,"seed":null,"delta":{"token_id":30,"role":"assistant","content":"Hi","tool_calls":null}}],"model":"meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo","usage":null}""";

    private const string EosFinish =
        """{"id":"8b43a5cfadf99e5c-SJC","object":"chat.completion.chunk","created":1723834621,"choices":[{"index":0,"text":" there","logprobs":null,"finish_reason":"eos","seed":2039908639335532000,"delta":{"token_id":128009,"role":"assistant","content":" there","tool_calls":null}}],"model":"meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo","usage":{"prompt_tokens":12,"completion_tokens":27,"total_tokens":39}}""";

    [Test]
    public async Task Maps_eos_finish_reason_to_stop_in_a_stream()
    {
        // SUMMARY #18: Together finishes with "eos"; #8: its usage rides in the same, last content chunk.
        var updates = await StreamAsync(Events(EosStream, EosFinish, "[DONE]"), provider: Preset(CompatiblePreset.TogetherAI));

        Assert.That(ConcatText(updates), Is.EqualTo("Hi there"));
        var final = Final(updates);
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(final.Usage!.InputTokenCount, Is.EqualTo(12));
        Assert.That(final.Usage.OutputTokenCount, Is.EqualTo(27));
        Assert.That(final.Usage.TotalTokenCount, Is.EqualTo(39));
        Assert.That(final.Model, Is.EqualTo("meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"));
        Assert.That(final.Cost, Is.Null, "a cloud preset without a reported cost leaves it to the catalog");
    }

    [Test]
    public async Task Maps_eos_finish_reason_to_stop_in_a_completion()
    {
        // SUMMARY #18.
        var body = """{"id":"8b43a5cfadf99e5c-SJC","object":"chat.completion","created":1723834621,"model":"meta-llama/Llama-3.3-70B-Instruct-Turbo","prompt":[],"choices":[{"finish_reason":"eos","seed":2039908639335532000,"logprobs":null,"index":0,"message":{"role":"assistant","content":"Hello!","tool_calls":[]}}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}""";
        var result = await ChatAsync(CannedResponse.Json(body), provider: Preset(CompatiblePreset.TogetherAI));

        Assert.That(result.Text, Is.EqualTo("Hello!"));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(result.ToolCalls, Is.Empty);
    }

    [Test]
    public async Task Reads_a_seed_above_2_pow_53_and_sends_a_large_seed_exactly()
    {
        // SUMMARY #29: 2039908639335532000 > 2^53 must neither fail nor lose digits.
        var request = Ask();
        request.Seed = 2039908639335532000;
        var updates = await StreamAsync(Events(EosStream, EosFinish, "[DONE]"), request, Preset(CompatiblePreset.TogetherAI));

        Assert.That(Final(updates).FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(Handler.LastRequest.BodyText, Does.Contain("\"seed\":2039908639335532000"));
    }

    [Test]
    public async Task Lists_models_from_a_bare_json_array()
    {
        // SUMMARY #28: Together answers GET /models with a bare array, prices as numbers.
        Handler.Response = CannedResponse.Json("""[{"id":"meta-llama/Llama-3.3-70B-Instruct-Turbo","object":"model","created":1692896905,"type":"chat","display_name":"Llama 3.3 70B","organization":"Meta","license":"llama","context_length":131072,"pricing":{"input":1.04,"output":1.04,"cached_input":0.2}},{"id":"customer/private-model","object":"model","created":1692896905,"type":"chat","organization":"customer","context_length":2048,"pricing":{"input":1,"output":1}}]""");
        var models = await Preset(CompatiblePreset.TogetherAI).ListModelsAsync();

        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "meta-llama/Llama-3.3-70B-Instruct-Turbo", "customer/private-model" }));
        Assert.That(models[0].DisplayName, Is.EqualTo("Llama 3.3 70B"));
        Assert.That(models[0].OwnedBy, Is.EqualTo("Meta"));
        Assert.That(models[0].ContextWindow, Is.EqualTo(131072));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.together.xyz/v1/models")));
    }

    [Test]
    public async Task Request_uses_bearer_max_tokens_top_k_and_stream_options()
    {
        var request = Ask(model: null);
        request.MaxOutputTokens = 256;
        request.TopK = 40;
        request.ReasoningEffort = ReasoningEffort.Low;
        await StreamAsync(Events(EosStream, EosFinish, "[DONE]"), request, Preset(CompatiblePreset.TogetherAI));

        var sent = Handler.LastRequest;
        var json = sent.Json();
        Assert.That(sent.Uri, Is.EqualTo(new Uri("https://api.together.xyz/v1/chat/completions")));
        Assert.That(sent.Header("Authorization"), Is.EqualTo("Bearer " + Key));
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo("meta-llama/Llama-3.3-70B-Instruct-Turbo"));
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(256));
        Assert.That(json.TryGetProperty("max_completion_tokens", out _), Is.False);
        Assert.That(json.GetProperty("top_k").GetInt32(), Is.EqualTo(40));
        Assert.That(json.GetProperty("reasoning_effort").GetString(), Is.EqualTo("low"));
        Assert.That(json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Embeds_through_the_together_embeddings_endpoint()
    {
        Handler.Response = CannedResponse.Json("""{"object":"list","data":[{"object":"embedding","embedding":[0.25,-0.5],"index":0}],"model":"BAAI/bge-base-en-v1.5","request_id":"8b4c-SJC"}""");
        var result = await Preset(CompatiblePreset.TogetherAI).EmbedAsync(new EmbeddingRequest("hello"));

        Assert.That(result.Embeddings[0].Vector.ToArray(), Is.EqualTo(new[] { 0.25f, -0.5f }));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://api.together.xyz/v1/embeddings")));
        Assert.That(Handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("BAAI/bge-base-en-v1.5"));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
    }

    [Test]
    public void Identity_is_together_cloud_and_without_prompt_caching()
    {
        var provider = Preset(CompatiblePreset.TogetherAI, name: "together");
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.TogetherAI));
        Assert.That(provider.IsLocal, Is.False);
        Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.Embeddings), Is.True);
        Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.PromptCaching), Is.False);
        Assert.That(provider.ToString(), Does.Contain("together").And.Not.Contain(Key[8..]));
    }

    [Test]
    public void Missing_key_is_refused_naming_the_variable()
    {
        var ex = Assert.Throws<ArgumentException>(() => Preset(CompatiblePreset.TogetherAI, o => o.ApiKey = null, "together"));
        Assert.That(ex!.Message, Does.Contain("LlmProviders:together: ApiKey is missing. Set TOGETHER_API_KEY"));
    }
}
