using System;
using LlmProviders.Costs;
using LlmProviders.Routing;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class RoutingTargetInfoTests
{
    [Test]
    public void A_new_target_is_available_healthy_and_unused()
    {
        var target = new RoutingTargetInfo("openai", "openai", "gpt-4o");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((target.IsAvailable, target.HealthScore, target.SuccessRate), Is.EqualTo((true, 1.0, 1.0)));
            Assert.That((target.InFlight, target.Calls, target.Failures, target.ConsecutiveFailures, target.LatencySamples), Is.EqualTo((0, 0L, 0L, 0, 0L)));
            Assert.That(target.LastUsed, Is.Null);
            Assert.That(target.TimeToFirstTokenEwma, Is.Null);
            Assert.That(target.TokensPerSecondEwma, Is.Null);
            Assert.That((target.Weight, target.Priority, target.TokensPerMinuteQuota, target.EwmaAlpha), Is.EqualTo((1.0, 0, (int?)null, 0.3)));
            Assert.That(target.ToString(), Is.EqualTo("openai/gpt-4o"));
        }
    }

    [Test]
    public void Success_rate_is_a_moving_average_and_a_success_resets_consecutive_failures()
    {
        var target = Target("a");

        Fail(target);
        Fail(target);
        double afterTwoFailures = target.SuccessRate;
        int consecutive = target.ConsecutiveFailures;
        Succeed(target, null, TimeSpan.FromSeconds(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterTwoFailures, Is.EqualTo(0.49).Within(1e-12), "1 → 0.7 → 0.49 with alpha 0.3");
            Assert.That(consecutive, Is.EqualTo(2));
            Assert.That(target.ConsecutiveFailures, Is.Zero);
            Assert.That(target.SuccessRate, Is.EqualTo(0.643).Within(1e-12));
            Assert.That((target.Calls, target.Failures), Is.EqualTo((3L, 2L)));
        }
    }

    [Test]
    public void Failed_attempts_do_not_measure_latency()
    {
        var target = Target("a");

        target.OnAttemptStarted(Start);
        target.OnAttemptCompleted(Start, success: false, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(30), 100, 0);

        Assert.That((target.LatencySamples, target.TimeToFirstTokenEwma), Is.EqualTo((0L, (TimeSpan?)null)));
    }

    [Test]
    public void The_health_monitor_score_lowers_the_health_until_it_is_forgotten()
    {
        var target = Target("a");

        target.SetHealthScore(0.25);
        double lowered = target.HealthScore;
        target.SetHealthScore(null);

        Assert.That((lowered, target.HealthScore), Is.EqualTo((0.25, 1.0)));
    }

    [Test]
    public void Locality_and_capabilities_default_to_the_kind_and_the_catalog_entry()
    {
        var ollama = new RoutingTargetInfo("ollama", "ollama");
        var catalogLocal = new RoutingTargetInfo("box", "openai-compatible") { CatalogEntry = new ModelCatalogEntry { IsLocal = true, Capabilities = LlmCapabilities.Tools } };
        var overridden = new RoutingTargetInfo("ollama-remote", "ollama") { IsLocal = false, Capabilities = LlmCapabilities.Chat };

        using (Assert.EnterMultipleScope())
        {
            Assert.That((ollama.IsLocal, catalogLocal.IsLocal, overridden.IsLocal), Is.EqualTo((true, true, false)));
            Assert.That((catalogLocal.Capabilities, overridden.Capabilities), Is.EqualTo((LlmCapabilities.Tools, LlmCapabilities.Chat)));
        }
    }

    [TestCase(0.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void An_alpha_outside_0_to_1_is_rejected(double alpha)
    {
        Assert.That(() => new RoutingTargetInfo("a", "openai") { EwmaAlpha = alpha }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("EwmaAlpha must be greater than 0 and at most 1"));
    }

    [Test]
    public void A_target_needs_a_provider_name_and_kind()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new RoutingTargetInfo(" ", "openai"), Throws.ArgumentException);
            Assert.That(() => new RoutingTargetInfo("a", ""), Throws.ArgumentException);
        }
    }
}
