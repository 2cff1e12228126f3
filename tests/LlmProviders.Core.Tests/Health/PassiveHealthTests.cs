using System;
using System.Threading.Tasks;
using LlmProviders.Health;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Tests.Health;

public sealed class PassiveHealthTests
{
    private static ProviderAuthenticationException Refused() => new("The key was refused.") { ProviderName = "alpha" };

    [Test]
    public async Task Calls_failing_in_a_row_make_the_provider_unhealthy_and_a_success_resets_the_count()
    {
        using var kit = new HealthTestKit(o =>
        {
            o.UnhealthyAfterConsecutiveFailures = 3;
            o.MinimumTrafficSamples = 4;
        });
        var router = kit.Services.GetRequiredService<ILlmRouter>();
        for (int i = 0; i < 3; i++)
        {
            kit["alpha"].FailNextCall(Refused());
            Assert.CatchAsync<LlmProviderException>(() => router.ChatAsync(new ChatRequest("hi")));
        }

        var failing = kit.Monitor.GetHealth("alpha")!;
        await router.ChatAsync(new ChatRequest("hi"));
        var recovered = kit.Monitor.GetHealth("alpha")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failing.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
            Assert.That(failing.Message, Does.StartWith("3 calls failed in a row (last: Authentication)"));
            Assert.That(failing.ConsecutiveFailures, Is.EqualTo(3));
            Assert.That(failing.LastErrorKind, Is.EqualTo(LlmErrorKind.Authentication));
            Assert.That(recovered.ConsecutiveFailures, Is.Zero);
            Assert.That(recovered.Requests, Is.EqualTo(4));
            Assert.That(recovered.Failures, Is.EqualTo(3));
            Assert.That(recovered.SuccessRate, Is.EqualTo(0.25));
            Assert.That(recovered.Status, Is.EqualTo(LlmHealthStatus.Degraded));
            Assert.That(recovered.Message, Is.EqualTo("25 % of the last 4 calls succeeded, below 90 % (Health:DegradedBelowSuccessRate)."));
        }
    }

    [Test]
    public void The_callers_own_errors_do_not_count_against_the_provider()
    {
        using var kit = new HealthTestKit();
        var router = kit.Services.GetRequiredService<ILlmRouter>();
        kit["alpha"].FailNextCall(new InvalidChatRequestException("messages must not be empty") { ProviderName = "alpha" });
        Assert.CatchAsync<LlmProviderException>(() => router.ChatAsync(new ChatRequest("hi")));

        var health = kit.Monitor.GetHealth("alpha")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Requests, Is.Zero);
            Assert.That(health.HasData, Is.False);
        }
    }

    [Test]
    public async Task Streams_and_embeddings_through_the_router_are_recorded()
    {
        using var kit = new HealthTestKit();
        var router = kit.Services.GetRequiredService<ILlmRouter>();
        await foreach (var _ in router.StreamAsync(new ChatRequest("hi")))
        {
        }

        kit["alpha"].FailNextCall(Refused());
        Assert.CatchAsync<LlmProviderException>(() => router.EmbedAsync(new EmbeddingRequest("text")));
        await router.EmbedAsync(new EmbeddingRequest("text"));

        var health = kit.Monitor.GetHealth("alpha")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Requests, Is.EqualTo(3));
            Assert.That(health.Failures, Is.EqualTo(1));
            Assert.That(health.SuccessRate, Is.EqualTo(2.0 / 3).Within(1e-9));
        }
    }

    [Test]
    public async Task A_stream_the_caller_stops_early_is_neither_a_success_nor_a_failure()
    {
        using var kit = new HealthTestKit(null, b => b.AddFallbackChain("main", c => c.Targets.Add(new ChainTarget { ProviderName = "alpha" })));
        var router = kit.Services.GetRequiredKeyedService<ILlmRouter>("main");
        await foreach (var _ in router.StreamAsync(new ChatRequest("hi")))
        {
            break;
        }

        var health = kit.Monitor.GetHealth("alpha")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Requests, Is.Zero);
            Assert.That(kit.Monitor.GetHealth("main"), Is.Null, "routers have no health of their own");
        }
    }

    [Test]
    public async Task A_call_that_succeeds_after_a_failed_check_makes_the_provider_healthy_again()
    {
        using var kit = new HealthTestKit();
        kit["alpha"].FailNextCheck(new ProviderUnavailableException("unreachable") { ProviderName = "alpha" });
        await kit.Monitor.CheckNowAsync();
        var afterCheck = kit.Monitor.GetHealth("alpha")!;

        kit.Time.Advance(TimeSpan.FromSeconds(1));
        await kit.Services.GetRequiredService<ILlmRouter>().ChatAsync(new ChatRequest("hi"));
        var afterCall = kit.Monitor.GetHealth("alpha")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterCheck.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
            Assert.That(afterCall.Status, Is.EqualTo(LlmHealthStatus.Healthy));
            Assert.That(afterCall.Message, Is.EqualTo("Calls succeeded after the last check found a problem."));
        }
    }

    [Test]
    public async Task The_health_strategy_tries_a_provider_whose_last_check_failed_last()
    {
        using var kit = new HealthTestKit(null, b => b.AddFallbackChain("main", c =>
        {
            c.Strategy = RoutingStrategyKind.HealthBased;
            c.Targets.Add(new ChainTarget { ProviderName = "alpha" });
            c.Targets.Add(new ChainTarget { ProviderName = "beta" });
        }), "alpha", "beta");
        kit["alpha"].FailNextCheck(new ProviderUnavailableException("unreachable") { ProviderName = "alpha" });
        await kit.Monitor.CheckNowAsync();

        var result = await kit.Services.GetRequiredKeyedService<ILlmRouter>("main").ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("beta"));
            Assert.That(kit["alpha"].ChatRequests, Is.Empty);
        }
    }

    [Test]
    public void The_recorder_keeps_only_the_window_for_the_success_rate()
    {
        var recorder = new LlmHealthRecorder(TimeProvider.System, windowSize: 4);
        for (int i = 0; i < 4; i++)
        {
            recorder.Record("p", Refused(), TimeSpan.FromMilliseconds(10));
        }

        for (int i = 0; i < 4; i++)
        {
            recorder.Record("p", null, TimeSpan.FromMilliseconds(30));
        }

        recorder.Get("p").ReadWindow(out int samples, out double? rate, out TimeSpan? latency);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(samples, Is.EqualTo(4));
            Assert.That(rate, Is.EqualTo(1.0));
            Assert.That(latency, Is.EqualTo(TimeSpan.FromMilliseconds(30)));
            Assert.That(recorder.Get("p").Requests, Is.EqualTo(8));
        }
    }

    [Test]
    public void A_traced_call_records_each_attempt_except_an_abandoned_hedge()
    {
        var recorder = new LlmHealthRecorder(TimeProvider.System);
        var trace = new RoutingTrace("main");
        var at = DateTimeOffset.UnixEpoch;
        trace.AddAttempt(new RoutingAttempt("slow", null, at, TimeSpan.FromSeconds(2), null) { Hedged = true, Abandoned = true });
        trace.AddAttempt(new RoutingAttempt("down", null, at, TimeSpan.FromSeconds(1), new ProviderUnavailableException("down") { ProviderName = "down" }));
        trace.AddAttempt(new RoutingAttempt("up", null, at, TimeSpan.FromMilliseconds(300), null));

        recorder.Record(trace);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recorder.Find("slow"), Is.Null);
            Assert.That(recorder.Find("down")!.Failures, Is.EqualTo(1));
            Assert.That(recorder.Find("down")!.LastErrorKind, Is.EqualTo(LlmErrorKind.ProviderUnavailable));
            Assert.That(recorder.Find("up")!.Requests, Is.EqualTo(1));
            Assert.That(recorder.Find("up")!.ConsecutiveFailures, Is.Zero);
        }
    }
}
