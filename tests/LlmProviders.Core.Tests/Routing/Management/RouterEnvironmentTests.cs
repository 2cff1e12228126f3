using System;
using System.Collections.Generic;
using LlmProviders.Routing;

namespace LlmProviders.Tests.Routing.Management;

/// <summary>The router's environment knobs (SPEC RT8): values read through an injected reader, invalid ones named.</summary>
public sealed class RouterEnvironmentTests
{
    private static RouterEnvironment Environment(string variable, string value) =>
        new(name => name == variable ? value : null);

    [Test]
    public void Unset_variables_are_null()
    {
        var environment = new RouterEnvironment(_ => null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment.DefaultProvider, Is.Null);
            Assert.That(environment.RoutingStrategy, Is.Null);
            Assert.That(environment.EnableFallback, Is.Null);
            Assert.That(environment.PreferLocal, Is.Null);
            Assert.That(environment.MaxLatency, Is.Null);
        }
    }

    [Test]
    public void Names_are_read_trimmed()
    {
        var environment = new RouterEnvironment(name => new Dictionary<string, string>
        {
            ["LLM_DEFAULT_PROVIDER"] = " ollama ",
            ["LLM_ROUTING_STRATEGY"] = "least_cost",
        }.GetValueOrDefault(name));

        Assert.That((environment.DefaultProvider, environment.RoutingStrategy), Is.EqualTo(("ollama", "least_cost")));
    }

    [TestCase("true", true)]
    [TestCase("TRUE", true)]
    [TestCase("1", true)]
    [TestCase("yes", true)]
    [TestCase("Yes", true)]
    [TestCase("false", false)]
    [TestCase("0", false)]
    [TestCase("no", false)]
    [TestCase(" No ", false)]
    public void Booleans_accept_true_false_1_0_yes_no(string value, bool expected)
    {
        Assert.That(Environment("LLM_ENABLE_FALLBACK", value).EnableFallback, Is.EqualTo(expected));
        Assert.That(Environment("LLM_PREFER_LOCAL", value).PreferLocal, Is.EqualTo(expected));
    }

    [TestCase("LLM_ENABLE_FALLBACK", "maybe")]
    [TestCase("LLM_PREFER_LOCAL", "2")]
    public void An_invalid_boolean_names_the_variable_and_the_accepted_values(string variable, string value)
    {
        var environment = Environment(variable, value);

        var ex = Assert.Throws<InvalidOperationException>(() => _ = variable == "LLM_PREFER_LOCAL" ? environment.PreferLocal : environment.EnableFallback);

        Assert.That(ex!.Message, Is.EqualTo($"{variable} is '{value}'; set it to true, false, 1, 0, yes or no (any case), or unset it."));
    }

    [Test]
    public void Max_latency_is_milliseconds()
    {
        Assert.That(Environment("LLM_MAX_LATENCY_MS", "2500").MaxLatency, Is.EqualTo(TimeSpan.FromMilliseconds(2500)));
    }

    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("1.5")]
    [TestCase("2s")]
    [TestCase("99999999999")]
    public void An_invalid_max_latency_names_the_variable_and_what_it_takes(string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => _ = Environment("LLM_MAX_LATENCY_MS", value).MaxLatency);

        Assert.That(ex!.Message, Is.EqualTo($"LLM_MAX_LATENCY_MS is '{value}'; set it to a positive whole number of milliseconds (e.g. 2000), or unset it."));
    }
}
