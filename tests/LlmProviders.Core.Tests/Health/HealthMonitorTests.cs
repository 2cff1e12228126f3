using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Health;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmProviders.Tests.Health;

public sealed class HealthMonitorTests
{
    [Test]
    public async Task Providers_are_checked_at_start_and_again_after_each_interval()
    {
        using var kit = new HealthTestKit(o => o.Interval = TimeSpan.FromSeconds(60));
        await kit.Monitor.StartAsync();
        await kit.LastRound;
        int afterStart = kit["alpha"].Checks;

        kit.Time.Advance(TimeSpan.FromSeconds(59));
        await kit.LastRound;
        int beforeInterval = kit["alpha"].Checks;

        kit.Time.Advance(TimeSpan.FromSeconds(1));
        await kit.LastRound;
        int afterInterval = kit["alpha"].Checks;
        await kit.Monitor.StopAsync();
        kit.Time.Advance(TimeSpan.FromSeconds(600));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterStart, Is.EqualTo(1));
            Assert.That(beforeInterval, Is.EqualTo(1));
            Assert.That(afterInterval, Is.EqualTo(2));
            Assert.That(kit["alpha"].Checks, Is.EqualTo(2), "no check after StopAsync");
            Assert.That(kit.Monitor.GetHealth("alpha")!.LastCheckedAt, Is.EqualTo(kit.Time.GetUtcNow() - TimeSpan.FromSeconds(600)));
        }
    }

    [Test]
    public async Task A_failed_check_makes_the_provider_unhealthy_and_a_passing_one_heals_it_with_the_uptime_over_the_history()
    {
        using var kit = new HealthTestKit(o => o.Interval = TimeSpan.FromSeconds(30));
        kit["alpha"].FailNextCheck(new ProviderUnavailableException("alpha could not be reached (ConnectionError).") { ProviderName = "alpha" });
        await kit.Monitor.StartAsync();
        await kit.LastRound;
        var failed = kit.Monitor.GetHealth("alpha")!;

        kit.Time.Advance(TimeSpan.FromSeconds(30));
        await kit.LastRound;
        var healed = kit.Monitor.GetHealth("alpha")!;
        await kit.Monitor.StopAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
            Assert.That(failed.Message, Does.StartWith("The last check failed: alpha could not be reached"));
            Assert.That(failed.ConsecutiveFailedChecks, Is.EqualTo(1));
            Assert.That(healed.Status, Is.EqualTo(LlmHealthStatus.Healthy));
            Assert.That(healed.Message, Is.EqualTo("3 models available"));
            Assert.That(healed.Uptime, Is.EqualTo(0.5));
            Assert.That(healed.History.Select(h => h.Status), Is.EqualTo(new[] { LlmHealthStatus.Unhealthy, LlmHealthStatus.Healthy }));
            Assert.That(healed.LastCheckLatency, Is.EqualTo(TimeSpan.FromMilliseconds(20)));
        }
    }

    [Test]
    public async Task The_history_keeps_only_the_latest_checks()
    {
        using var kit = new HealthTestKit(o => o.HistorySize = 3);
        kit["alpha"].FailNextCheck(new ProviderOverloadedException("busy") { ProviderName = "alpha" });
        for (int i = 0; i < 5; i++)
        {
            await kit.Monitor.CheckNowAsync("alpha");
        }

        var health = kit.Monitor.GetHealth("alpha")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.History, Has.Count.EqualTo(3));
            Assert.That(health.Uptime, Is.EqualTo(1.0), "the failed first check fell out of the history");
            Assert.That(kit["alpha"].Checks, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task A_check_that_does_not_answer_times_out_and_counts_as_unhealthy()
    {
        using var kit = new HealthTestKit(o => o.Timeout = TimeSpan.FromSeconds(5));
        kit["alpha"].HangChecks = true;
        var check = kit.Monitor.CheckNowAsync("alpha");
        Assert.That(check.IsCompleted, Is.False);

        kit.Time.Advance(TimeSpan.FromSeconds(5));
        var health = (await check)[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
            Assert.That(health.Message, Does.Contain("did not answer within 5 s (Health:Timeout)"));
            Assert.That(health.History[0].Error, Is.InstanceOf<ProviderTimeoutException>());
        }
    }

    [Test]
    public async Task Per_provider_overrides_set_the_interval_or_turn_the_checks_off()
    {
        using var kit = new HealthTestKit(o =>
        {
            o.Interval = TimeSpan.FromSeconds(60);
            o.Providers["fast"] = new ProviderHealthMonitorOptions { Interval = TimeSpan.FromSeconds(10) };
            o.Providers["off"] = new ProviderHealthMonitorOptions { Enabled = false };
        }, null, "fast", "slow", "off");
        await kit.Monitor.StartAsync();
        await kit.LastRound;
        kit.Time.Advance(TimeSpan.FromSeconds(10));
        await kit.LastRound;
        kit.Time.Advance(TimeSpan.FromSeconds(10));
        await kit.LastRound;
        await kit.Monitor.StopAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(kit["fast"].Checks, Is.EqualTo(3));
            Assert.That(kit["slow"].Checks, Is.EqualTo(1));
            Assert.That(kit["off"].Checks, Is.Zero);
            Assert.That(kit.Monitor.GetHealth("off")!.HasData, Is.False);
        }
    }

    [Test]
    public async Task A_provider_configured_to_probe_with_a_completion_gets_a_one_token_chat_instead_of_its_check()
    {
        using var kit = new HealthTestKit(o => o.Providers["alpha"] = new ProviderHealthMonitorOptions { ProbeWithCompletion = true, ProbeModel = "tiny" });
        var health = (await kit.Monitor.CheckNowAsync("alpha"))[0];

        kit["alpha"].ChatRequests.TryPeek(out var probe);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(kit["alpha"].Checks, Is.Zero);
            Assert.That(probe!.MaxOutputTokens, Is.EqualTo(1));
            Assert.That(probe.Model, Is.EqualTo("tiny"));
            Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Healthy));
            Assert.That(health.Message, Is.EqualTo("A one-token completion from tiny answered."));
        }
    }

    [Test]
    public async Task A_provider_added_at_run_time_is_monitored_and_one_removed_is_forgotten()
    {
        using var kit = new HealthTestKit(o => o.Interval = TimeSpan.FromSeconds(60));
        await kit.Monitor.StartAsync();
        await kit.LastRound;
        var manager = kit.Services.GetRequiredService<ILlmProviderManager>();
        var added = new HealthTestProvider("beta", kit.Time);
        manager.AddProvider(added);

        kit.Time.Advance(TimeSpan.FromSeconds(60));
        await kit.LastRound;
        var all = kit.Monitor.GetAll();
        manager.RemoveProvider("alpha");
        await kit.Monitor.StopAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(added.Checks, Is.EqualTo(1));
            Assert.That(all.Select(h => h.ProviderName), Is.EqualTo(new[] { "alpha", "beta" }));
            Assert.That(kit.Monitor.GetAll().Select(h => h.ProviderName), Is.EqualTo(new[] { "beta" }));
            Assert.That(kit.Monitor.GetHealth("alpha"), Is.Null);
        }
    }

    [Test]
    public async Task Routers_are_not_listed_or_checked()
    {
        using var kit = new HealthTestKit(null, b => b.AddFallbackChain("main", c => c.Targets.Add(new ChainTarget { ProviderName = "alpha" })));
        var all = await kit.Monitor.CheckNowAsync();

        Assert.That(all.Select(h => h.ProviderName), Is.EqualTo(new[] { "alpha" }));
    }

    [Test]
    public async Task Checking_a_provider_that_is_not_registered_names_it()
    {
        using var kit = new HealthTestKit();
        var error = Assert.ThrowsAsync<ArgumentException>(() => kit.Monitor.CheckNowAsync("gamma"));
        Assert.That(error!.Message, Does.Contain("'gamma'"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Disabled_monitoring_runs_no_background_checks_but_checks_on_demand()
    {
        using var kit = new HealthTestKit(o => o.Enabled = false);
        await kit.Monitor.StartAsync();
        kit.Time.Advance(TimeSpan.FromMinutes(10));
        int background = kit["alpha"].Checks;
        await kit.Monitor.CheckNowAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(background, Is.Zero);
            Assert.That(kit["alpha"].Checks, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task The_monitor_starts_and_stops_with_the_host()
    {
        using var kit = new HealthTestKit();
        var hosted = kit.Services.GetServices<IHostedService>().Single();
        await hosted.StartAsync(CancellationToken.None);
        await kit.LastRound;
        await hosted.StopAsync(CancellationToken.None);
        kit.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.That(kit["alpha"].Checks, Is.EqualTo(1));
    }

    [Test]
    public async Task An_open_circuit_makes_the_provider_unhealthy_and_shows_the_circuit_state()
    {
        using var kit = new HealthTestKit();
        await kit.Monitor.CheckNowAsync();
        kit.Services.GetRequiredService<TargetResilienceRegistry>().Get(kit["alpha"]).IsolateCircuit();

        var health = kit.Monitor.GetHealth("alpha")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
            Assert.That(health.CircuitState, Is.EqualTo(TargetCircuitState.Isolated));
            Assert.That(health.Message, Does.Contain("opened by hand"));
        }
    }

    [Test]
    public async Task A_slow_check_makes_the_provider_degraded()
    {
        using var kit = new HealthTestKit(o => o.DegradedAboveLatency = TimeSpan.FromSeconds(2));
        kit["alpha"].CheckLatency = TimeSpan.FromSeconds(3);
        var health = (await kit.Monitor.CheckNowAsync("alpha"))[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Degraded));
            Assert.That(health.Message, Is.EqualTo("The last check took 3000 ms, above 2000 ms (Health:DegradedAboveLatency)."));
        }
    }

    [Test]
    public void Before_any_check_or_traffic_a_provider_is_healthy_without_data()
    {
        using var kit = new HealthTestKit();
        var health = kit.Monitor.GetHealth("alpha")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Healthy));
            Assert.That(health.HasData, Is.False);
            Assert.That(health.LastCheckedAt, Is.Null);
            Assert.That(health.Message, Is.EqualTo("Not checked yet, and no traffic seen."));
        }
    }
}
