using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Simulation;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Interop;

/// <summary>Through both adapters: a provider → IChatClient → provider, and an IChatClient → provider → IChatClient, lose nothing a user sees.</summary>
public sealed class RoundTripTests
{
    [Test]
    public async Task A_provider_through_both_adapters_answers_as_itself()
    {
        var simulated = new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "Round and round", InputPricePerMillionTokens = 2_000_000m, OutputPricePerMillionTokens = 4_000_000m }, "sim");
        var roundTrip = simulated.AsIChatClient().AsLlmProvider("again");

        var direct = await simulated.ChatAsync(new ChatRequest("hi"));
        var through = await roundTrip.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(through.Text, Is.EqualTo(direct.Text));
            Assert.That((through.Model, through.FinishReason), Is.EqualTo((direct.Model, direct.FinishReason)));
            Assert.That((through.Usage!.InputTokenCount, through.Usage.OutputTokenCount), Is.EqualTo((direct.Usage!.InputTokenCount, direct.Usage.OutputTokenCount)));
            Assert.That(through.Cost, Is.EqualTo(direct.Cost).And.GreaterThan(0m), "the inner cost travels back");
            Assert.That(through.ProviderName, Is.EqualTo("again"));
        }
    }

    [Test]
    public async Task A_provider_stream_through_both_adapters_keeps_text_usage_and_cost()
    {
        var simulated = new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "one two three", InputPricePerMillionTokens = 1_000_000m, OutputPricePerMillionTokens = 1_000_000m }, "sim");
        var roundTrip = simulated.AsIChatClient().AsLlmProvider("again");

        var direct = await Collect(simulated.StreamAsync(new ChatRequest("hi")));
        var through = await Collect(roundTrip.StreamAsync(new ChatRequest("hi")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Concat(through.Select(u => u.Text)), Is.EqualTo(string.Concat(direct.Select(u => u.Text))).And.EqualTo("one two three"));
            Assert.That(through.Count(u => u.IsFinal), Is.EqualTo(1));
            Assert.That(through[^1].Usage!.TotalTokenCount, Is.EqualTo(direct[^1].Usage!.TotalTokenCount));
            Assert.That((through[^1].Cost, through[^1].FinishReason), Is.EqualTo((direct[^1].Cost, direct[^1].FinishReason)));
        }
    }

    [Test]
    public async Task Routing_fields_survive_a_trip_through_IChatClient()
    {
        var inner = new CannedProvider();
        var roundTrip = inner.AsIChatClient().AsLlmProvider("again");
        var request = new ChatRequest("hi")
        {
            RouteName = "fast", PinnedProvider = "openai", Priority = RequestPriority.Low, AllowFallback = false, MaxCost = 0.01m,
            MaxLatency = TimeSpan.FromSeconds(2), CacheMode = ResponseCacheMode.Refresh, StreamInterruption = StreamInterruptionPolicy.Continue,
            RequiredCapabilities = LlmCapabilities.Tools, RoutingStrategy = LlmProviders.Routing.RoutingStrategyKind.Latency,
            Tags = new Dictionary<string, string> { ["feature"] = "search" },
        };

        await roundTrip.ChatAsync(request);

        var seen = inner.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((seen.RouteName, seen.PinnedProvider, seen.Priority, seen.AllowFallback, seen.MaxCost), Is.EqualTo((request.RouteName, request.PinnedProvider, request.Priority, request.AllowFallback, request.MaxCost)));
            Assert.That((seen.MaxLatency, seen.CacheMode, seen.StreamInterruption), Is.EqualTo((request.MaxLatency, request.CacheMode, request.StreamInterruption)));
            Assert.That((seen.RequiredCapabilities, seen.RoutingStrategy), Is.EqualTo((request.RequiredCapabilities, request.RoutingStrategy)));
            Assert.That(seen.Tags, Is.EquivalentTo(request.Tags));
        }
    }

    [Test]
    public async Task A_client_through_both_adapters_keeps_tools_usage_and_finish_reason()
    {
        var call = new FunctionCallContent("call-1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" });
        var client = new TestChatClient
        {
            Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Let me check."), call]))
            {
                FinishReason = ChatFinishReason.ToolCalls,
                ModelId = "m",
                Usage = new UsageDetails { InputTokenCount = 9, OutputTokenCount = 3, TotalTokenCount = 12, ReasoningTokenCount = 1 },
            },
        };
        using var roundTrip = client.AsLlmProvider("mine").AsIChatClient();

        var response = await roundTrip.GetResponseAsync([new ChatMessage(ChatRole.User, "Weather?")], new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => "sunny", "weather")] });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Text, Is.EqualTo("Let me check."));
            Assert.That(response.Messages.Single().Contents.OfType<FunctionCallContent>().Single(), Is.SameAs(call));
            Assert.That((response.FinishReason, response.ModelId), Is.EqualTo(((ChatFinishReason?)ChatFinishReason.ToolCalls, "m")));
            Assert.That((response.Usage!.TotalTokenCount, response.Usage.ReasoningTokenCount), Is.EqualTo(((long?)12, (long?)1)));
            Assert.That(client.Calls.Single().Options!.Tools!.Single().Name, Is.EqualTo("weather"));
            Assert.That(response.AdditionalProperties![LlmInteropPropertyNames.ProviderName], Is.EqualTo("mine"));
        }
    }

    [Test]
    public async Task A_client_stream_through_both_adapters_keeps_usage_content()
    {
        var client = new TestChatClient();
        using var roundTrip = client.AsLlmProvider("mine").AsIChatClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in roundTrip.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Text, Is.EqualTo("Hello world"));
            Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details.TotalTokenCount, Is.EqualTo(12));
        }
    }

    [Test]
    public void A_client_error_through_both_adapters_is_typed()
    {
        using var roundTrip = new TestChatClient { Failure = new HttpRequestException("busy", null, HttpStatusCode.TooManyRequests) }.AsLlmProvider("mine").AsIChatClient();

        var thrown = Assert.ThrowsAsync<RateLimitedException>(() => roundTrip.GetResponseAsync("hi"));

        Assert.That((thrown!.ProviderName, thrown.IsTransient), Is.EqualTo(("mine", true)));
    }

    private static async Task<List<ChatStreamUpdate>> Collect(IAsyncEnumerable<ChatStreamUpdate> stream)
    {
        var list = new List<ChatStreamUpdate>();
        await foreach (var update in stream)
        {
            list.Add(update);
        }

        return list;
    }
}
