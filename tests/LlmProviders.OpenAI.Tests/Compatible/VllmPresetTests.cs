using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests.Compatible;

/// <summary>vLLM's quirks: <c>reasoning_content</c>, <c>stop_reason</c>, legacy and string error shapes, local and free.</summary>
public sealed class VllmPresetTests : CompatiblePresetTestBase
{
    private const string Text = """{"id":"chatcmpl-1f2e3d","object":"chat.completion.chunk","created":1735000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"Bonjour"},"logprobs":null,"finish_reason":null}]}""";
    private const string Finish = """{"id":"chatcmpl-1f2e3d","object":"chat.completion.chunk","created":1735000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}""";
    private const string Usage = """{"id":"chatcmpl-1f2e3d","object":"chat.completion.chunk","created":1735000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[],"usage":{"prompt_tokens":180,"total_tokens":201,"completion_tokens":21,"prompt_tokens_details":null}}""";

    [Test]
    public async Task Reasoning_content_deltas_become_reasoning_updates()
    {
        // SUMMARY #12: vLLM's reasoning parsers stream delta.reasoning_content.
        var thinking = """{"id":"chatcmpl-1f2e3d","object":"chat.completion.chunk","created":1735000000,"model":"Qwen/QwQ-32B","choices":[{"index":0,"delta":{"reasoning_content":"Let me think."},"logprobs":null,"finish_reason":null}]}""";
        var updates = await StreamAsync(Events(thinking, Text, Finish, Usage, "[DONE]"), provider: Preset(CompatiblePreset.Vllm));

        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo("Let me think."));
        Assert.That(ConcatText(updates), Is.EqualTo("Bonjour"));
        var final = Final(updates);
        Assert.That(final.Usage!.InputTokenCount, Is.EqualTo(180));
        Assert.That(final.Usage.CachedInputTokenCount, Is.Null, "prompt_tokens_details: null");
    }

    [Test]
    public async Task Reasoning_content_of_a_completion_is_reasoning()
    {
        // SUMMARY #12, #31: stop_reason, prompt_logprobs and kv_transfer_params are extra fields.
        var body = """{"id":"chatcmpl-9","object":"chat.completion","created":1735000000,"model":"Qwen/QwQ-32B","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"Two plus two.","content":"4","tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":10,"total_tokens":15,"completion_tokens":5,"prompt_tokens_details":null},"prompt_logprobs":null,"kv_transfer_params":null}""";
        var result = await ChatAsync(CannedResponse.Json(body), provider: Preset(CompatiblePreset.Vllm));

        Assert.That(result.Text, Is.EqualTo("4"));
        Assert.That(result.ReasoningText, Is.EqualTo("Two plus two."));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Tool_call_whose_first_delta_has_no_arguments_is_assembled()
    {
        var start = """{"id":"chatcmpl-1f2e3d","object":"chat.completion.chunk","created":1735000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"tool_calls":[{"id":"chatcmpl-tool-5c0a7e1b9f1d4e7b","type":"function","index":0,"function":{"name":"get_weather"}}]},"logprobs":null,"finish_reason":null}]}""";
        var a1 = """{"id":"chatcmpl-1f2e3d","object":"chat.completion.chunk","created":1735000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \""}}]},"logprobs":null,"finish_reason":null}]}""";
        var a2 = """{"id":"chatcmpl-1f2e3d","object":"chat.completion.chunk","created":1735000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"Paris\"}"}}]},"logprobs":null,"finish_reason":null}]}""";
        var finish = """{"id":"chatcmpl-1f2e3d","object":"chat.completion.chunk","created":1735000000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"tool_calls","stop_reason":null}]}""";
        var updates = await StreamAsync(Events(start, a1, a2, finish, Usage, "[DONE]"), provider: Preset(CompatiblePreset.Vllm));

        var call = Final(updates).ToolCalls!.Single();
        Assert.That(call.CallId, Is.EqualTo("chatcmpl-tool-5c0a7e1b9f1d4e7b"));
        Assert.That(call.Name, Is.EqualTo("get_weather"));
        Assert.That(call.Arguments!["city"]!.ToString(), Is.EqualTo("Paris"));
        Assert.That(Final(updates).FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
    }

    [Test]
    public async Task Legacy_flat_error_404_is_model_not_found()
    {
        // SUMMARY #24: vLLM ≤ 0.8 answered with a flat {"object":"error",…,"code":404}.
        var body = """{"object":"error","message":"The model `model` does not exist.","type":"NotFoundError","param":null,"code":404}""";
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(body, HttpStatusCode.NotFound), provider: Preset(CompatiblePreset.Vllm));

        Assert.That(ex.Message, Does.Contain("The model `model` does not exist."));
        Assert.That(ex.ErrorType, Is.EqualTo("NotFoundError"));
        Assert.That(ex.ErrorCode, Is.EqualTo("404"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Nested_error_with_integer_code_is_read()
    {
        // SUMMARY #24: the current shape, code an integer.
        var body = """{"error":{"message":"The model `model` does not exist.","type":"NotFoundError","param":null,"code":404}}""";
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(body, HttpStatusCode.NotFound), provider: Preset(CompatiblePreset.Vllm));
        Assert.That(ex.ErrorCode, Is.EqualTo("404"));
    }

    [Test]
    public async Task String_error_401_is_an_authentication_failure()
    {
        // SUMMARY #24: vLLM's --api-key middleware answers {"error":"Unauthorized"}.
        var ex = await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json("""{"error":"Unauthorized"}""", HttpStatusCode.Unauthorized), provider: Preset(CompatiblePreset.Vllm));
        Assert.That(ex.Message, Does.Contain("Unauthorized"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Mid_stream_error_event_is_a_typed_failure()
    {
        // SUMMARY #23: data: {"error":{…,"code":500}} after HTTP 200.
        var error = """{"error":{"message":"EngineCore encountered an issue.","type":"InternalServerError","param":null,"code":500}}""";
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ProviderUnavailableException>(Events(Text, error), updates, provider: Preset(CompatiblePreset.Vllm));
        Assert.That(ex.Message, Does.Contain("EngineCore encountered an issue."));
        Assert.That(ConcatText(updates), Is.EqualTo("Bonjour"));
    }

    [Test]
    public async Task Mid_stream_error_with_code_400_is_an_invalid_request()
    {
        var error = """{"error":{"message":"This model's maximum context length is 4096 tokens.","type":"BadRequestError","param":null,"code":400}}""";
        await CatchStreamAsync<ContextLengthExceededException>(Events(error), provider: Preset(CompatiblePreset.Vllm));
        var other = """{"error":{"message":"temperature must be positive","type":"BadRequestError","param":null,"code":400}}""";
        await CatchStreamAsync<InvalidChatRequestException>(Events(other), provider: Preset(CompatiblePreset.Vllm));
    }

    [Test]
    public async Task Local_results_cost_zero()
    {
        var provider = Preset(CompatiblePreset.Vllm, o => o.ApiKey = null);
        Assert.That(provider.IsLocal, Is.True);
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Vllm));

        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: provider);
        Assert.That(result.Cost, Is.EqualTo(0m));
        var updates = await StreamAsync(Events(Text, Finish, Usage, "[DONE]"), provider: provider);
        Assert.That(Final(updates).Cost, Is.EqualTo(0m));
    }

    [Test]
    public async Task A_remote_vllm_marked_not_local_leaves_the_cost_unknown()
    {
        var provider = Preset(CompatiblePreset.Vllm, o => o.IsLocal = false);
        Assert.That(provider.IsLocal, Is.False);
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: provider);
        Assert.That(result.Cost, Is.Null);
    }

    [Test]
    public async Task Without_a_key_sends_no_authorization_header_and_the_served_model()
    {
        var request = Ask(model: null);
        request.TopK = 20;
        request.MaxOutputTokens = 64;
        await StreamAsync(Events(Text, Finish, Usage, "[DONE]"), request, Preset(CompatiblePreset.Vllm, o => o.ApiKey = null));

        var sent = Handler.LastRequest;
        var json = sent.Json();
        Assert.That(sent.Uri, Is.EqualTo(new Uri("http://localhost:8000/v1/chat/completions")));
        Assert.That(sent.Header("Authorization"), Is.Null);
        Assert.That(json.GetProperty("model").GetString(), Is.Empty, "vLLM answers an empty model with the one it serves");
        Assert.That(json.GetProperty("top_k").GetInt32(), Is.EqualTo(20));
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(64));
        Assert.That(json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean(), Is.True);
    }

    [Test]
    public async Task With_a_key_sends_bearer()
    {
        await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: Preset(CompatiblePreset.Vllm));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer " + Key));
    }

    [Test]
    public async Task A_base_url_without_a_path_gets_v1()
    {
        await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: Preset(CompatiblePreset.Vllm, o => o.BaseUrl = new Uri("http://gpu-box:8000")));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://gpu-box:8000/v1/chat/completions")));
    }

    [Test]
    public async Task Embeds_through_the_vllm_embeddings_endpoint_at_zero_cost()
    {
        Handler.Response = CannedResponse.Json("""{"id":"embd-1","object":"list","created":1735000000,"model":"BAAI/bge-m3","data":[{"index":0,"object":"embedding","embedding":[0.1,0.2,0.3]},{"index":1,"object":"embedding","embedding":[0.4,0.5,0.6]}],"usage":{"prompt_tokens":6,"total_tokens":6,"completion_tokens":0,"prompt_tokens_details":null}}""");
        var result = await Preset(CompatiblePreset.Vllm).EmbedAsync(new EmbeddingRequest(["a", "b"]) { Model = "BAAI/bge-m3" });

        Assert.That(result.Embeddings, Has.Count.EqualTo(2));
        Assert.That(result.Embeddings[1].Vector.ToArray(), Is.EqualTo(new[] { 0.4f, 0.5f, 0.6f }));
        Assert.That(result.Cost, Is.EqualTo(0m));
        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(6));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:8000/v1/embeddings")));
        Assert.That(Handler.LastRequest.Json().GetProperty("model").GetString(), Is.EqualTo("BAAI/bge-m3"));
    }

    [Test]
    public async Task Lists_models_with_max_model_len()
    {
        Handler.Response = CannedResponse.Json("""{"object":"list","data":[{"id":"meta-llama/Llama-2-7b-chat-hf","object":"model","created":1710926036,"owned_by":"vllm","root":"meta-llama/Llama-2-7b-chat-hf","parent":null,"max_model_len":4096,"permission":[{"id":"modelperm-7f7d","object":"model_permission","created":1710926036,"allow_create_engine":false,"allow_sampling":true,"allow_logprobs":true,"allow_search_indices":false,"allow_view":true,"allow_fine_tuning":false,"organization":"*","group":null,"is_blocking":false}]}]}""");
        var models = await Preset(CompatiblePreset.Vllm).ListModelsAsync();
        Assert.That(models.Single().Id, Is.EqualTo("meta-llama/Llama-2-7b-chat-hf"));
        Assert.That(models.Single().ContextWindow, Is.EqualTo(4096));
        Assert.That(models.Single().OwnedBy, Is.EqualTo("vllm"));
    }
}
