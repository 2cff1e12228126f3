using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Interop;

/// <summary>Any provider, and the router, as a Microsoft.Extensions.AI <see cref="IChatClient"/> (SPEC RT8).</summary>
public sealed class ProviderAsChatClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_simulated_answer_reads_as_a_ChatResponse()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "Hi there", InputPricePerMillionTokens = 1_000_000m, OutputPricePerMillionTokens = 1_000_000m }, "sim");
        using var client = provider.AsIChatClient(new ManualTimeProvider(Now));

        var response = await client.GetResponseAsync("Say hi");

        var result = (ChatResult)response.RawRepresentation!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Text, Is.EqualTo("Hi there"));
            Assert.That(response.Messages.Single().Role, Is.EqualTo(ChatRole.Assistant));
            Assert.That(response.ModelId, Is.EqualTo("sim-1"));
            Assert.That(response.ResponseId, Is.EqualTo(result.ResponseId).And.Not.Null);
            Assert.That(response.CreatedAt, Is.EqualTo(Now));
            Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(result.Usage!.InputTokenCount).And.GreaterThan(0));
            Assert.That(response.Usage.OutputTokenCount, Is.EqualTo(result.Usage.OutputTokenCount).And.GreaterThan(0));
            Assert.That(response.AdditionalProperties![LlmInteropPropertyNames.ProviderName], Is.EqualTo("sim"));
            Assert.That(response.AdditionalProperties[LlmInteropPropertyNames.Cost], Is.EqualTo(result.Cost).And.GreaterThan(0m));
        }
    }

    [Test]
    public async Task Every_ChatOptions_field_reaches_the_request()
    {
        var provider = new CannedProvider();
        using var client = provider.AsIChatClient();
        var tool = AIFunctionFactory.Create((string city) => "sunny", "weather");
        var schema = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object"}""").RootElement, "answer");
        var options = new ChatOptions
        {
            Instructions = "Be brief.",
            ModelId = "m-1",
            Temperature = 0.3f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 100,
            StopSequences = ["END"],
            Seed = 7,
            PresencePenalty = 0.1f,
            FrequencyPenalty = 0.2f,
            Tools = [tool],
            ToolMode = ChatToolMode.RequireSpecific("weather"),
            AllowMultipleToolCalls = false,
            ResponseFormat = schema,
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High },
        };

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Weather?")], options);

        var request = provider.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Messages.Select(m => (m.Role, m.Text)), Is.EqualTo(new[] { (ChatRole.System, "Be brief."), (ChatRole.User, "Weather?") }));
            Assert.That((request.Model, request.Temperature, request.TopP, request.TopK, request.MaxOutputTokens, request.Seed), Is.EqualTo(("m-1", 0.3f, 0.9f, 40, 100, 7L)));
            Assert.That((request.PresencePenalty, request.FrequencyPenalty), Is.EqualTo((0.1f, 0.2f)));
            Assert.That(request.StopSequences, Is.EqualTo(new[] { "END" }));
            Assert.That(request.Tools, Is.EqualTo(new AITool[] { tool }));
            Assert.That(request.ToolMode, Is.EqualTo(ChatToolMode.RequireSpecific("weather")));
            Assert.That(request.AllowParallelToolCalls, Is.False);
            Assert.That(request.ResponseFormat, Is.SameAs(schema));
            Assert.That(request.ReasoningEffort, Is.EqualTo(ReasoningEffort.High));
        }
    }

    [Test]
    public async Task Routing_fields_travel_as_documented_additional_properties()
    {
        var provider = new CannedProvider();
        using var client = provider.AsIChatClient();
        var options = new ChatOptions
        {
            AdditionalProperties = new()
            {
                [LlmInteropPropertyNames.RouteName] = "code_generation",
                [LlmInteropPropertyNames.PinnedProvider] = "openai",
                [LlmInteropPropertyNames.RequiredCapabilities] = "Tools, Vision",
                [LlmInteropPropertyNames.Priority] = RequestPriority.High,
                [LlmInteropPropertyNames.AllowFallback] = "false",
                [LlmInteropPropertyNames.MaxCost] = 0.05,
                [LlmInteropPropertyNames.MaxLatency] = "00:00:05",
                [LlmInteropPropertyNames.CacheMode] = ResponseCacheMode.Bypass,
                [LlmInteropPropertyNames.StreamInterruption] = "restart",
                [LlmInteropPropertyNames.RoutingStrategy] = RoutingStrategyKind.LeastCost,
                [LlmInteropPropertyNames.Tags] = new Dictionary<string, string> { ["workspace"] = "w-1" },
                [LlmInteropPropertyNames.TagPrefix + "user"] = "ada",
                ["logprobs"] = true,
                ["service_tier"] = JsonDocument.Parse("\"flex\"").RootElement,
            },
        };

        await client.GetResponseAsync("hi", options);

        var request = provider.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((request.RouteName, request.PinnedProvider), Is.EqualTo(("code_generation", "openai")));
            Assert.That(request.RequiredCapabilities, Is.EqualTo(LlmCapabilities.Tools | LlmCapabilities.Vision));
            Assert.That((request.Priority, request.AllowFallback, request.MaxCost), Is.EqualTo((RequestPriority.High, (bool?)false, (decimal?)0.05m)));
            Assert.That(request.MaxLatency, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That((request.CacheMode, request.StreamInterruption, request.RoutingStrategy), Is.EqualTo((ResponseCacheMode.Bypass, StreamInterruptionPolicy.Restart, (RoutingStrategyKind?)RoutingStrategyKind.LeastCost)));
            Assert.That(request.Tags, Is.EquivalentTo(new Dictionary<string, string> { ["workspace"] = "w-1", ["user"] = "ada" }));
            Assert.That(request.AdditionalRequestFields!.Keys, Is.EquivalentTo(new[] { "logprobs", "service_tier" }));
            Assert.That(request.AdditionalRequestFields["logprobs"].GetBoolean(), Is.True);
            Assert.That(request.AdditionalRequestFields["service_tier"].GetString(), Is.EqualTo("flex"));
        }
    }

    [Test]
    public void A_routing_property_of_the_wrong_shape_is_an_invalid_request_naming_the_key()
    {
        using var client = new CannedProvider().AsIChatClient();

        var thrown = Assert.ThrowsAsync<InvalidChatRequestException>(() => client.GetResponseAsync("hi", new ChatOptions { AdditionalProperties = new() { [LlmInteropPropertyNames.Priority] = "urgent" } }));

        Assert.That(thrown!.Message, Does.Contain("\"llm.priority\"").And.Contain("urgent").And.Contain("High"));
    }

    [Test]
    public async Task A_ChatRequest_from_RawRepresentationFactory_is_the_starting_point()
    {
        var provider = new CannedProvider();
        using var client = provider.AsIChatClient();
        var raw = new ChatRequest { MaxLatency = TimeSpan.FromSeconds(2), Temperature = 0.1f, RouteName = "fast" };

        await client.GetResponseAsync("hi", new ChatOptions { RawRepresentationFactory = _ => raw, Temperature = 0.5f });

        var request = provider.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((request.MaxLatency, request.RouteName, request.Temperature), Is.EqualTo(((TimeSpan?)TimeSpan.FromSeconds(2), "fast", (float?)0.5f)));
            Assert.That(request.Messages.Single().Text, Is.EqualTo("hi"));
            Assert.That(raw.Temperature, Is.EqualTo(0.1f), "the caller's request is not mutated");
        }
    }

    [Test]
    public async Task Tool_calls_and_every_usage_count_reach_the_response()
    {
        var call = new FunctionCallContent("call-1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" });
        var usage = new UsageDetails
        {
            InputTokenCount = 100, OutputTokenCount = 30, TotalTokenCount = 130, CachedInputTokenCount = 60, ReasoningTokenCount = 20,
            AdditionalCounts = new() { [UsageCounts.CacheWriteInputTokens] = 15 },
        };
        var provider = new CannedProvider { Result = _ => new ChatResult(new ChatMessage(ChatRole.Assistant, [call])) { FinishReason = ChatFinishReason.ToolCalls, Usage = usage } };
        using var client = provider.AsIChatClient();

        var response = await client.GetResponseAsync("Weather in Oslo?");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Messages.Single().Contents.OfType<FunctionCallContent>().Single(), Is.SameAs(call));
            Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
            Assert.That((response.Usage!.CachedInputTokenCount, response.Usage.ReasoningTokenCount), Is.EqualTo(((long?)60, (long?)20)));
            Assert.That(response.Usage.AdditionalCounts![UsageCounts.CacheWriteInputTokens], Is.EqualTo(15));
        }
    }

    [Test]
    public async Task A_stream_reads_as_updates_with_usage_content_and_a_finish_reason()
    {
        var call = new FunctionCallContent("call-1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" });
        var provider = new CannedProvider
        {
            Updates =
            [
                new ChatStreamUpdate { ReasoningText = "thinking", ResponseId = "r-1", Model = "m" },
                new ChatStreamUpdate { Text = "Hel", ResponseId = "r-1", Model = "m" },
                new ChatStreamUpdate { Text = "lo", ResponseId = "r-1", Model = "m" },
                new ChatStreamUpdate { ToolCalls = [call], ResponseId = "r-1", Model = "m" },
                new ChatStreamUpdate
                {
                    IsFinal = true, FinishReason = ChatFinishReason.ToolCalls, Cost = 0.5m, ProviderName = "canned", ResponseId = "r-1", Model = "m",
                    Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 7, TotalTokenCount = 12 },
                },
            ],
        };
        using var client = provider.AsIChatClient(new ManualTimeProvider(Now));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(updates, Has.Count.EqualTo(5));
            Assert.That(updates[0].Contents.Single(), Is.TypeOf<TextReasoningContent>());
            Assert.That(response.Text, Is.EqualTo("Hello"));
            Assert.That(response.Messages.Single().Contents.OfType<FunctionCallContent>().Single(), Is.SameAs(call));
            Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
            Assert.That((response.Usage!.InputTokenCount, response.Usage.OutputTokenCount), Is.EqualTo(((long?)5, (long?)7)));
            Assert.That(updates[^1].Contents.OfType<UsageContent>().Single().Details.TotalTokenCount, Is.EqualTo(12));
            Assert.That(updates[^1].AdditionalProperties![LlmInteropPropertyNames.Cost], Is.EqualTo(0.5m));
            Assert.That(updates.Select(u => (u.ResponseId, u.ModelId, u.CreatedAt)).Distinct().Single(), Is.EqualTo(("r-1", "m", (DateTimeOffset?)Now)));
        }
    }

    [Test]
    public void Provider_errors_reach_the_caller_unchanged()
    {
        var error = new RateLimitedException("slow down") { ProviderName = "canned", RetryAfter = TimeSpan.FromSeconds(3) };
        using var client = new CannedProvider { Failure = error }.AsIChatClient();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.ThrowsAsync<RateLimitedException>(() => client.GetResponseAsync("hi")), Is.SameAs(error));
            Assert.That(Assert.ThrowsAsync<RateLimitedException>(async () =>
            {
                await foreach (var _ in client.GetStreamingResponseAsync("hi"))
                {
                }
            }), Is.SameAs(error));
        }
    }

    [TestCase(LlmProviderKinds.OpenAI, "openai")]
    [TestCase(LlmProviderKinds.AzureOpenAI, "azure.ai.openai")]
    [TestCase(LlmProviderKinds.Anthropic, "anthropic")]
    [TestCase(LlmProviderKinds.Google, "gcp.gemini")]
    [TestCase(LlmProviderKinds.Mistral, "mistral_ai")]
    [TestCase(LlmProviderKinds.Ollama, "ollama")]
    [TestCase(LlmProviderKinds.OpenRouter, "openrouter")]
    [TestCase(LlmProviderKinds.Router, "llmproviders")]
    public void Metadata_names_the_provider_as_OpenTelemetry_does(string kind, string expected)
    {
        using var client = new CannedProvider("p", kind).AsIChatClient();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.That(metadata!.ProviderName, Is.EqualTo(expected));
    }

    [Test]
    public void GetService_returns_the_provider_by_its_interfaces_and_its_own_type()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions(), "sim");
        using var client = provider.AsIChatClient();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.GetService<ILlmProvider>(), Is.SameAs(provider));
            Assert.That(client.GetService<SimulatedProvider>(), Is.SameAs(provider));
            Assert.That(client.GetService<IEmbeddingProvider>(), Is.SameAs(provider));
            Assert.That(client.GetService<IChatClient>(), Is.SameAs(client));
            Assert.That(client.GetService<ILlmRouter>(), Is.Null);
            Assert.That(client.GetService<ILlmProvider>("sim"), Is.Null, "a keyed request is not ours to answer");
            Assert.That(client.GetService<Uri>(), Is.Null);
            Assert.That(client.GetService<ChatClientMetadata>()!.ProviderName, Is.EqualTo("simulated"));
        }
    }
}
