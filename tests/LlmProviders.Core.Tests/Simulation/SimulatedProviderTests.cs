using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Simulation;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Simulation;

public class SimulatedProviderTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Answers_with_the_default_text_usage_and_its_model()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions(), "sim");

        var result = await provider.ChatAsync(new ChatRequest("Hello, world!"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo(SimulatedProviderOptions.DefaultResponseText));
            Assert.That(result.ProviderName, Is.EqualTo("sim"));
            Assert.That(result.Model, Is.EqualTo("sim-1"));
            Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(3 + 4), "3 per message + Hello , world !");
            Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(SimulatedTokenizer.Count(SimulatedProviderOptions.DefaultResponseText)));
            Assert.That(result.Usage.TotalTokenCount, Is.EqualTo(result.Usage.InputTokenCount + result.Usage.OutputTokenCount));
            Assert.That(result.ResponseId, Does.StartWith("sim-sim-"));
            Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Simulated));
        }
    }

    [Test]
    public async Task Reports_the_model_the_request_asks_for()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions());

        var result = await provider.ChatAsync(new ChatRequest("hi") { Model = "sim-large" });

        Assert.That(result.Model, Is.EqualTo("sim-large"));
    }

    [Test]
    public async Task Echoes_the_last_user_message_when_EchoPrompt_is_set()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { EchoPrompt = true });
        var request = new ChatRequest([
            new ChatMessage(ChatRole.System, "Be brief."),
            new ChatMessage(ChatRole.User, "first question"),
            new ChatMessage(ChatRole.Assistant, "first answer"),
            new ChatMessage(ChatRole.User, "Repeat after me: routing works."),
        ]);

        var result = await provider.ChatAsync(request);

        Assert.That(result.Text, Is.EqualTo("Repeat after me: routing works."));
    }

    [Test]
    public async Task Cost_is_usage_times_the_configured_prices()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions
        {
            ResponseText = "one two three",
            InputPricePerMillionTokens = 2m,
            OutputPricePerMillionTokens = 8m,
        });

        var result = await provider.ChatAsync(new ChatRequest("a b"));

        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(5));
        Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(3));
        Assert.That(result.Cost, Is.EqualTo(((5 * 2m) + (3 * 8m)) / 1_000_000m));
        Assert.That(result.IsCostKnown, Is.True);
    }

    [Test]
    public async Task Max_output_tokens_truncates_the_answer_with_finish_reason_length()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "one two three four" });

        var result = await provider.ChatAsync(new ChatRequest("hi") { MaxOutputTokens = 2 });

        Assert.That(result.Text, Is.EqualTo("one two"));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Length));
        Assert.That(result.Usage!.OutputTokenCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Same_seed_and_same_calls_give_the_same_outcomes()
    {
        static SimulatedProviderOptions Options(int seed)
        {
            var o = new SimulatedProviderOptions { Seed = seed, FailureRate = 0.5, MinLatency = TimeSpan.Zero, MaxLatency = TimeSpan.Zero };
            o.FailureKinds.Add(LlmErrorKind.RateLimited);
            o.FailureKinds.Add(LlmErrorKind.Overloaded);
            o.FailureKinds.Add(LlmErrorKind.Timeout);
            return o;
        }

        var first = await Outcomes(new SimulatedProvider(Options(42)), 60);
        var second = await Outcomes(new SimulatedProvider(Options(42)), 60);
        var other = await Outcomes(new SimulatedProvider(Options(43)), 60);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
        Assert.That(first.Distinct().Count(), Is.EqualTo(4), "success and the three kinds all occur");
    }

    [TestCase(0.0)]
    [TestCase(0.3)]
    [TestCase(0.75)]
    [TestCase(1.0)]
    public async Task Failure_rate_is_met_over_many_calls(double rate)
    {
        const int Calls = 2000;
        var provider = new SimulatedProvider(new SimulatedProviderOptions { Seed = 1, FailureRate = rate });

        var outcomes = await Outcomes(provider, Calls);
        double observed = outcomes.Count(o => o != "ok") / (double)Calls;

        Assert.That(observed, Is.EqualTo(rate).Within(0.04));
    }

    [Test]
    public async Task Concurrent_calls_draw_the_same_outcomes_as_sequential_ones()
    {
        var options = new SimulatedProviderOptions { Seed = 5, FailureRate = 0.5 };
        int sequentialFailures = (await Outcomes(new SimulatedProvider(options), 1000)).Count(o => o != "ok");
        var concurrent = new SimulatedProvider(options);
        int concurrentFailures = 0;

        await Parallel.ForAsync(0, 1000, async (_, ct) =>
        {
            try
            {
                await concurrent.ChatAsync(new ChatRequest("hi"), ct);
            }
            catch (LlmProviderException)
            {
                Interlocked.Increment(ref concurrentFailures);
            }
        });

        Assert.That(concurrentFailures, Is.EqualTo(sequentialFailures));
    }

    [TestCase(LlmErrorKind.Authentication, typeof(ProviderAuthenticationException), 401, false)]
    [TestCase(LlmErrorKind.PermissionDenied, typeof(ProviderPermissionException), 403, false)]
    [TestCase(LlmErrorKind.ModelNotFound, typeof(ModelNotFoundException), 404, false)]
    [TestCase(LlmErrorKind.InvalidRequest, typeof(InvalidChatRequestException), 400, false)]
    [TestCase(LlmErrorKind.ContextLengthExceeded, typeof(ContextLengthExceededException), 400, false)]
    [TestCase(LlmErrorKind.ContentFiltered, typeof(ContentFilteredException), 400, false)]
    [TestCase(LlmErrorKind.RateLimited, typeof(RateLimitedException), 429, true)]
    [TestCase(LlmErrorKind.QuotaExhausted, typeof(QuotaExhaustedException), 429, false)]
    [TestCase(LlmErrorKind.Overloaded, typeof(ProviderOverloadedException), 529, true)]
    [TestCase(LlmErrorKind.Timeout, typeof(ProviderTimeoutException), 504, true)]
    [TestCase(LlmErrorKind.ProviderUnavailable, typeof(ProviderUnavailableException), 503, true)]
    [TestCase(LlmErrorKind.MalformedResponse, typeof(MalformedResponseException), 200, false)]
    [TestCase(LlmErrorKind.StreamInterrupted, typeof(StreamInterruptedException), null, true)]
    public void Each_failure_kind_throws_its_typed_exception(LlmErrorKind kind, Type expectedType, int? status, bool transient)
    {
        var options = new SimulatedProviderOptions { FailureRate = 1 };
        options.FailureKinds.Add(kind);
        var provider = new SimulatedProvider(options, "flaky");

        var thrown = Assert.CatchAsync<LlmProviderException>(() => provider.ChatAsync(new ChatRequest("hi")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown, Is.TypeOf(expectedType));
            Assert.That(thrown!.Kind, Is.EqualTo(kind));
            Assert.That((int?)thrown.StatusCode, Is.EqualTo(status));
            Assert.That(thrown.IsTransient, Is.EqualTo(transient));
            Assert.That(thrown.ProviderName, Is.EqualTo("flaky"));
            Assert.That(thrown.Model, Is.EqualTo("sim-1"));
            Assert.That(thrown.RequestId, Is.Not.Null);
            Assert.That(thrown.Message, Does.Contain("Simulated failure from 'flaky'").And.Contain("FailureRate"));
        }
    }

    [Test]
    public void Rate_limit_carries_the_configured_retry_after()
    {
        var options = new SimulatedProviderOptions { FailureRate = 1, RetryAfter = TimeSpan.FromSeconds(7) };
        options.FailureKinds.Add(LlmErrorKind.RateLimited);

        var thrown = Assert.ThrowsAsync<RateLimitedException>(() => new SimulatedProvider(options).ChatAsync(new ChatRequest("hi")));

        Assert.That(thrown!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(thrown.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task Without_failure_kinds_failures_are_429s_and_503s()
    {
        var outcomes = await Outcomes(new SimulatedProvider(new SimulatedProviderOptions { Seed = 3, FailureRate = 1 }), 50);

        Assert.That(outcomes.Distinct().Order(), Is.EqualTo(new[] { nameof(LlmErrorKind.ProviderUnavailable), nameof(LlmErrorKind.RateLimited) }));
    }

    [Test]
    public async Task Fixed_latency_waits_on_the_time_provider()
    {
        var time = new ManualTimeProvider();
        var provider = new SimulatedProvider(new SimulatedProviderOptions { Latency = TimeSpan.FromMilliseconds(500) }, timeProvider: time);

        var call = provider.ChatAsync(new ChatRequest("hi"));
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.That(call.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await call.WaitAsync(Guard);

        Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
    }

    [Test]
    public void Random_latency_is_drawn_within_the_range_and_varies()
    {
        var time = new ManualTimeProvider();
        var provider = new SimulatedProvider(
            new SimulatedProviderOptions { Seed = 9, MinLatency = TimeSpan.FromMilliseconds(100), MaxLatency = TimeSpan.FromMilliseconds(200) },
            timeProvider: time);
        var latencies = new List<int>();

        for (int i = 0; i < 20; i++)
        {
            _ = provider.ChatAsync(new ChatRequest("hi"));
            int waited = 0;
            while (time.PendingTimers > 0 && waited < 1000)
            {
                time.Advance(TimeSpan.FromMilliseconds(1));
                waited++;
            }

            latencies.Add(waited);
        }

        Assert.That(latencies, Is.All.InRange(100, 200));
        Assert.That(latencies.Distinct().Count(), Is.GreaterThan(5));
    }

    [Test]
    public async Task Non_streamed_call_takes_as_long_as_the_stream_would()
    {
        var time = new ManualTimeProvider();
        var provider = new SimulatedProvider(
            new SimulatedProviderOptions { ResponseText = "a b c d", Latency = TimeSpan.FromMilliseconds(100), TokenDelay = TimeSpan.FromMilliseconds(10) },
            timeProvider: time);

        var call = provider.ChatAsync(new ChatRequest("hi"));
        time.Advance(TimeSpan.FromMilliseconds(100));
        time.Advance(TimeSpan.FromMilliseconds(29));
        Assert.That(call.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.That((await call.WaitAsync(Guard)).Latency, Is.EqualTo(TimeSpan.FromMilliseconds(130)));
    }

    [Test]
    public async Task Streams_token_by_token_with_the_token_delay()
    {
        var time = new ManualTimeProvider();
        var provider = new SimulatedProvider(
            new SimulatedProviderOptions { ResponseText = "Hello, world!", Latency = TimeSpan.FromMilliseconds(50), TokenDelay = TimeSpan.FromMilliseconds(10) },
            timeProvider: time);
        await using var stream = provider.StreamAsync(new ChatRequest("hi")).GetAsyncEnumerator();

        var first = stream.MoveNextAsync().AsTask();
        Assert.That(first.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.That(await first.WaitAsync(Guard), Is.True);
        Assert.That(stream.Current.Text, Is.EqualTo("Hello"));

        var texts = new List<string> { stream.Current.Text! };
        while (true)
        {
            var next = stream.MoveNextAsync().AsTask();
            if (!next.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(10));
            }

            Assert.That(await next.WaitAsync(Guard), Is.True);
            if (stream.Current.IsFinal)
            {
                break;
            }

            texts.Add(stream.Current.Text!);
        }

        var final = stream.Current;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(texts, Is.EqualTo(new[] { "Hello", ",", " world", "!" }));
            Assert.That(final.Usage!.OutputTokenCount, Is.EqualTo(4));
            Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(final.TimeToFirstToken, Is.EqualTo(TimeSpan.FromMilliseconds(50)));
            Assert.That(final.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(80)));
            Assert.That(final.Cost, Is.EqualTo(0m));
            Assert.That(final.ProviderName, Is.EqualTo("simulated"));
            Assert.That(await stream.MoveNextAsync(), Is.False);
        }
    }

    [Test]
    public async Task Streamed_echo_concatenates_to_the_prompt()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { EchoPrompt = true });
        const string Prompt = "  Streams, token by token: 1,2,3 ✓ done.  ";

        var updates = await Collect(provider.StreamAsync(new ChatRequest(Prompt)));

        Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo(Prompt));
        Assert.That(updates.Count(u => !u.IsFinal), Is.EqualTo(updates[^1].Usage!.OutputTokenCount));
    }

    [Test]
    public void Stream_cut_after_N_tokens_throws_StreamInterrupted_with_the_partial_text()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "one two three four", StreamCutAfterTokens = 2 }, "cutter");
        var received = new List<string>();

        var thrown = Assert.ThrowsAsync<StreamInterruptedException>(async () =>
        {
            await foreach (var update in provider.StreamAsync(new ChatRequest("hi")))
            {
                received.Add(update.Text!);
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(new[] { "one", " two" }));
            Assert.That(thrown!.PartialText, Is.EqualTo("one two"));
            Assert.That(thrown.UpdatesDelivered, Is.EqualTo(2));
            Assert.That(thrown.ProviderName, Is.EqualTo("cutter"));
            Assert.That(thrown.IsTransient, Is.True);
        }
    }

    [Test]
    public void Stream_cut_after_every_token_still_loses_the_final_update()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "one two", StreamCutAfterTokens = 2 });

        var thrown = Assert.ThrowsAsync<StreamInterruptedException>(() => Collect(provider.StreamAsync(new ChatRequest("hi"))));

        Assert.That(thrown!.PartialText, Is.EqualTo("one two"));
    }

    [Test]
    public async Task Stream_with_fewer_tokens_than_the_cut_is_not_cut()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "one two", StreamCutAfterTokens = 3 });

        var updates = await Collect(provider.StreamAsync(new ChatRequest("hi")));

        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public async Task Stream_cut_does_not_affect_non_streamed_calls()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { ResponseText = "one two", StreamCutAfterTokens = 0 });

        var result = await provider.ChatAsync(new ChatRequest("hi"));

        Assert.That(result.Text, Is.EqualTo("one two"));
    }

    [Test]
    public void Stream_failure_comes_before_the_first_update()
    {
        var options = new SimulatedProviderOptions { FailureRate = 1 };
        options.FailureKinds.Add(LlmErrorKind.Overloaded);
        var provider = new SimulatedProvider(options);
        int received = 0;

        Assert.ThrowsAsync<ProviderOverloadedException>(async () =>
        {
            await foreach (var update in provider.StreamAsync(new ChatRequest("hi")))
            {
                received++;
            }
        });
        Assert.That(received, Is.Zero);
    }

    [Test]
    public void Cancellation_during_the_latency_stops_the_call()
    {
        var time = new ManualTimeProvider();
        var provider = new SimulatedProvider(new SimulatedProviderOptions { Latency = TimeSpan.FromSeconds(30) }, timeProvider: time);
        using var cts = new CancellationTokenSource();

        var call = provider.ChatAsync(new ChatRequest("hi"), cts.Token);
        cts.Cancel();

        Assert.That(async () => await call.WaitAsync(Guard), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Cancellation_between_stream_tokens_stops_the_stream()
    {
        var time = new ManualTimeProvider();
        var provider = new SimulatedProvider(new SimulatedProviderOptions { TokenDelay = TimeSpan.FromSeconds(1) }, timeProvider: time);
        using var cts = new CancellationTokenSource();
        await using var stream = provider.StreamAsync(new ChatRequest("hi"), cts.Token).GetAsyncEnumerator();

        Assert.That(await stream.MoveNextAsync(), Is.True);
        var next = stream.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        Assert.That(async () => await next.WaitAsync(Guard), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Lists_its_model_and_reports_health_as_configured()
    {
        var healthy = new SimulatedProvider(new SimulatedProviderOptions { Model = "sim-x" }, "ok");
        var unhealthy = new SimulatedProvider(new SimulatedProviderOptions { Healthy = false }, "down");

        Assert.That((await healthy.ListModelsAsync()).Single().Id, Is.EqualTo("sim-x"));
        Assert.That((await healthy.CheckHealthAsync()).Status, Is.EqualTo(LlmHealthStatus.Healthy));
        var down = await unhealthy.CheckHealthAsync();
        Assert.That(down.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
        Assert.That(down.Error, Is.InstanceOf<ProviderUnavailableException>());
    }

    [Test]
    public void Declares_the_configured_capabilities_and_locality()
    {
        var provider = new SimulatedProvider(new SimulatedProviderOptions { Capabilities = LlmCapabilities.Chat | LlmCapabilities.Tools, IsLocal = true });

        Assert.That(provider.Capabilities, Is.EqualTo(LlmCapabilities.Chat | LlmCapabilities.Tools));
        Assert.That(provider.IsLocal, Is.True);
        Assert.That(new SimulatedProvider(new SimulatedProviderOptions()).Capabilities,
            Is.EqualTo(LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Embeddings | LlmCapabilities.ModelListing));
    }

    [Test]
    public void Later_changes_to_the_options_are_not_seen()
    {
        var options = new SimulatedProviderOptions();
        var provider = new SimulatedProvider(options);
        options.FailureRate = 1;

        Assert.That(() => provider.ChatAsync(new ChatRequest("hi")), Throws.Nothing);
    }

    private static async Task<List<string>> Outcomes(SimulatedProvider provider, int calls)
    {
        var outcomes = new List<string>(calls);
        for (int i = 0; i < calls; i++)
        {
            try
            {
                await provider.ChatAsync(new ChatRequest("hi"));
                outcomes.Add("ok");
            }
            catch (LlmProviderException ex)
            {
                outcomes.Add(ex.Kind.ToString());
            }
        }

        return outcomes;
    }

    private static async Task<List<ChatStreamUpdate>> Collect(IAsyncEnumerable<ChatStreamUpdate> stream)
    {
        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }
}
