using System;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.Integration.IntegrationKit;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>R2 through the router: a failing target's circuit opens, the router skips it, one probe after the break decides.</summary>
public class CircuitThroughChainTests
{
    private ManualTimeProvider _time = null!;
    private ClockedProvider _primary = null!;
    private ClockedProvider _backup = null!;
    private TargetResilienceRegistry _resilience = null!;
    private FallbackChainProvider _chain = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider();
        _primary = new ClockedProvider("primary", _time);
        _backup = new ClockedProvider("backup", _time);

        // No retries: each call is one attempt on the primary, so the breaker's count is the calls' count.
        _resilience = Registry(_time, o =>
        {
            o.Retry.MaxRetries = 0;
            o.CircuitBreaker.FailureThreshold = 3;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
            o.CircuitBreaker.BreakDurationMultiplier = 2;
        });
        _chain = Chain(_time, _resilience, null, _primary, _backup);
    }

    [TearDown]
    public void TearDown() => _resilience.Dispose();

    [Test]
    public async Task After_three_failures_in_a_row_the_next_calls_skip_the_target_as_circuit_open_and_go_to_the_backup()
    {
        _primary.ThenFail(Unavailable("primary"), times: 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.That((await _chain.ChatAsync(new ChatRequest("hi"))).ProviderName, Is.EqualTo("backup"));
        }

        var result = await _chain.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(_primary.Calls, Is.EqualTo(3), "the open circuit kept the call away from the primary");
            Assert.That(result.Trace!.Candidates[0].ProviderName, Is.EqualTo("primary"));
            Assert.That(result.Trace.Candidates[0].SkipReason, Is.EqualTo(CandidateSkipReason.CircuitOpen));
            Assert.That(result.Trace.Candidates[0].Detail, Does.Contain("open"));
            Assert.That(result.Trace.Attempts, Has.Count.EqualTo(1));
            Assert.That(result.Trace.Attempts[0].ProviderName, Is.EqualTo("backup"));
            Assert.That(_resilience.Find("primary")!.CircuitState, Is.EqualTo(TargetCircuitState.Open));
        }
    }

    [Test]
    public async Task After_the_break_one_probe_reaches_the_target_and_its_success_puts_the_target_first_again()
    {
        await Trip();
        _time.Advance(TimeSpan.FromSeconds(29));
        var beforeBreakEnds = await _chain.ChatAsync(new ChatRequest("hi"));
        _time.Advance(TimeSpan.FromSeconds(1));

        var probe = await _chain.ChatAsync(new ChatRequest("hi"));
        var next = await _chain.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeBreakEnds.Trace!.Candidates[0].SkipReason, Is.EqualTo(CandidateSkipReason.CircuitOpen), "still open at 29 s");
            Assert.That(probe.ProviderName, Is.EqualTo("primary"), "the probe reached the primary at 30 s");
            Assert.That(next.ProviderName, Is.EqualTo("primary"), "closed: the primary is first again");
            Assert.That(next.Trace!.Candidates[0].WasSkipped, Is.False);
            Assert.That(_primary.Calls, Is.EqualTo(5));
            Assert.That(_backup.Calls, Is.EqualTo(4), "3 failovers while failing + 1 while open");
            Assert.That(_resilience.Find("primary")!.CircuitState, Is.EqualTo(TargetCircuitState.Closed));
        }
    }

    [Test]
    public async Task A_failed_probe_opens_the_circuit_again_for_a_longer_break()
    {
        await Trip();
        _primary.ThenFail(Unavailable("primary"));
        _time.Advance(TimeSpan.FromSeconds(30));

        var failedProbe = await _chain.ChatAsync(new ChatRequest("hi"));
        _time.Advance(TimeSpan.FromSeconds(30));
        var at30SecondsOfSecondBreak = await _chain.ChatAsync(new ChatRequest("hi"));
        _time.Advance(TimeSpan.FromSeconds(30));
        var at60SecondsOfSecondBreak = await _chain.ChatAsync(new ChatRequest("hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failedProbe.ProviderName, Is.EqualTo("backup"));
            Assert.That(failedProbe.Trace!.Attempts[0].ProviderName, Is.EqualTo("primary"), "the probe was sent");
            Assert.That(failedProbe.Trace.Attempts[0].Error, Is.TypeOf<ProviderUnavailableException>());
            Assert.That(_resilience.Find("primary")!.LastBreakDuration, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(at30SecondsOfSecondBreak.Trace!.Candidates[0].SkipReason, Is.EqualTo(CandidateSkipReason.CircuitOpen), "the second break is longer than 30 s");
            Assert.That(at30SecondsOfSecondBreak.ProviderName, Is.EqualTo("backup"));
            Assert.That(at60SecondsOfSecondBreak.ProviderName, Is.EqualTo("primary"), "the next probe at 60 s succeeded");
            Assert.That(_primary.Calls, Is.EqualTo(5), "3 failures, the failed probe, the good probe");
        }
    }

    [Test]
    public async Task While_the_probe_is_in_flight_other_calls_skip_the_half_open_target()
    {
        await Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        _primary.Latency = TimeSpan.FromSeconds(1);

        var probe = _chain.ChatAsync(new ChatRequest("hi"));
        await TimersPending(_time);
        var meanwhile = await _chain.ChatAsync(new ChatRequest("hi"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var probeResult = await probe;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(meanwhile.ProviderName, Is.EqualTo("backup"));
            Assert.That(meanwhile.Trace!.Candidates[0].SkipReason, Is.EqualTo(CandidateSkipReason.CircuitOpen));
            Assert.That(meanwhile.Trace.Candidates[0].Detail, Does.Contain("probe"));
            Assert.That(probeResult.ProviderName, Is.EqualTo("primary"));
            Assert.That(_primary.Calls, Is.EqualTo(4), "one probe only");
            Assert.That(_resilience.Find("primary")!.CircuitState, Is.EqualTo(TargetCircuitState.Closed));
        }
    }

    private async Task Trip()
    {
        _primary.ThenFail(Unavailable("primary"), times: 3);
        for (int i = 0; i < 3; i++)
        {
            await _chain.ChatAsync(new ChatRequest("hi"));
        }

        Assert.That(_resilience.Find("primary")!.CircuitState, Is.EqualTo(TargetCircuitState.Open));
    }
}
