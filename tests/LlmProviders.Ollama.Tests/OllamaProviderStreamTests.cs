using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Tests;

/// <summary>NDJSON streams: deltas, the done line, mid-stream error lines, interruptions.</summary>
public sealed class OllamaProviderStreamTests : OllamaProviderTestBase
{
    [Test]
    public async Task Final_update_carries_usage_timings_and_zero_cost()
    {
        var updates = await StreamAsync(CannedResponse.Ndjson(OllamaWire.Line("Hel"), OllamaWire.Line("lo"), OllamaWire.DoneLine(metrics: OllamaWire.Metrics(10, 17))));
        var final = updates[^1];
        Assert.That(ConcatText(updates), Is.EqualTo("Hello"));
        Assert.That(final.IsFinal, Is.True);
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(final.Usage!.InputTokenCount, Is.EqualTo(10));
        Assert.That(final.Usage.OutputTokenCount, Is.EqualTo(17));
        Assert.That(final.Usage.TotalTokenCount, Is.EqualTo(27));
        Assert.That(final.Cost, Is.EqualTo(0m));
        Assert.That((double)final.AdditionalProperties![OllamaProvider.TokensPerSecondProperty]!, Is.EqualTo(20.0).Within(1e-9));
        Assert.That(final.AdditionalProperties[OllamaProvider.LoadDurationProperty], Is.EqualTo(TimeSpan.FromMilliseconds(500)));
    }

    [Test]
    public async Task Thinking_deltas_arrive_as_reasoning_before_text()
    {
        var updates = await StreamAsync(CannedResponse.Ndjson(OllamaWire.Line(null, thinking: "Hmm"), OllamaWire.Line("Yes"), OllamaWire.DoneLine()));
        Assert.That(updates[0].ReasoningText, Is.EqualTo("Hmm"));
        Assert.That(updates[0].Text, Is.Null);
        Assert.That(updates[1].Text, Is.EqualTo("Yes"));
    }

    [Test]
    public async Task Model_not_found_error_line_is_model_not_found_with_the_pull_command()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ModelNotFoundException>(CannedResponse.Ndjson(OllamaWire.Error("model 'llama3.2' not found")), updates);
        Assert.That(ex.Message, Does.Contain("ollama pull llama3.2"));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(updates, Is.Empty);
    }

    [Test]
    public async Task Runner_error_line_after_text_is_provider_unavailable_after_the_text()
    {
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchStreamAsync<ProviderUnavailableException>(
            CannedResponse.Ndjson(OllamaWire.Line("Hello"), OllamaWire.Error("an error was encountered while running the model: CUDA error")), updates);
        Assert.That(ex.Message, Does.Contain("CUDA error"));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.ResponseBody, Does.Contain("CUDA error"));
        Assert.That(ConcatText(updates), Is.EqualTo("Hello"));
        Assert.That(updates.Any(u => u.IsFinal), Is.False);
    }

    [Test]
    public async Task Unsupported_feature_error_line_is_an_invalid_request()
    {
        var ex = await CatchStreamAsync<InvalidChatRequestException>(CannedResponse.Ndjson(OllamaWire.Error("\"gemma:2b\" does not support tools")));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public async Task Error_line_with_a_status_field_is_still_the_typed_error()
    {
        await CatchStreamAsync<ProviderUnavailableException>(CannedResponse.Ndjson(OllamaWire.Line("a"), """{"error":"unexpected server status: llm server loading model","status":500}"""));
    }

    [Test]
    public async Task End_of_body_before_done_is_interrupted_with_the_partial_text()
    {
        var ex = await CatchStreamAsync<StreamInterruptedException>(CannedResponse.Ndjson(OllamaWire.Line("Once "), OllamaWire.Line("upon")));
        Assert.That(ex.PartialText, Is.EqualTo("Once upon"));
        Assert.That(ex.UpdatesDelivered, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("done"));
    }

    [Test]
    public async Task A_garbage_line_followed_by_more_lines_is_malformed()
    {
        await CatchStreamAsync<MalformedResponseException>(CannedResponse.Ndjson(OllamaWire.Line("a"), "{not json", OllamaWire.DoneLine()));
    }

    [Test]
    public async Task Lines_after_done_are_ignored()
    {
        var updates = await StreamAsync(CannedResponse.Ndjson(OllamaWire.Line("a"), OllamaWire.DoneLine(), OllamaWire.Line("late")));
        Assert.That(ConcatText(updates), Is.EqualTo("a"));
        Assert.That(updates.Count(u => u.IsFinal), Is.EqualTo(1));
    }

    [Test]
    public async Task Html_page_answering_a_stream_is_malformed()
    {
        var ex = await CatchStreamAsync<MalformedResponseException>(CannedResponse.HtmlPage(System.Net.HttpStatusCode.OK));
        Assert.That(ex.Message, Does.Contain("HTML"));
    }

    [Test]
    public async Task Stalled_stream_is_interrupted_after_the_long_local_request_timeout()
    {
        var response = CannedResponse.Ndjson(OllamaWire.Line("Thinking slowly"), OllamaWire.DoneLine());
        Handler.Response = response;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = OllamaWire.Line("Thinking slowly").Length + 1 };
        var provider = CreateProvider();
        var updates = new List<ChatStreamUpdate>();
        await using var e = provider.StreamAsync(Ask()).GetAsyncEnumerator();
        Assert.That(await e.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)), Is.True);
        var next = e.MoveNextAsync().AsTask();
        await Handler.WaitForBodyPauseAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Time.Advance(TimeSpan.FromMinutes(29));
        Assert.That(next.IsCompleted, Is.False, "30 minutes are allowed to a local model.");
        Time.Advance(TimeSpan.FromMinutes(1));
        var ex = await CatchAsync<StreamInterruptedException>(() => next);
        Assert.That(ex.Message, Does.Contain("1800 s"));
        Assert.That(ex.PartialText, Is.EqualTo("Thinking slowly"));
    }
}
