using System;
using System.Collections.Generic;
using LlmProviders.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.Health;

public sealed class HealthMonitorOptionsValidatorTests
{
    [Test]
    public void The_defaults_are_valid()
    {
        var result = HealthMonitorOptionsValidator.Instance.Validate(null, new HealthMonitorOptions());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(new HealthMonitorOptions().Interval, Is.EqualTo(TimeSpan.FromSeconds(60)));
        }
    }

    [Test]
    public void Each_invalid_value_is_reported_with_its_path_and_fix()
    {
        var options = new HealthMonitorOptions
        {
            Interval = TimeSpan.Zero,
            Timeout = TimeSpan.FromSeconds(-1),
            HistorySize = 0,
            DegradedBelowSuccessRate = 1.5,
        };
        options.Providers["openai"] = new ProviderHealthMonitorOptions { Interval = TimeSpan.Zero };

        var result = HealthMonitorOptionsValidator.Instance.Validate(null, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures, Has.Exactly(5).Items);
            Assert.That(result.FailureMessage, Does.Contain("Health:Interval is 00:00:00; it must be positive"));
            Assert.That(result.FailureMessage, Does.Contain("Health:Timeout"));
            Assert.That(result.FailureMessage, Does.Contain("Health:HistorySize is 0"));
            Assert.That(result.FailureMessage, Does.Contain("Health:DegradedBelowSuccessRate is 1.5; it must be between 0 and 1"));
            Assert.That(result.FailureMessage, Does.Contain("Health:Providers:openai:Interval"));
        }
    }

    [Test]
    public void Invalid_options_fail_when_the_monitor_is_resolved()
    {
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b.AddSimulated().AddHealthMonitoring(o => o.HistorySize = -1));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILlmHealthMonitor>());
        Assert.That(error!.Message, Does.Contain("Health:HistorySize is -1"));
    }

    [Test]
    public void Options_bind_from_configuration_with_per_provider_overrides()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Health:Interval"] = "00:00:30",
            ["Health:Timeout"] = "00:00:05",
            ["Health:Providers:ollama:Interval"] = "00:00:15",
            ["Health:Providers:ollama:ProbeWithCompletion"] = "true",
            ["Health:Providers:openai:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b.AddSimulated("ollama").AddSimulated("openai").AddHealthMonitoring());
        services.Configure<HealthMonitorOptions>(configuration.GetSection("Health"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HealthMonitorOptions>>().Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Interval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.Providers["OLLAMA"].Interval, Is.EqualTo(TimeSpan.FromSeconds(15)), "names ignore case");
            Assert.That(options.Providers["ollama"].ProbeWithCompletion, Is.True);
            Assert.That(options.Providers["openai"].Enabled, Is.False);
        }
    }
}
