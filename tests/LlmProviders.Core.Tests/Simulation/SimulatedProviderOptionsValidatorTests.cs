using System;
using LlmProviders.Simulation;

namespace LlmProviders.Tests.Simulation;

public class SimulatedProviderOptionsValidatorTests
{
    [Test]
    public void Default_options_are_valid()
    {
        Assert.That(SimulatedProviderOptionsValidator.Instance.Validate("sim", new SimulatedProviderOptions()).Succeeded, Is.True);
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    public void Failure_rate_outside_0_to_1_names_the_option_and_the_range(double rate)
    {
        var message = Failure(new SimulatedProviderOptions { FailureRate = rate });

        Assert.That(message, Does.Contain("Simulated provider 'sim'").And.Contain($"FailureRate is {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be between 0 (never fail) and 1 (always fail)"));
    }

    [Test]
    public void Min_latency_above_max_latency_says_to_swap_them()
    {
        var message = Failure(new SimulatedProviderOptions { MinLatency = TimeSpan.FromSeconds(2), MaxLatency = TimeSpan.FromSeconds(1) });

        Assert.That(message, Does.Contain("MinLatency (00:00:02) is greater than MaxLatency (00:00:01)"));
    }

    [Test]
    public void Only_one_latency_bound_is_rejected()
    {
        Assert.That(Failure(new SimulatedProviderOptions { MaxLatency = TimeSpan.FromSeconds(1) }), Does.Contain("MinLatency and MaxLatency must be set together"));
    }

    [Test]
    public void Fixed_and_random_latency_together_are_rejected()
    {
        var options = new SimulatedProviderOptions { Latency = TimeSpan.FromSeconds(1), MinLatency = TimeSpan.Zero, MaxLatency = TimeSpan.FromSeconds(2) };

        Assert.That(Failure(options), Does.Contain("set Latency for a fixed latency or MinLatency/MaxLatency for a random one, not both"));
    }

    [Test]
    public void Negative_durations_and_prices_are_rejected()
    {
        var message = Failure(new SimulatedProviderOptions
        {
            Latency = TimeSpan.FromSeconds(-1),
            TokenDelay = TimeSpan.FromSeconds(-1),
            RetryAfter = TimeSpan.FromSeconds(-1),
            InputPricePerMillionTokens = -1,
            OutputPricePerMillionTokens = -1,
        });

        Assert.That(message, Does.Contain("Latency is -00:00:01").And.Contain("TokenDelay").And.Contain("RetryAfter")
            .And.Contain("InputPricePerMillionTokens").And.Contain("OutputPricePerMillionTokens"));
    }

    [TestCase(LlmErrorKind.AllProvidersFailed)]
    [TestCase(LlmErrorKind.NoProviderAvailable)]
    [TestCase(LlmErrorKind.BudgetExceeded)]
    [TestCase(LlmErrorKind.Unknown)]
    public void Failure_kinds_a_provider_cannot_report_are_rejected(LlmErrorKind kind)
    {
        var options = new SimulatedProviderOptions();
        options.FailureKinds.Add(kind);

        Assert.That(Failure(options), Does.Contain($"FailureKinds contains {kind}").And.Contain("RateLimited"));
    }

    [Test]
    public void Missing_model_and_text_are_rejected()
    {
        var message = Failure(new SimulatedProviderOptions { Model = "", ResponseText = null! });

        Assert.That(message, Does.Contain("Model: required; set it to the model id").And.Contain("ResponseText: required; set the text"));
    }

    [Test]
    public void Negative_stream_cut_is_rejected()
    {
        Assert.That(Failure(new SimulatedProviderOptions { StreamCutAfterTokens = -1 }), Does.Contain("StreamCutAfterTokens is -1; it must be 0 or more"));
    }

    [Test]
    public void Constructor_rejects_invalid_options_with_the_same_message()
    {
        var thrown = Assert.Throws<ArgumentException>(() => _ = new SimulatedProvider(new SimulatedProviderOptions { FailureRate = 2 }, "flaky"));

        Assert.That(thrown!.Message, Does.Contain("Simulated provider 'flaky'").And.Contain("FailureRate"));
        Assert.That(thrown.ParamName, Is.EqualTo("options"));
    }

    private static string Failure(SimulatedProviderOptions options)
    {
        var result = SimulatedProviderOptionsValidator.Instance.Validate("sim", options);
        Assert.That(result.Failed, Is.True);
        return result.FailureMessage!;
    }
}
