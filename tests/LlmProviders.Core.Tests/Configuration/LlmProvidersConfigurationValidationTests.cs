using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static LlmProviders.Tests.Configuration.ConfigurationTestKit;

namespace LlmProviders.Tests.Configuration;

public sealed class LlmProvidersConfigurationValidationTests
{
    private const string Secret = "sk-secret-value-1234";

    [Test]
    public async Task Every_problem_is_reported_at_start_in_one_exception_naming_its_path()
    {
        await using var services = Build(
            new()
            {
                ["LlmProviders:Providers:mystery:Type"] = "quantum",
                ["LlmProviders:Providers:acme:Type"] = "acme",
                ["LlmProviders:Providers:limited:Type"] = "simulated",
                ["LlmProviders:Providers:limited:RateLimit:RequestsPerMinute"] = "-5",
                ["LlmProviders:Providers:badurl:Type"] = "acme",
                ["LlmProviders:Providers:badurl:ApiKey"] = Secret,
                ["LlmProviders:Providers:badurl:BaseUrl"] = "not a url",
                ["LlmProviders:Providers:slow:Type"] = "simulated",
                ["LlmProviders:Providers:slow:Timeout"] = "soon",
                ["LlmProviders:Providers:ok:Type"] = "simulated",
                ["LlmProviders:Routes:main:Targets:0"] = "ok",
                ["LlmProviders:Routes:main:Targets:1"] = "ghost",
                ["LlmProviders:Routes:main:Strategy"] = "fastest_possible",
                ["LlmProviders:DefaultStrategy"] = "psychic",
            },
            before: b => b.AddConfigurationBinder(new AcmeBinder(), "acme"));

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        var failures = new List<string>(exception!.Failures);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Has.Some.StartsWith("LlmProviders:Providers:mystery:Type: 'quantum' is no known provider type. Use one of: ")
                .And.Some.Contains("simulated"));
            Assert.That(failures, Has.Some.EqualTo(
                "LlmProviders:Providers:acme:ApiKey: the acme provider 'acme' has no API key. Set it (e.g. \"ApiKey\": \"env:ACME_API_KEY\", or user secrets), " +
                "set the environment variable ACME_API_KEY, mark the provider \"Optional\": true to skip it while no key exists, or set \"Enabled\": false."));
            Assert.That(failures, Has.Some.EqualTo(
                "LlmProviders:Providers:limited:RateLimit:RequestsPerMinute: -5 is negative. Set 0 or more (leave it unset for no limit)."));
            Assert.That(failures, Has.Some.EqualTo(
                "LlmProviders:Providers:badurl:BaseUrl: 'not a url' is no absolute http(s) URL. Write the API's base URL, e.g. \"https://api.openai.com/v1\" or \"http://localhost:11434\"."));
            Assert.That(failures, Has.Some.EqualTo(
                "LlmProviders:Providers:slow:Timeout: 'soon' is no duration. Write seconds (30, 2.5), a number with a unit (500ms, 30s, 5m, 1h) or a TimeSpan (00:00:30)."));
            Assert.That(failures, Has.Some.StartsWith("LlmProviders:Routes:main:Strategy: 'fastest_possible' is no routing strategy. Use one of: priority, round_robin"));
            Assert.That(failures, Has.Some.StartsWith("LlmProviders:DefaultStrategy: 'psychic' is no routing strategy."));
            Assert.That(failures, Has.Count.EqualTo(7), string.Join("\n", failures));
            Assert.That(exception.Message, Does.Not.Contain(Secret), "a key never appears in a message");
        }
    }

    [Test]
    public async Task A_route_naming_an_unregistered_provider_is_reported_with_what_is_registered()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:ok:Type"] = "simulated",
            ["LlmProviders:Routes:main:Targets:0"] = "ok",
            ["LlmProviders:Routes:main:Targets:1"] = "ghost/model-x",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Failures, Is.EqualTo(new[]
        {
            "LlmProviders:Routes:main:Targets:1: 'ghost' is no registered provider or route (registered: ok, main). " +
            "Configure it under Providers (or Routes), fix the name, or remove the reference.",
        }));
    }

    [Test]
    public async Task A_default_provider_that_is_not_registered_is_reported()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:ok:Type"] = "simulated",
            ["LlmProviders:DefaultProvider"] = "nobody",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Failures, Has.One.StartsWith("LlmProviders:DefaultProvider: 'nobody' is no registered provider or route"));
    }

    [TestCase("Enabled", "maybe", "LlmProviders:Providers:p:Enabled: 'maybe' is not a boolean. Write true or false.")]
    [TestCase("Priority", "first", "LlmProviders:Providers:p:Priority: 'first' is not a whole number. Write e.g. 1.")]
    [TestCase("Retry:MaxAttempts", "many", "LlmProviders:Providers:p:Retry:MaxAttempts: 'many' is not a number. Set a number of 0 or more.")]
    [TestCase("CostMultiplier", "-1", "LlmProviders:Providers:p:CostMultiplier: -1 is negative. Set 0 or more (leave it unset for no limit).")]
    public async Task A_bad_provider_value_names_its_path_and_the_fix(string key, string value, string message)
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Providers:p:Type"] = "simulated",
            ["LlmProviders:Providers:p:" + key] = value,
        });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Failures, Is.EqualTo(new[] { message }));
    }

    [Test]
    public async Task A_provider_without_a_name_in_an_array_is_reported()
    {
        await using var services = Build(new() { ["LlmProviders:Providers:0:Type"] = "simulated" });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Failures, Has.One.StartsWith("LlmProviders:Providers:0: the provider has no Name."));
    }

    [Test]
    public async Task A_budget_with_an_unknown_period_is_reported()
    {
        await using var services = Build(new()
        {
            ["LlmProviders:Budgets:0:Name"] = "b",
            ["LlmProviders:Budgets:0:Limit"] = "5",
            ["LlmProviders:Budgets:0:Period"] = "Fortnightly",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Failures, Has.One.StartsWith("LlmProviders:Budgets:0:Period: 'Fortnightly' is no BudgetPeriod. Use one of: "));
    }

    [Test]
    public async Task A_route_without_targets_is_reported()
    {
        await using var services = Build(new() { ["LlmProviders:Routes:empty:Strategy"] = "priority" });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Failures, Has.One.StartsWith("LlmProviders:Routes:empty: the route 'empty' has no targets."));
    }
}
