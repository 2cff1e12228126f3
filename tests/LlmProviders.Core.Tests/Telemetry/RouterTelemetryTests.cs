using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using LlmProviders.Telemetry;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Tests.Telemetry;

public sealed class RouterTelemetryTests
{
    private static readonly double[] ConventionDurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly long[] ConventionTokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private TestMeterFactory _meters = null!;

    [SetUp]
    public void SetUp() => _meters = new TestMeterFactory();

    [TearDown]
    public void TearDown() => _meters.Dispose();

    [Test]
    public async Task Chat_attempt_records_the_genai_duration_tokens_and_request_with_convention_attributes()
    {
        var provider = new EndpointProvider("primary", LlmProviderKinds.OpenAI, new Uri("https://api.example.test:8443/v1"));
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "r1");
        var chain = Chain("r1", telemetry, null, provider);

        await chain.ChatAsync(new ChatRequest("hi") { Model = "gpt-x" });

        var duration = capture.Of("gen_ai.client.operation.duration").Single();
        var tokens = capture.Of("gen_ai.client.token.usage");
        var request = capture.Of("llmproviders.requests").Single();
        var cost = capture.Of("llmproviders.cost").Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(duration["gen_ai.operation.name"], Is.EqualTo("chat"));
            Assert.That(duration["gen_ai.provider.name"], Is.EqualTo("openai"));
            Assert.That(duration["gen_ai.request.model"], Is.EqualTo("gpt-x"));
            Assert.That(duration["gen_ai.response.model"], Is.EqualTo("gpt-x-2025"));
            Assert.That(duration["server.address"], Is.EqualTo("api.example.test"));
            Assert.That(duration["server.port"], Is.EqualTo(8443));
            Assert.That(duration.Tags.ContainsKey("error.type"), Is.False);
            Assert.That(tokens.Single(t => Equals(t["gen_ai.token.type"], "input")).Value, Is.EqualTo(12));
            Assert.That(tokens.Single(t => Equals(t["gen_ai.token.type"], "output")).Value, Is.EqualTo(34));
            Assert.That(request["llmproviders.outcome"], Is.EqualTo("success"));
            Assert.That(request["llmproviders.provider"], Is.EqualTo("primary"));
            Assert.That(cost.Value, Is.EqualTo(0.25));
        }
    }

    [Test]
    public void Instruments_have_the_convention_units_and_bucket_advice()
    {
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "r0");

        var duration = (Histogram<double>)capture.Instruments["gen_ai.client.operation.duration"];
        var ttfc = (Histogram<double>)capture.Instruments["gen_ai.client.operation.time_to_first_chunk"];
        var tokens = (Histogram<long>)capture.Instruments["gen_ai.client.token.usage"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(duration.Unit, Is.EqualTo("s"));
            Assert.That(duration.Advice?.HistogramBucketBoundaries, Is.EqualTo(ConventionDurationBuckets));
            Assert.That(ttfc.Unit, Is.EqualTo("s"));
            Assert.That(ttfc.Advice?.HistogramBucketBoundaries, Is.EqualTo(ConventionDurationBuckets));
            Assert.That(tokens.Unit, Is.EqualTo("{token}"));
            Assert.That(tokens.Advice?.HistogramBucketBoundaries, Is.EqualTo(ConventionTokenBuckets));
            Assert.That(duration.Meter.Name, Is.EqualTo(LlmProvidersTelemetry.MeterName));
            Assert.That(CostCalculator.MeterName, Is.EqualTo(LlmProvidersTelemetry.MeterName));
        }
    }

    [TestCase(LlmProviderKinds.OpenAI, "openai")]
    [TestCase(LlmProviderKinds.AzureOpenAI, "azure.ai.openai")]
    [TestCase(LlmProviderKinds.Anthropic, "anthropic")]
    [TestCase(LlmProviderKinds.Google, "gcp.gemini")]
    [TestCase(LlmProviderKinds.Mistral, "mistral_ai")]
    [TestCase(LlmProviderKinds.Ollama, "ollama")]
    public async Task Provider_kinds_map_to_the_convention_provider_names(string kind, string expected)
    {
        var provider = new EndpointProvider("p", kind, new Uri("http://localhost:11434"));
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "kinds");

        await Chain("kinds", telemetry, null, provider).ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(capture.Of("gen_ai.client.operation.duration").Single()["gen_ai.provider.name"], Is.EqualTo(expected));
            Assert.That(capture.Span("chat").GetTagItem("gen_ai.provider.name"), Is.EqualTo(expected));
        }
    }

    [Test]
    public async Task Failover_is_counted_and_traced_with_the_error_type_of_the_failed_attempt()
    {
        var first = new EndpointProvider("first", LlmProviderKinds.Anthropic, new Uri("https://api.anthropic.test"))
            .ThenFail(new RateLimitedException("429") { ProviderName = "first", StatusCode = HttpStatusCode.TooManyRequests });
        var second = new EndpointProvider("second", LlmProviderKinds.Mistral, new Uri("https://api.mistral.test"));
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "r2");

        var result = await Chain("r2", telemetry, null, first, second).ChatAsync(new ChatRequest("hi") { Model = "m" });

        var route = capture.Span("route r2");
        var attempts = capture.Spans.Where(s => s.Kind == ActivityKind.Client).ToList();
        var failed = attempts.Single(s => Equals(s.GetTagItem("llmproviders.provider"), "first"));
        var won = attempts.Single(s => Equals(s.GetTagItem("llmproviders.provider"), "second"));
        var fallback = capture.Of("llmproviders.fallbacks").Single();
        var failedDuration = capture.Of("gen_ai.client.operation.duration").Single(m => Equals(m["llmproviders.provider"], "first"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("the answer"));
            Assert.That(fallback["error.type"], Is.EqualTo("rate_limited"));
            Assert.That(fallback["llmproviders.provider"], Is.EqualTo("first"));
            Assert.That(failedDuration["error.type"], Is.EqualTo("rate_limited"));
            Assert.That(failed.DisplayName, Is.EqualTo("chat m"));
            Assert.That(failed.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(failed.GetTagItem("error.type"), Is.EqualTo("rate_limited"));
            Assert.That(failed.GetTagItem("http.response.status_code"), Is.EqualTo(429));
            Assert.That(failed.ParentSpanId, Is.EqualTo(route.SpanId));
            Assert.That(won.Status, Is.Not.EqualTo(ActivityStatusCode.Error));
            Assert.That(won.GetTagItem("gen_ai.usage.input_tokens"), Is.EqualTo(12L));
            Assert.That(won.GetTagItem("gen_ai.usage.output_tokens"), Is.EqualTo(34L));
            Assert.That(won.GetTagItem("gen_ai.response.finish_reasons"), Is.EqualTo(new[] { "stop" }));
            Assert.That(won.GetTagItem("server.address"), Is.EqualTo("api.mistral.test"));
            Assert.That(route.Kind, Is.EqualTo(ActivityKind.Internal));
            Assert.That(route.GetTagItem("llmproviders.attempts"), Is.EqualTo(2));
            Assert.That(route.GetTagItem("llmproviders.provider"), Is.EqualTo("second"));
            Assert.That(route.GetTagItem("llmproviders.routing.strategy"), Is.EqualTo("Priority"));
            Assert.That(route.Events.Select(e => e.Name), Does.Contain("llmproviders.failover"));
            Assert.That(route.Status, Is.Not.EqualTo(ActivityStatusCode.Error));
        }
    }

    [Test]
    public void A_call_where_every_target_fails_ends_the_router_span_with_an_error()
    {
        var only = new EndpointProvider("only", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test"))
            .ThenFail(new ProviderUnavailableException("503") { ProviderName = "only", StatusCode = HttpStatusCode.ServiceUnavailable });
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "r3");

        Assert.ThrowsAsync<AllProvidersFailedException>(() => Chain("r3", telemetry, null, only).ChatAsync(new ChatRequest("hi")));

        var route = capture.Span("route r3");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(route.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(route.GetTagItem("error.type"), Is.EqualTo("all_providers_failed"));
            Assert.That(capture.Of("llmproviders.requests").Single()["llmproviders.outcome"], Is.EqualTo("failure"));
        }
    }

    [Test]
    public void A_skipped_target_is_an_event_of_the_router_span()
    {
        var only = new EndpointProvider("only", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test"));
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "r4");
        var chain = Chain("r4", telemetry, null, only);

        Assert.ThrowsAsync<NoProviderAvailableException>(() => chain.ChatAsync(new ChatRequest("hi") { PinnedProvider = "elsewhere" }));

        var skipped = capture.Span("route r4").Events.Single(e => e.Name == "llmproviders.candidate_skipped");
        var tags = skipped.Tags.ToDictionary(t => t.Key, t => t.Value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tags["llmproviders.provider"], Is.EqualTo("only"));
            Assert.That(tags["llmproviders.skip.reason"], Is.EqualTo(nameof(CandidateSkipReason.NotPinned)));
        }
    }

    [Test]
    public async Task Stream_records_time_to_first_chunk_and_its_span_ends_with_the_stream()
    {
        var time = new ManualTimeProvider();
        var provider = new EndpointProvider("s", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test"));
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "r5");
        var chain = Chain("r5", telemetry, null, time, provider);

        var updates = await ChainTestKitCollect(chain.StreamAsync(new ChatRequest("hi") { Model = "m" }));

        var span = capture.Span("chat m");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(updates, Has.Count.EqualTo(3));
            Assert.That(capture.Of("gen_ai.client.operation.time_to_first_chunk"), Has.Count.EqualTo(1));
            Assert.That(capture.Of("gen_ai.client.operation.time_to_first_chunk").Single()["gen_ai.operation.name"], Is.EqualTo("chat"));
            Assert.That(span.Events.Select(e => e.Name), Does.Contain("gen_ai.first_chunk"));
            Assert.That(span.GetTagItem("gen_ai.usage.output_tokens"), Is.EqualTo(2L));
            Assert.That(capture.Span("route r5").GetTagItem("llmproviders.provider"), Is.EqualTo("s"));
            Assert.That(capture.Of("llmproviders.requests.in_flight").Sum(m => m.Value), Is.Zero);
        }
    }

    [Test]
    public async Task An_abandoned_stream_ends_its_attempt_span_as_cancelled_and_leaves_nothing_in_flight()
    {
        var provider = new EndpointProvider("s", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test"));
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "r6");
        var chain = Chain("r6", telemetry, null, provider);

        await foreach (var update in chain.StreamAsync(new ChatRequest("hi") { Model = "m" }))
        {
            Assert.That(update.Text, Is.EqualTo("the "));
            break;
        }

        var span = capture.Span("chat m");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(span.GetTagItem("error.type"), Is.EqualTo("cancelled"));
            Assert.That(capture.Of("llmproviders.requests").Single()["llmproviders.outcome"], Is.EqualTo("cancelled"));
            Assert.That(capture.Of("llmproviders.requests.in_flight").Select(m => m.Value), Is.EqualTo(new[] { 1d, -1d }));
            Assert.That(capture.Spans.Any(s => s.DisplayName == "route r6"), Is.True);
        }
    }

    [Test]
    public async Task Embeddings_get_an_embeddings_span_and_operation_name()
    {
        var provider = new EndpointProvider("e", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test"));
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "r7");

        await Chain("r7", telemetry, null, provider).EmbedAsync(new EmbeddingRequest("text") { Model = "embed-1" });

        var span = capture.Span("embeddings embed-1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(span.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(span.GetTagItem("gen_ai.operation.name"), Is.EqualTo("embeddings"));
            Assert.That(capture.Of("gen_ai.client.operation.duration").Single()["gen_ai.operation.name"], Is.EqualTo("embeddings"));
            Assert.That(capture.Of("gen_ai.client.token.usage").Single()["gen_ai.token.type"], Is.EqualTo("input"));
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Message_content_is_on_spans_only_with_EnableSensitiveData(bool enabled)
    {
        var provider = new EndpointProvider("p", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test")) { AnswerText = "secret answer" };
        using var telemetry = new RouterTelemetry(new LlmTelemetryOptions { EnableSensitiveData = enabled }, _meters);
        using var capture = new TelemetryCapture(_meters, "r8");

        await Chain("r8", telemetry, null, provider).ChatAsync(new ChatRequest("secret question"));

        var span = capture.Span("chat");
        var input = span.GetTagItem("gen_ai.input.messages") as string;
        var output = span.GetTagItem("gen_ai.output.messages") as string;
        using (Assert.EnterMultipleScope())
        {
            if (enabled)
            {
                Assert.That(input, Is.EqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"secret question\"}]}]"));
                Assert.That(output, Does.Contain("\"content\":\"secret answer\"").And.Contain("\"finish_reason\":\"stop\""));
            }
            else
            {
                Assert.That(input, Is.Null);
                Assert.That(output, Is.Null);
                Assert.That(span.TagObjects.Select(t => t.Value?.ToString()), Has.None.Contain("secret"));
            }
        }
    }

    [Test]
    public async Task A_hedged_race_gives_each_attempt_a_span_and_the_loser_ends_as_cancelled()
    {
        var time = new ManualTimeProvider();
        var slow = new Routing.ScriptedProvider("slow") { WaitForCancellation = true };
        var fast = new Routing.ScriptedProvider("fast");
        var options = Options(slow, fast);
        options.Hedging = new ChainHedgingOptions { Delay = TimeSpan.FromSeconds(2) };
        using var telemetry = new RouterTelemetry(null, _meters);
        using var capture = new TelemetryCapture(_meters, "hedge");
        var chain = new FallbackChainProvider("hedge", options, n => n == "slow" ? slow : fast, time, null, null, null, null, telemetry: telemetry);

        var call = chain.ChatAsync(new ChatRequest("hi"));
        await slow.Waiting.Task;
        for (int i = 0; i < 10_000 && time.PendingTimers == 0; i++)
        {
            await Task.Yield();
        }

        time.Advance(TimeSpan.FromSeconds(2));
        var result = await call;

        var attempts = capture.Spans.Where(s => s.Kind == ActivityKind.Client).ToDictionary(s => (string)s.GetTagItem("llmproviders.provider")!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("fast"));
            Assert.That(attempts["fast"].GetTagItem("llmproviders.hedged"), Is.EqualTo(true));
            Assert.That(attempts["slow"].GetTagItem("error.type"), Is.EqualTo("cancelled"));
            Assert.That(capture.Span("route hedge").GetTagItem("llmproviders.provider"), Is.EqualTo("fast"));
            Assert.That(capture.Of("llmproviders.requests.in_flight").Sum(m => m.Value), Is.Zero);
        }
    }

    [Test]
    public void Nobody_listening_means_no_call_telemetry_is_started()
    {
        using var telemetry = new RouterTelemetry(null, _meters);

        Assert.That(telemetry.StartCall("quiet", "chat", null, "m"), Is.Null);
    }

    [Test]
    public async Task Without_listeners_a_call_allocates_nothing_for_telemetry()
    {
        var provider = new EndpointProvider("p", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test"));
        using var telemetry = new RouterTelemetry(null, _meters);
        var with = Chain("quiet", telemetry, null, provider);
        var without = new FallbackChainProvider("quiet", Options(provider), _ => provider, new ManualTimeProvider());
        var request = new ChatRequest("hi") { Model = "m" };
        for (int i = 0; i < 50; i++)
        {
            await with.ChatAsync(request);
            await without.ChatAsync(request);
        }

        long withTelemetry = Allocated(() => with.ChatAsync(request));
        long withoutTelemetry = Allocated(() => without.ChatAsync(request));

        Assert.That(withTelemetry, Is.EqualTo(withoutTelemetry));
    }

    // The chain completes synchronously over this provider, so the bytes are this thread's.
    private static long Allocated(Func<Task<ChatResult>> call)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var task = call();
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(task.IsCompletedSuccessfully, Is.True);
        return after - before;
    }

    [Test]
    public async Task Circuit_state_and_retries_are_observed_per_target()
    {
        var time = new ManualTimeProvider();
        var provider = new EndpointProvider("p", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test"));
        using var registry = new TargetResilienceRegistry(_ => new TargetResilienceOptions(), time);
        using var telemetry = new RouterTelemetry(null, _meters, registry);
        using var capture = new TelemetryCapture(_meters, "r9");
        await Chain("r9", telemetry, registry, time, provider).ChatAsync(new ChatRequest("hi"));
        registry.Find("p")!.IsolateCircuit();

        capture.Observe();

        var circuit = capture.Of("llmproviders.circuit.state").Single();
        var retries = capture.Of("llmproviders.retries").Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(circuit.Value, Is.EqualTo((int)TargetCircuitState.Isolated));
            Assert.That(circuit["llmproviders.circuit.state_name"], Is.EqualTo("isolated"));
            Assert.That(circuit["llmproviders.provider"], Is.EqualTo("p"));
            Assert.That(retries.Value, Is.Zero);
            Assert.That(retries["llmproviders.provider"], Is.EqualTo("p"));
        }
    }

    [Test]
    public async Task Budget_remaining_is_observed_per_budget()
    {
        var time = new ManualTimeProvider();
        var budgets = new BudgetManager(
            new LlmProviders.Costs.InMemoryCostLedgerStore(null, time),
            new BudgetOptions { Budgets = [new CostBudget { Name = "daily", Limit = 10m }] },
            time);
        var provider = new EndpointProvider("p", LlmProviderKinds.OpenAI, new Uri("https://api.openai.test"));
        using var telemetry = new RouterTelemetry(null, _meters, null, budgets);
        using var capture = new TelemetryCapture(_meters, "r10");
        var costs = new CostAccounting(new CostCalculator(ModelCatalog.Default), budgets, null);
        var chain = new FallbackChainProvider("r10", Options(provider), _ => provider, time, null, costs, null, null, telemetry: telemetry);
        await chain.ChatAsync(new ChatRequest("hi") { MaxOutputTokens = 10 });

        capture.Observe();

        var remaining = capture.Of("llmproviders.budget.remaining").Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(remaining["llmproviders.budget"], Is.EqualTo("daily"));
            Assert.That(remaining.Value, Is.EqualTo(9.75).Within(1e-9));
        }
    }

    [Test]
    public async Task AddLlmProviders_wires_telemetry_into_the_router_and_ConfigureTelemetry_sets_its_options()
    {
        var collection = new ServiceCollection();
        collection.AddLlmProviders(b => b.AddSimulated("sim", o => o.Latency = TimeSpan.Zero).ConfigureTelemetry(o => o.EnableSensitiveData = true));
        await using var services = collection.BuildServiceProvider();
        using var capture = new TelemetryCapture(_meters, "default", metrics: false);

        await services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hello"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(services.GetRequiredService<RouterTelemetry>().EnableSensitiveData, Is.True);
            Assert.That(capture.Span("route default").GetTagItem("llmproviders.provider"), Is.EqualTo("sim"));
            Assert.That(capture.Spans.Single(s => s.Kind == ActivityKind.Client).GetTagItem("gen_ai.provider.name"), Is.EqualTo("simulated"));
        }
    }

    private static FallbackChainOptions Options(params ILlmProvider[] providers)
    {
        var options = new FallbackChainOptions();
        foreach (var provider in providers)
        {
            options.AddTarget(provider.Name);
        }

        return options;
    }

    private static FallbackChainProvider Chain(string route, RouterTelemetry telemetry, TargetResilienceRegistry? resilience, params ILlmProvider[] providers) =>
        Chain(route, telemetry, resilience, new ManualTimeProvider(), providers);

    private static FallbackChainProvider Chain(string route, RouterTelemetry telemetry, TargetResilienceRegistry? resilience, TimeProvider time, params ILlmProvider[] providers)
    {
        var byName = providers.ToDictionary(p => p.Name);
        return new FallbackChainProvider(route, Options(providers), n => byName.GetValueOrDefault(n), time, null, null, resilience, null, telemetry: telemetry);
    }

    private static Task<List<ChatStreamUpdate>> ChainTestKitCollect(IAsyncEnumerable<ChatStreamUpdate> stream) => Routing.ChainTestKit.Collect(stream);
}
