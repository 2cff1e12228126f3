using System;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class LoadStrategiesTests
{
    [Test]
    public void Least_busy_orders_by_attempts_in_flight()
    {
        var a = Target("a");
        var b = Target("b");
        var c = Target("c");
        a.OnAttemptStarted(Start);
        a.OnAttemptStarted(Start);
        c.OnAttemptStarted(Start);

        Assert.That(Order(RoutingStrategies.LeastBusy(), new[] { a, b, c }), Is.EqualTo(new[] { "b", "c", "a" }));
    }

    [Test]
    public void In_flight_and_call_counters_are_exact_under_1000_parallel_attempts()
    {
        var target = Target("a");

        Parallel.For(0, 1000, _ => target.OnAttemptStarted(Start));
        int inFlightAtPeak = target.InFlight;
        Parallel.For(0, 1000, i => target.OnAttemptCompleted(Start, success: i % 4 != 0, null, TimeSpan.FromSeconds(1), 10, 30));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inFlightAtPeak, Is.EqualTo(1000));
            Assert.That(target.InFlight, Is.Zero);
            Assert.That(target.Calls, Is.EqualTo(1000));
            Assert.That(target.Failures, Is.EqualTo(250));
            Assert.That(target.LatencySamples, Is.EqualTo(750));
            Assert.That(target.GetTokensUsedInLastMinute(Start), Is.EqualTo(30_000));
        }
    }

    [Test]
    public void Interleaved_parallel_starts_and_completions_leave_nothing_in_flight()
    {
        var target = Target("a");

        Parallel.For(0, 1000, i =>
        {
            target.OnAttemptStarted(Start);
            target.OnAttemptCompleted(Start, success: true, null, TimeSpan.FromSeconds(1), 10, 0);
        });

        Assert.That((target.InFlight, target.Calls, target.ConsecutiveFailures), Is.EqualTo((0, 1000L, 0)));
    }

    [Test]
    public void Token_load_orders_by_the_share_of_the_quota_used_this_minute()
    {
        var now = Start;
        RoutingTargetInfo half = new("half", "openai") { TokensPerMinuteQuota = 10_000 };
        RoutingTargetInfo tenth = new("tenth", "openai") { TokensPerMinuteQuota = 100_000 };
        RoutingTargetInfo full = new("full", "openai") { TokensPerMinuteQuota = 1_000 };
        RoutingTargetInfo unlimited = new("unlimited", "openai");
        Use(half, 5_000, now);
        Use(tenth, 10_000, now);
        Use(full, 1_000, now);
        Use(unlimited, 20_000, now);

        Assert.That(Order(RoutingStrategies.TokenLoad(), Context(new[] { full, unlimited, half, tenth }, now: now)),
            Is.EqualTo(new[] { "tenth", "half", "unlimited", "full" }));
    }

    [Test]
    public void Token_load_orders_targets_without_a_quota_by_tokens_used()
    {
        var busy = Target("busy");
        var idle = Target("idle");
        var light = Target("light");
        Use(busy, 9_000, Start);
        Use(light, 100, Start);

        Assert.That(Order(RoutingStrategies.TokenLoad(), Context(new[] { busy, idle, light })), Is.EqualTo(new[] { "idle", "light", "busy" }));
    }

    [Test]
    public void Tokens_leave_the_rolling_minute_as_the_clock_moves()
    {
        var clock = new ManualTimeProvider(Start);
        var target = new RoutingTargetInfo("a", "openai") { TimeProvider = clock };
        Use(target, 1_000, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(30));
        Use(target, 500, clock.GetUtcNow());

        long atThirty = target.TokensUsedThisMinute;
        clock.Advance(TimeSpan.FromSeconds(35));
        long atSixtyFive = target.TokensUsedThisMinute;
        clock.Advance(TimeSpan.FromSeconds(60));
        long later = target.TokensUsedThisMinute;

        Assert.That((atThirty, atSixtyFive, later), Is.EqualTo((1_500L, 500L, 0L)));
    }

    [Test]
    public void Failed_attempts_count_their_tokens_too()
    {
        var target = Target("a");
        target.OnAttemptStarted(Start);
        target.OnAttemptCompleted(Start, success: false, null, TimeSpan.FromSeconds(1), outputTokens: 0, totalTokens: 700);

        Assert.That(target.GetTokensUsedInLastMinute(Start.AddSeconds(5)), Is.EqualTo(700));
    }

    private static void Use(RoutingTargetInfo target, long tokens, DateTimeOffset at)
    {
        target.OnAttemptStarted(at);
        target.OnAttemptCompleted(at, success: true, null, TimeSpan.FromSeconds(1), 10, tokens);
    }
}
