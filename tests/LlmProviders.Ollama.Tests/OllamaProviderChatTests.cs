using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Tests;

/// <summary>Whole (<c>"stream": false</c>) answers: text, thinking, tool calls, finish reasons, usage, timings, cost.</summary>
public sealed class OllamaProviderChatTests : OllamaProviderTestBase
{
    [Test]
    public async Task Usage_comes_from_the_done_object_with_total_as_the_sum()
    {
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("Hi", metrics: OllamaWire.Metrics(38, 45))));
        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(38));
        Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(45));
        Assert.That(result.Usage.TotalTokenCount, Is.EqualTo(83));
        Assert.That(result.Usage.CachedInputTokenCount, Is.Null);
    }

    [Test]
    public async Task Durations_and_tokens_per_second_are_reported()
    {
        // eval_count 17 over eval_duration 0.85 s = 20 tokens/s.
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("Hi", metrics: OllamaWire.Metrics(42, 17))));
        var properties = result.AdditionalProperties!;
        Assert.Multiple(() =>
        {
            Assert.That((double)properties[OllamaProvider.TokensPerSecondProperty]!, Is.EqualTo(20.0).Within(1e-9));
            Assert.That(properties[OllamaProvider.TotalDurationProperty], Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(properties[OllamaProvider.LoadDurationProperty], Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(properties[OllamaProvider.PromptEvalDurationProperty], Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(properties[OllamaProvider.EvalDurationProperty], Is.EqualTo(TimeSpan.FromMilliseconds(850)));
        });
    }

    [Test]
    public async Task Tokens_per_second_is_absent_when_nothing_was_generated()
    {
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("", metrics: OllamaWire.Metrics(12, null))));
        Assert.That(result.AdditionalProperties!.ContainsKey(OllamaProvider.TokensPerSecondProperty), Is.False);
    }

    [Test]
    public async Task Local_answers_cost_zero_by_default()
    {
        var provider = CreateProvider();
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("Hi")), provider: provider);
        Assert.That(result.Cost, Is.EqualTo(0m));
        Assert.That(result.IsCostKnown, Is.True);
        Assert.That(provider.IsLocal, Is.True);
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Ollama));
    }

    [Test]
    public async Task Cost_is_unknown_when_zero_cost_reporting_is_off()
    {
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("Hi")), provider: CreateProvider(o => o.ReportZeroCost = false));
        Assert.That(result.Cost, Is.Null);
    }

    [Test]
    public async Task Thinking_comes_back_as_reasoning_content_before_the_text()
    {
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("42.", thinking: "Six times seven.")));
        Assert.That(result.ReasoningText, Is.EqualTo("Six times seven."));
        Assert.That(result.Text, Is.EqualTo("42."));
        Assert.That(result.Message.Contents[0], Is.TypeOf<TextReasoningContent>());
    }

    [Test]
    public async Task Tool_call_ids_given_by_newer_servers_are_kept()
    {
        var calls = """[{"id":"call_abc","function":{"index":0,"name":"get_weather","arguments":{"city":"Tokyo"}}}]""";
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("", toolCalls: calls)));
        Assert.That(result.ToolCalls.Single().CallId, Is.EqualTo("call_abc"));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
    }

    [Test]
    public async Task Tool_call_without_arguments_has_empty_arguments()
    {
        var calls = """[{"function":{"name":"get_time"}}]""";
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("", toolCalls: calls)));
        var call = result.ToolCalls.Single();
        Assert.That(call.Exception, Is.Null);
        Assert.That(call.Arguments, Is.Empty);
    }

    [Test]
    public async Task Answer_cut_by_num_predict_finishes_with_length()
    {
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("Once upon a", "length")));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Length));
    }

    [Test]
    public async Task Response_model_is_reported_and_there_is_no_response_id()
    {
        var result = await ChatAsync(CannedResponse.Json(OllamaWire.Chat("Hi", model: "llama3.2:latest")));
        Assert.That(result.Model, Is.EqualTo("llama3.2:latest"));
        Assert.That(result.ResponseId, Is.Null);
        Assert.That(result.ProviderName, Is.EqualTo("ollama"));
    }

    [Test]
    public async Task Whole_response_without_done_is_malformed()
    {
        var body = """{"model":"llama3.2","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"Hi"},"done":false}""";
        var ex = await CatchChatAsync<MalformedResponseException>(CannedResponse.Json(body));
        Assert.That(ex.Message, Does.Contain("done"));
    }

    [Test]
    public async Task Error_object_in_a_200_body_is_the_typed_error()
    {
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(OllamaWire.Error("model 'llama3.2' not found")));
        Assert.That(ex.Message, Does.Contain("ollama pull llama3.2"));
    }
}
