using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Interop;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Interop;

/// <summary>Any Microsoft.Extensions.AI <see cref="IChatClient"/> as a provider (SPEC V13).</summary>
public sealed class ChatClientAsProviderTests
{
    [Test]
    public async Task The_client_answer_reads_as_a_ChatResult()
    {
        var client = new TestChatClient();
        var provider = client.AsLlmProvider("mine");

        var result = await provider.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((provider.Name, provider.Kind), Is.EqualTo(("mine", LlmProviderKinds.ChatClient)));
            Assert.That(result.Text, Is.EqualTo("Hello from the client"));
            Assert.That((result.ProviderName, result.Model, result.ResponseId), Is.EqualTo(("mine", "client-model", "resp-1")));
            Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That((result.Usage!.InputTokenCount, result.Usage.OutputTokenCount), Is.EqualTo(((long?)10, (long?)4)));
            Assert.That(result.RawRepresentation, Is.SameAs(client.Response));
            Assert.That(result.IsCostKnown, Is.False, "kind \"chatclient\" and model \"client-model\" are not in the catalog");
        }
    }

    [Test]
    public async Task A_client_of_a_catalog_kind_is_priced_and_a_local_one_costs_zero()
    {
        var client = new TestChatClient
        {
            Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
            {
                ModelId = "gpt-5-mini",
                Usage = new UsageDetails { InputTokenCount = 2_000_000, OutputTokenCount = 1_000_000, TotalTokenCount = 3_000_000 },
            },
        };

        var priced = await client.AsLlmProvider("cloud", new LlmChatClientProviderOptions { Kind = LlmProviderKinds.OpenAI }).ChatAsync(new ChatRequest("hi"));
        var local = await client.AsLlmProvider("local", new LlmChatClientProviderOptions { Kind = LlmProviderKinds.OpenAI, IsLocal = true }).ChatAsync(new ChatRequest("hi"));
        var streamed = new List<ChatStreamUpdate>();
        foreach (var update in client.Updates)
        {
            update.ModelId = "gpt-5-mini";
        }

        await foreach (var update in client.AsLlmProvider("cloud", new LlmChatClientProviderOptions { Kind = LlmProviderKinds.OpenAI }).StreamAsync(new ChatRequest("hi")))
        {
            streamed.Add(update);
        }

        using (Assert.EnterMultipleScope())
        {
            // The catalog's list price for gpt-5-mini: $0.25 in, $2 out per million tokens.
            Assert.That(priced.Cost, Is.EqualTo(2.5m));
            Assert.That(local.Cost, Is.Zero);
            Assert.That(streamed[^1].Cost, Is.EqualTo((10 * 0.25m + 2 * 2m) / 1_000_000m));
        }
    }

    [Test]
    public async Task Every_request_field_reaches_the_ChatOptions()
    {
        var client = new TestChatClient();
        var provider = client.AsLlmProvider("mine", new LlmChatClientProviderOptions { DefaultModel = "default-model" });
        var tool = AIFunctionFactory.Create((string city) => "sunny", "weather");
        var request = new ChatRequest("hi")
        {
            Temperature = 0.3f, TopP = 0.9f, TopK = 40, MaxOutputTokens = 100, StopSequences = ["END"], Seed = 7, PresencePenalty = 0.1f, FrequencyPenalty = 0.2f,
            Tools = [tool], ToolMode = ChatToolMode.RequireAny, AllowParallelToolCalls = true, ResponseFormat = ChatResponseFormat.Json, ReasoningEffort = ReasoningEffort.Low,
            AdditionalRequestFields = new Dictionary<string, JsonElement> { ["service_tier"] = JsonDocument.Parse("\"flex\"").RootElement },
            RouteName = "fast", Tags = new Dictionary<string, string> { ["user"] = "ada" },
        };

        await provider.ChatAsync(request);

        var options = client.Calls.Single().Options!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.Calls.Single().Messages.Single().Text, Is.EqualTo("hi"));
            Assert.That((options.ModelId, options.Temperature, options.TopP, options.TopK, options.MaxOutputTokens, options.Seed), Is.EqualTo(("default-model", 0.3f, 0.9f, 40, 100, 7L)));
            Assert.That((options.PresencePenalty, options.FrequencyPenalty, options.AllowMultipleToolCalls), Is.EqualTo((0.1f, 0.2f, true)));
            Assert.That(options.StopSequences, Is.EqualTo(new[] { "END" }));
            Assert.That(options.Tools, Is.EqualTo(new AITool[] { tool }));
            Assert.That((options.ToolMode, options.ResponseFormat), Is.EqualTo((ChatToolMode.RequireAny, ChatResponseFormat.Json)));
            Assert.That(options.Reasoning!.Effort, Is.EqualTo(ReasoningEffort.Low));
            Assert.That(((JsonElement)options.AdditionalProperties!["service_tier"]!).GetString(), Is.EqualTo("flex"));
            Assert.That(options.AdditionalProperties[LlmInteropPropertyNames.RouteName], Is.EqualTo("fast"));
            Assert.That(options.AdditionalProperties[LlmInteropPropertyNames.Tags], Is.EquivalentTo(request.Tags));
        }
    }

    [Test]
    public async Task The_default_model_comes_from_the_client_metadata_when_not_configured()
    {
        var client = new TestChatClient();
        var provider = client.AsLlmProvider("mine");

        await provider.ChatAsync(new ChatRequest("hi"));
        var models = await provider.ListModelsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.Calls.Single().Options!.ModelId, Is.EqualTo("client-default"));
            Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "client-default" }));
        }
    }

    [Test]
    public async Task Configured_models_are_listed()
    {
        var options = new LlmChatClientProviderOptions { DefaultModel = "a" };
        options.Models.Add("a");
        options.Models.Add("b");

        var models = await new TestChatClient().AsLlmProvider("mine", options).ListModelsAsync();

        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task A_tool_call_and_its_result_travel_both_ways()
    {
        var call = new FunctionCallContent("call-1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" });
        var client = new TestChatClient { Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])) { FinishReason = ChatFinishReason.ToolCalls } };
        var provider = client.AsLlmProvider("mine");

        var first = await provider.ChatAsync(new ChatRequest("Weather in Oslo?"));
        client.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Sunny in Oslo.")) { FinishReason = ChatFinishReason.Stop };
        var conversation = new List<ChatMessage>
        {
            new(ChatRole.User, "Weather in Oslo?"),
            first.Message,
            new(ChatRole.Tool, [new FunctionResultContent("call-1", "sunny")]),
        };
        var second = await provider.ChatAsync(new ChatRequest(conversation));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ToolCalls.Single(), Is.SameAs(call));
            Assert.That(first.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
            Assert.That(client.Calls[1].Messages[^1].Contents.OfType<FunctionResultContent>().Single().Result, Is.EqualTo("sunny"));
            Assert.That((second.Text, second.FinishReason), Is.EqualTo(("Sunny in Oslo.", (ChatFinishReason?)ChatFinishReason.Stop)));
        }
    }

    [Test]
    public async Task Several_response_messages_become_one_assistant_message_in_order()
    {
        var client = new TestChatClient
        {
            Response = new ChatResponse([new ChatMessage(ChatRole.Assistant, "one "), new ChatMessage(ChatRole.Assistant, "two")]),
        };

        var result = await client.AsLlmProvider("mine").ChatAsync(new ChatRequest("hi"));

        Assert.That((result.Message.Role, result.Text), Is.EqualTo((ChatRole.Assistant, "one two")));
    }

    [Test]
    public async Task A_stream_yields_deltas_then_one_final_update_with_the_summed_usage()
    {
        var call = new FunctionCallContent("call-1", "weather", new Dictionary<string, object?>());
        var client = new TestChatClient
        {
            Updates =
            [
                new(ChatRole.Assistant, [new TextReasoningContent("hmm")]) { ResponseId = "r", ModelId = "m" },
                new(ChatRole.Assistant, "Hel") { ResponseId = "r", ModelId = "m" },
                new(ChatRole.Assistant, [new TextContent("lo"), new UsageContent(new UsageDetails { InputTokenCount = 3 })]),
                new(ChatRole.Assistant, [call]),
                new(ChatRole.Assistant, [new UsageContent(new UsageDetails { OutputTokenCount = 5, CachedInputTokenCount = 1 })]) { FinishReason = ChatFinishReason.ToolCalls },
            ],
        };
        var provider = client.AsLlmProvider("mine");

        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in provider.StreamAsync(new ChatRequest("hi")))
        {
            updates.Add(update);
        }

        var final = updates[^1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(updates.Select(u => (u.ReasoningText, u.Text)), Is.EqualTo(new (string?, string?)[] { ("hmm", null), (null, "Hel"), (null, "lo"), (null, null), (null, null) }));
            Assert.That(updates[3].ToolCalls!.Single(), Is.SameAs(call));
            Assert.That(updates.Take(4).Any(u => u.IsFinal || u.Usage is not null), Is.False);
            Assert.That((final.IsFinal, final.FinishReason, final.ProviderName, final.Model, final.ResponseId), Is.EqualTo((true, (ChatFinishReason?)ChatFinishReason.ToolCalls, "mine", "m", "r")));
            Assert.That((final.Usage!.InputTokenCount, final.Usage.OutputTokenCount, final.Usage.CachedInputTokenCount), Is.EqualTo(((long?)3, (long?)5, (long?)1)));
        }
    }

    [Test]
    public void An_empty_stream_is_a_malformed_response_not_an_empty_answer()
    {
        var provider = new TestChatClient { Updates = [] }.AsLlmProvider("mine");

        var thrown = Assert.ThrowsAsync<MalformedResponseException>(async () =>
        {
            await foreach (var _ in provider.StreamAsync(new ChatRequest("hi")))
            {
            }
        });

        Assert.That((thrown!.ProviderName, thrown.Message), Is.EqualTo(("mine", "Chat client provider 'mine' returned an empty stream (no content, finish reason or usage).")));
    }

    [TestCase(HttpStatusCode.TooManyRequests, LlmErrorKind.RateLimited, true)]
    [TestCase(HttpStatusCode.ServiceUnavailable, LlmErrorKind.ProviderUnavailable, true)]
    [TestCase(HttpStatusCode.InternalServerError, LlmErrorKind.ProviderUnavailable, true)]
    [TestCase(HttpStatusCode.Unauthorized, LlmErrorKind.Authentication, false)]
    [TestCase(HttpStatusCode.NotFound, LlmErrorKind.ModelNotFound, false)]
    [TestCase(HttpStatusCode.BadRequest, LlmErrorKind.InvalidRequest, false)]
    public void An_HTTP_status_in_the_client_error_gives_the_kind(HttpStatusCode status, LlmErrorKind kind, bool transient)
    {
        var failure = new HttpRequestException("Response status code does not indicate success.", null, status);
        var provider = new TestChatClient { Failure = new InvalidOperationException("wrapped", failure) }.AsLlmProvider("mine");

        var thrown = Assert.ThrowsAsync(Is.InstanceOf<LlmProviderException>(), () => provider.ChatAsync(new ChatRequest("hi"))) as LlmProviderException;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((thrown!.Kind, thrown.IsTransient, thrown.StatusCode), Is.EqualTo((kind, transient, (HttpStatusCode?)status)));
            Assert.That((thrown.ProviderName, thrown.Model), Is.EqualTo(("mine", "client-default")));
            Assert.That(thrown.InnerException!.InnerException, Is.SameAs(failure));
        }
    }

    [Test]
    public void Errors_without_a_status_are_classified_by_type()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(KindOf(new HttpRequestException("Connection refused")), Is.EqualTo(LlmErrorKind.ProviderUnavailable));
            Assert.That(KindOf(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException())), Is.EqualTo(LlmErrorKind.Timeout));
            Assert.That(KindOf(new TimeoutException()), Is.EqualTo(LlmErrorKind.Timeout));
            Assert.That(KindOf(new JsonException("bad")), Is.EqualTo(LlmErrorKind.MalformedResponse));
            Assert.That(KindOf(new ArgumentException("bad argument")), Is.EqualTo(LlmErrorKind.InvalidRequest));
            Assert.That(KindOf(new InvalidOperationException("who knows")), Is.EqualTo(LlmErrorKind.Unknown));
            Assert.That(KindOf(new QuotaExhaustedException("typed already")), Is.EqualTo(LlmErrorKind.QuotaExhausted));
        }
    }

    [Test]
    public void A_custom_classifier_maps_an_SDK_exception()
    {
        var options = new LlmChatClientProviderOptions { ClassifyException = e => e is NotSupportedException ? LlmErrorKind.Overloaded : null };
        var provider = new TestChatClient { Failure = new NotSupportedException("sdk says 529") }.AsLlmProvider("mine", options);

        var thrown = Assert.ThrowsAsync<ProviderOverloadedException>(() => provider.ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown!.Message, Does.Contain("sdk says 529"));
    }

    [Test]
    public void An_API_key_in_a_client_error_message_is_redacted()
    {
        var provider = new TestChatClient { Failure = new InvalidOperationException("bad key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789") }.AsLlmProvider("mine");

        var thrown = Assert.ThrowsAsync<LlmProviderException>(() => provider.ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown!.Message, Does.Not.Contain("abcdefghijklmnopqrstuvwxyz").And.Contain("[redacted]"));
    }

    [Test]
    public void A_failure_mid_stream_is_typed_too()
    {
        var provider = new TestChatClient { Failure = new HttpRequestException("reset", null, HttpStatusCode.BadGateway), FailAfterUpdates = 1 }.AsLlmProvider("mine");
        var seen = new List<string?>();

        var thrown = Assert.ThrowsAsync<ProviderUnavailableException>(async () =>
        {
            await foreach (var update in provider.StreamAsync(new ChatRequest("hi")))
            {
                seen.Add(update.Text);
            }
        });

        Assert.That((seen.Single(), thrown!.StatusCode), Is.EqualTo(("Hello", (HttpStatusCode?)HttpStatusCode.BadGateway)));
    }

    [Test]
    public void The_caller_cancelling_stays_a_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var client = new TestChatClient();
        var provider = client.AsLlmProvider("mine");
        client.Failure = new OperationCanceledException(cts.Token);
        cts.Cancel();

        Assert.That(() => provider.ChatAsync(new ChatRequest("hi"), cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Health_is_assumed_without_a_probe_and_measured_with_one()
    {
        var time = new ManualTimeProvider();
        var client = new TestChatClient();
        var unprobed = await client.AsLlmProvider("a", null, time).CheckHealthAsync();
        var probed = client.AsLlmProvider("b", new LlmChatClientProviderOptions { HealthProbe = true }, time);
        var healthy = await probed.CheckHealthAsync();
        client.Failure = new HttpRequestException("down", null, HttpStatusCode.ServiceUnavailable);
        var unhealthy = await probed.CheckHealthAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((unprobed.Status, unprobed.Message), Is.EqualTo((LlmHealthStatus.Healthy, "Chat client provider: not probed (set HealthProbe to send a one-token request); assumed healthy.")));
            Assert.That(client.Calls, Has.Count.EqualTo(2), "only the probing provider calls the client");
            Assert.That(client.Calls[0].Options!.MaxOutputTokens, Is.EqualTo(1));
            Assert.That(healthy.Status, Is.EqualTo(LlmHealthStatus.Healthy));
            Assert.That((unhealthy.Status, unhealthy.Error!.Kind), Is.EqualTo((LlmHealthStatus.Unhealthy, LlmErrorKind.ProviderUnavailable)));
        }
    }

    [Test]
    public void Options_shape_the_provider_and_its_metadata()
    {
        var client = new TestChatClient();
        var options = new LlmChatClientProviderOptions { Kind = LlmProviderKinds.OpenAI, Capabilities = LlmCapabilities.Chat | LlmCapabilities.Vision, IsLocal = true, DefaultModel = "gpt-5-mini" };

        var provider = client.AsLlmProvider("mine", options);
        using var face = provider.AsIChatClient();
        var metadata = face.GetService<ChatClientMetadata>()!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((provider.Kind, provider.Capabilities, provider.IsLocal), Is.EqualTo((LlmProviderKinds.OpenAI, LlmCapabilities.Chat | LlmCapabilities.Vision, true)));
            Assert.That((metadata.ProviderName, metadata.ProviderUri, metadata.DefaultModelId), Is.EqualTo(("openai", new Uri("https://test.example/v1"), "gpt-5-mini")));
            Assert.That(face.GetService<TestChatClient>(), Is.SameAs(client), "the wrapped client answers for its own services");
            Assert.That(face.GetService<ILlmProvider>(), Is.SameAs(provider));
        }
    }

    private static LlmErrorKind KindOf(Exception failure)
    {
        var provider = new TestChatClient { Failure = failure }.AsLlmProvider("mine");
        var thrown = Assert.ThrowsAsync(Is.InstanceOf<LlmProviderException>(), () => provider.ChatAsync(new ChatRequest("hi"))) as LlmProviderException;
        return thrown!.Kind;
    }
}
