using System;
using System.Threading.Tasks;
using LlmProviders.Health;
using LlmProviders.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmProviders.Tests.Health;

public sealed class LlmProvidersHealthCheckTests
{
    private static async Task<(HealthReport Report, HealthReportEntry Entry)> RunAsync(Action<HealthTestProvider, HealthTestProvider> arrange, Action<HealthMonitorOptions>? configure = null, HealthStatus? failureStatus = null)
    {
        var time = new ManualTimeProvider();
        var alpha = new HealthTestProvider("alpha", time);
        var beta = new HealthTestProvider("beta", time);
        arrange(alpha, beta);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddLlmProviders(b => b.AddProvider("alpha", alpha.Kind, (_, _) => alpha).AddProvider("beta", beta.Kind, (_, _) => beta));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddHealthChecks().AddLlmProviders(failureStatus: failureStatus);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ILlmHealthMonitor>().CheckNowAsync();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return (report, report.Entries["llm-providers"]);
    }

    private static ProviderUnavailableException Down(string name) => new($"{name} could not be reached.") { ProviderName = name };

    [Test]
    public async Task Healthy_when_every_provider_is_healthy_with_each_providers_health_in_the_data()
    {
        var (report, entry) = await RunAsync((_, _) => { });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(entry.Description, Is.EqualTo("2 of 2 LLM provider(s) healthy, 0 unhealthy."));
            Assert.That(entry.Data.Keys, Is.EquivalentTo(new[] { "alpha", "beta" }));
            Assert.That(((LlmProviderHealth)entry.Data["alpha"]).Status, Is.EqualTo(LlmHealthStatus.Healthy));
        }
    }

    [Test]
    public async Task Degraded_when_some_providers_are_unhealthy_but_one_is_healthy()
    {
        var (report, entry) = await RunAsync((alpha, _) => alpha.AlwaysFailWith = Down("alpha"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(entry.Description, Is.EqualTo("1 of 2 LLM provider(s) healthy, 1 unhealthy."));
            Assert.That(((LlmProviderHealth)entry.Data["alpha"]).Message, Does.Contain("alpha could not be reached."));
        }
    }

    [Test]
    public async Task Unhealthy_when_no_provider_is_healthy()
    {
        var (report, _) = await RunAsync((alpha, beta) =>
        {
            alpha.AlwaysFailWith = Down("alpha");
            beta.AlwaysFailWith = Down("beta");
        });

        Assert.That(report.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }

    [Test]
    public async Task The_failure_status_is_the_registrations_and_one_unhealthy_provider_can_be_enough()
    {
        var (strict, _) = await RunAsync((alpha, _) => alpha.AlwaysFailWith = Down("alpha"), o => o.UnhealthyWhenAnyProviderIsUnhealthy = true);
        var (lenient, _) = await RunAsync((alpha, beta) =>
        {
            alpha.AlwaysFailWith = Down("alpha");
            beta.AlwaysFailWith = Down("beta");
        }, failureStatus: HealthStatus.Degraded);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(strict.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(lenient.Status, Is.EqualTo(HealthStatus.Degraded));
        }
    }
}
