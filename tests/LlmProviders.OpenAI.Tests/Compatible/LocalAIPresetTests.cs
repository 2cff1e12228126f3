using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests.Compatible;

/// <summary>LocalAI's quirks: usage in every chunk, chunks without choices, one id for every tool call, local and free.</summary>
public sealed class LocalAIPresetTests : CompatiblePresetTestBase
{
    private const string Id = "3f9a0c1e-6f0b-4a51-9d2c-2d7d0e8c1a11";

    private static string Chunk(string delta, string? finish, int prompt, int completion) =>
        $$$"""{"created":1735000000,"object":"chat.completion.chunk","id":"{{{Id}}}","model":"llama-3.2-1b-instruct","choices":[{"index":0,"finish_reason":{{{(finish is null ? "null" : "\"" + finish + "\"")}}},"delta":{{{delta}}}}],"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{prompt + completion}}}}}""";

    [Test]
    public async Task Usage_in_every_chunk_takes_the_last_and_never_sums()
    {
        // SUMMARY #8: zeros in the first chunk, cumulative counts after; the last one is the call's usage.
        var updates = await StreamAsync(
            Events(
                Chunk("""{"role":"assistant","content":""}""", null, 0, 0),
                Chunk("""{"content":"Hello"}""", null, 12, 1),
                Chunk("""{"content":"!"}""", null, 12, 2),
                Chunk("""{"content":""}""", "stop", 12, 2),
                "[DONE]"),
            provider: Preset(CompatiblePreset.LocalAI));

        Assert.That(ConcatText(updates), Is.EqualTo("Hello!"));
        var final = Final(updates);
        Assert.That(final.Usage!.InputTokenCount, Is.EqualTo(12));
        Assert.That(final.Usage.OutputTokenCount, Is.EqualTo(2));
        Assert.That(final.Usage.TotalTokenCount, Is.EqualTo(14));
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Chunks_without_a_choices_key_are_skipped()
    {
        // SUMMARY #7/#31: choices is omitempty in LocalAI's Go structs.
        var choiceless = $$$"""{"created":1735000000,"object":"chat.completion.chunk","id":"{{{Id}}}","model":"llama-3.2-1b-instruct","usage":{"prompt_tokens":12,"completion_tokens":0,"total_tokens":12}}""";
        var updates = await StreamAsync(
            Events(choiceless, Chunk("""{"content":"Hi"}""", null, 12, 1), choiceless.Replace("\"completion_tokens\":0,\"total_tokens\":12", "\"completion_tokens\":1,\"total_tokens\":13", StringComparison.Ordinal), Chunk("{}", "stop", 12, 1), "[DONE]"),
            provider: Preset(CompatiblePreset.LocalAI));

        Assert.That(ConcatText(updates), Is.EqualTo("Hi"));
        Assert.That(Final(updates).Usage!.OutputTokenCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Tool_calls_that_share_the_completion_id_get_ids_of_their_own()
    {
        // SUMMARY #17: LocalAI sends the completion id as every tool call's id, the name in one chunk, whole arguments in the next.
        var updates = await StreamAsync(
            Events(
                Chunk($$$"""{"tool_calls":[{"index":0,"id":"{{{Id}}}","type":"function","function":{"name":"get_weather"}}]}""", null, 0, 0),
                Chunk($$$"""{"tool_calls":[{"index":0,"id":"{{{Id}}}","type":"function","function":{"arguments":"{\"city\":\"Paris\"}"}}]}""", null, 20, 5),
                Chunk($$$"""{"tool_calls":[{"index":1,"id":"{{{Id}}}","type":"function","function":{"name":"get_time"}}]}""", null, 20, 6),
                Chunk($$$"""{"tool_calls":[{"index":1,"id":"{{{Id}}}","type":"function","function":{"arguments":"{\"timezone\":\"Europe/Paris\"}"}}]}""", null, 20, 11),
                Chunk("{}", "tool_calls", 20, 11),
                "[DONE]"),
            provider: Preset(CompatiblePreset.LocalAI));

        var calls = Final(updates).ToolCalls!;
        Assert.That(calls.Select(c => c.Name), Is.EqualTo(new[] { "get_weather", "get_time" }));
        Assert.That(calls[0].CallId, Is.EqualTo(Id));
        Assert.That(calls[1].CallId, Is.Not.EqualTo(calls[0].CallId));
        Assert.That(calls[1].Arguments!["timezone"]!.ToString(), Is.EqualTo("Europe/Paris"));
    }

    [Test]
    public async Task Tool_calls_of_a_completion_that_share_an_id_get_ids_of_their_own()
    {
        // SUMMARY #17, non-streamed.
        var body = $$$"""{"created":1735000000,"object":"chat.completion","id":"{{{Id}}}","model":"llama-3.2-1b-instruct","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":"","tool_calls":[{"index":0,"id":"{{{Id}}}","type":"function","function":{"name":"a","arguments":"{}"}},{"index":1,"id":"{{{Id}}}","type":"function","function":{"name":"b","arguments":"{}"}}]}}],"usage":{"prompt_tokens":5,"completion_tokens":5,"total_tokens":10}}""";
        var result = await ChatAsync(CannedResponse.Json(body), provider: Preset(CompatiblePreset.LocalAI));
        Assert.That(result.ToolCalls.Select(c => c.CallId).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task Error_with_integer_code_and_empty_type_is_read()
    {
        // SUMMARY #24: {"error":{"code":500,"message":…,"type":""}}.
        var body = """{"error":{"code":500,"message":"could not load model: rpc error: code = Unknown desc = failed to load model","type":""}}""";
        var ex = await CatchChatAsync<ProviderUnavailableException>(CannedResponse.Json(body, HttpStatusCode.InternalServerError), provider: Preset(CompatiblePreset.LocalAI));
        Assert.That(ex.Message, Does.Contain("could not load model"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task Local_without_key_at_the_default_url_costs_zero()
    {
        var provider = Preset(CompatiblePreset.LocalAI, o => o.ApiKey = null);
        Assert.That(provider.IsLocal, Is.True);
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.LocalAI));
        Assert.That(provider.Capabilities.HasFlag(LlmCapabilities.PromptCaching), Is.False);

        var updates = await StreamAsync(Events(Chunk("""{"content":"Hi"}""", null, 3, 1), Chunk("{}", "stop", 3, 1), "[DONE]"), provider: provider);
        Assert.That(Final(updates).Cost, Is.EqualTo(0m));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:8080/v1/chat/completions")));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.Null);
    }

    [Test]
    public async Task Lists_models_without_created_or_owner()
    {
        Handler.Response = CannedResponse.Json("""{"object":"list","data":[{"id":"llama-3.2-1b-instruct","object":"model"},{"id":"whisper-1","object":"model"}]}""");
        var models = await Preset(CompatiblePreset.LocalAI).ListModelsAsync();
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "llama-3.2-1b-instruct", "whisper-1" }));
        Assert.That(models[0].CreatedAt, Is.Null);
    }

    [Test]
    public async Task Embeds_through_the_localai_embeddings_endpoint()
    {
        Handler.Response = CannedResponse.Json("""{"created":1735000000,"object":"list","id":"e1","model":"text-embedding-ada-002","data":[{"embedding":[1.5,2.5],"index":0,"object":"embedding"}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}""");
        var result = await Preset(CompatiblePreset.LocalAI).EmbedAsync(new EmbeddingRequest("x") { Model = "text-embedding-ada-002" });
        Assert.That(result.Embeddings.Single().Vector.ToArray(), Is.EqualTo(new[] { 1.5f, 2.5f }));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:8080/v1/embeddings")));
        Assert.That(result.Cost, Is.EqualTo(0m));
    }
}
