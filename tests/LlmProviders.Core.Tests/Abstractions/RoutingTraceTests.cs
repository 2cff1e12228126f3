using System;
using LlmProviders.Http;

namespace LlmProviders.Tests.Abstractions;

[TestFixture]
public sealed class RoutingTraceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void ToString_lists_skipped_candidates_and_every_attempt()
    {
        var trace = new RoutingTrace("default", "priority");
        trace.AddCandidate(new RoutingCandidate("openai-main", "gpt-4o", CandidateSkipReason.CircuitOpen, "open until 12:00:30"));
        trace.AddCandidate(new RoutingCandidate("anthropic", null));
        trace.AddCandidate(new RoutingCandidate("ollama", "llama3", CandidateSkipReason.MissingCapability));
        trace.AddAttempt(new RoutingAttempt("anthropic", "claude", T0, TimeSpan.FromMilliseconds(1234), new ProviderOverloadedException("anthropic returned HTTP 529 (overloaded): Overloaded.")));
        trace.AddAttempt(new RoutingAttempt("gemini", null, T0, TimeSpan.FromMilliseconds(87.4), null));

        var lines = trace.ToString().Split(Environment.NewLine);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "route default by priority",
            "  skip openai-main/gpt-4o: skipped (CircuitOpen: open until 12:00:30)",
            "  skip ollama/llama3: skipped (MissingCapability)",
            "  try  anthropic/claude: Overloaded in 1234 ms \u2014 anthropic returned HTTP 529 (overloaded): Overloaded.",
            "  try  gemini/default: ok in 87 ms",
        }));
    }

    [Test]
    public void ToString_of_an_empty_trace_names_the_default_route()
    {
        Assert.That(new RoutingTrace(null).ToString(), Is.EqualTo("route (default)"));
    }

    [Test]
    public void ToString_never_includes_a_key()
    {
        const string key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        var trace = new RoutingTrace("r");
        trace.AddAttempt(new RoutingAttempt("anthropic", "claude", T0, TimeSpan.Zero, new ProviderAuthenticationException($"bad key {key}")));
        var context = new ProviderErrorContext { ProviderName = "openai", Secret = key, StatusCode = System.Net.HttpStatusCode.Unauthorized, Body = $"{{\"error\":\"key {key} invalid\"}}" };
        trace.AddAttempt(new RoutingAttempt("openai", "gpt", T0, TimeSpan.Zero, LlmErrorFactory.FromResponse(context, null)));

        Assert.That(trace.ToString(), Does.Not.Contain("AbCdEfGh").And.Contain(SecretRedactor.Mask));
    }

    [Test]
    public void Candidates_and_attempts_report_their_state()
    {
        var tried = new RoutingCandidate("a", "m");
        var skipped = new RoutingCandidate("b", "m", CandidateSkipReason.OverBudget);
        var ok = new RoutingAttempt("a", "m", T0, TimeSpan.FromSeconds(1), null);
        var failed = new RoutingAttempt("a", "m", T0, TimeSpan.FromSeconds(1), new ProviderTimeoutException());

        Assert.Multiple(() =>
        {
            Assert.That(tried.WasSkipped, Is.False);
            Assert.That(tried.ToString(), Is.EqualTo("a/m: tried"));
            Assert.That(skipped.WasSkipped, Is.True);
            Assert.That(ok.Succeeded, Is.True);
            Assert.That(failed.Succeeded, Is.False);
            Assert.That(() => new RoutingTrace("r").AddCandidate(null!), Throws.ArgumentNullException);
            Assert.That(() => new RoutingTrace("r").AddAttempt(null!), Throws.ArgumentNullException);
        });
    }

    [Test]
    public void Candidates_and_attempts_are_live_read_only_lists_in_the_order_added()
    {
        var trace = new RoutingTrace("r");
        var candidates = trace.Candidates;
        var attempts = trace.Attempts;
        var added = new[] { new RoutingCandidate("a", "m"), new RoutingCandidate("b", null, CandidateSkipReason.NotReached), new RoutingCandidate("c", "n") };
        foreach (var candidate in added)
        {
            trace.AddCandidate(candidate);
        }

        var first = new RoutingAttempt("a", "m", T0, TimeSpan.FromSeconds(1), new ProviderTimeoutException());
        var second = new RoutingAttempt("c", "n", T0, TimeSpan.FromSeconds(2), null);
        trace.AddAttempt(first);
        trace.AddAttempt(second);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(candidates, Is.EqualTo(added));
            Assert.That(trace.Candidates, Has.Count.EqualTo(3));
            Assert.That(trace.Candidates[2], Is.SameAs(added[2]));
            Assert.That(attempts, Is.EqualTo(new[] { first, second }));
            Assert.That(trace.Attempts[0], Is.SameAs(first));
            Assert.That(() => trace.Candidates[3], Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => trace.Attempts[-1], Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(new RoutingTrace("empty").Attempts, Is.Empty);
        }
    }
}
