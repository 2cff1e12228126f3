using System;
using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Caching;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Caching;

/// <summary>The key covers everything that changes the answer, and nothing that does not.</summary>
public class ResponseCacheKeyTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement;
    private static readonly JsonElement OtherSchema = JsonDocument.Parse("""{"type":"object","properties":{"town":{"type":"string"}}}""").RootElement;

    public static IEnumerable<TestCaseData> AnswerChangingFields()
    {
        yield return Case("message text", r => r.Messages = [new ChatMessage(ChatRole.User, "bye")]);
        yield return Case("message role", r => r.Messages = [new ChatMessage(ChatRole.System, "hi")]);
        yield return Case("author name", r => r.Messages[0].AuthorName = "ann");
        yield return Case("another message", r => r.Messages.Add(new ChatMessage(ChatRole.Assistant, "hello")));
        yield return Case("tool call", r => r.Messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?> { ["city"] = "Paris" })])));
        yield return Case("tool call arguments", r => r.Messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?> { ["city"] = "Rome" })])));
        yield return Case("tool result", r => r.Messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "sunny")])));
        yield return Case("image data", r => r.Messages[0].Contents.Add(new DataContent(new byte[] { 1, 2, 3 }, "image/png")));
        yield return Case("image uri", r => r.Messages[0].Contents.Add(new UriContent(new Uri("https://example.com/cat.png"), "image/png")));
        yield return Case("reasoning", r => r.Messages.Add(new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("because")])));
        yield return Case("model", r => r.Model = "gpt-5");
        yield return Case("route", null, route: "other");
        yield return Case("pinned provider", r => r.PinnedProvider = "openai");
        yield return Case("temperature", r => r.Temperature = 0.5f);
        yield return Case("top-p", r => r.TopP = 0.9f);
        yield return Case("top-k", r => r.TopK = 40);
        yield return Case("max output tokens", r => r.MaxOutputTokens = 100);
        yield return Case("stop sequences", r => r.StopSequences = ["END"]);
        yield return Case("seed", r => r.Seed = 7);
        yield return Case("presence penalty", r => r.PresencePenalty = 0.1f);
        yield return Case("frequency penalty", r => r.FrequencyPenalty = 0.1f);
        yield return Case("tools", r => r.Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Finds a city.", Schema)]);
        yield return Case("tool description", r => r.Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Finds a town.", Schema)]);
        yield return Case("tool schema", r => r.Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Finds a city.", OtherSchema)]);
        yield return Case("tool mode", r => r.ToolMode = ChatToolMode.RequireAny);
        yield return Case("parallel tool calls", r => r.AllowParallelToolCalls = false);
        yield return Case("response format", r => r.ResponseFormat = ChatResponseFormat.Json);
        yield return Case("response schema", r => r.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "city"));
        yield return Case("reasoning effort", r => r.ReasoningEffort = ReasoningEffort.High);
        yield return Case("additional fields", r => r.AdditionalRequestFields = new Dictionary<string, JsonElement> { ["logprobs"] = JsonDocument.Parse("true").RootElement });
        yield return Case("stream", null, stream: true);
    }

    public static IEnumerable<TestCaseData> IrrelevantFields()
    {
        yield return Case("tags", r => r.Tags = new Dictionary<string, string> { ["user"] = "ann" });
        yield return Case("priority", r => r.Priority = RequestPriority.High);
        yield return Case("cache mode", r => r.CacheMode = ResponseCacheMode.Refresh);
        yield return Case("max cost", r => r.MaxCost = 0.01m);
        yield return Case("max latency", r => r.MaxLatency = TimeSpan.FromSeconds(1));
        yield return Case("allow fallback", r => r.AllowFallback = false);
        yield return Case("required capabilities", r => r.RequiredCapabilities = LlmCapabilities.Tools);
        yield return Case("stream interruption", r => r.StreamInterruption = StreamInterruptionPolicy.Restart);
    }

    [TestCaseSource(nameof(AnswerChangingFields))]
    public void A_field_that_changes_the_answer_changes_the_key(Action<ChatRequest>? change, string route, bool stream)
    {
        var changed = Base();
        change?.Invoke(changed);

        Assert.That(ResponseCacheKey.Compute(changed, route, stream), Is.Not.EqualTo(ResponseCacheKey.Compute(Base(), "default", false)));
    }

    [TestCaseSource(nameof(IrrelevantFields))]
    public void A_field_that_does_not_change_the_answer_keeps_the_key(Action<ChatRequest>? change, string route, bool stream)
    {
        var changed = Base();
        change?.Invoke(changed);

        Assert.That(ResponseCacheKey.Compute(changed, route, stream), Is.EqualTo(ResponseCacheKey.Compute(Base(), "default", false)));
    }

    [Test]
    public void Additional_fields_in_another_order_give_the_same_key()
    {
        var a = Base();
        a.AdditionalRequestFields = new Dictionary<string, JsonElement> { ["x"] = JsonDocument.Parse("1").RootElement, ["y"] = JsonDocument.Parse("2").RootElement };
        var b = Base();
        b.AdditionalRequestFields = new Dictionary<string, JsonElement> { ["y"] = JsonDocument.Parse("2").RootElement, ["x"] = JsonDocument.Parse("1").RootElement };

        Assert.That(ResponseCacheKey.Compute(a, "default", false), Is.EqualTo(ResponseCacheKey.Compute(b, "default", false)));
    }

    [Test]
    public void The_key_is_a_sha256_in_hex()
    {
        Assert.That(ResponseCacheKey.Compute(Base(), "default", false), Does.Match("^[0-9a-f]{64}$"));
    }

    private static ChatRequest Base() => new("hi");

    private static TestCaseData Case(string name, Action<ChatRequest>? change, string route = "default", bool stream = false) =>
        new TestCaseData(change, route, stream).SetArgDisplayNames(name);
}
