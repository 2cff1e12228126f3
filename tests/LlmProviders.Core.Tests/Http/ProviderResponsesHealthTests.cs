using System;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Http;

public sealed class ProviderResponsesHealthTests
{
    [Test]
    public async Task A_probe_that_answers_is_healthy_with_its_message_and_latency()
    {
        var time = new ManualTimeProvider();
        var result = await ProviderResponses.CheckHealthAsync("p1", time, _ =>
        {
            time.Advance(TimeSpan.FromMilliseconds(40));
            return Task.FromResult("3 models available");
        }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(LlmHealthStatus.Healthy));
            Assert.That(result.Message, Is.EqualTo("3 models available"));
            Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(40)));
        });
    }

    [Test]
    public async Task A_probe_that_fails_with_a_provider_error_is_unhealthy_and_carries_the_error()
    {
        var error = new ProviderAuthenticationException("The key was refused.");
        var result = await ProviderResponses.CheckHealthAsync("p1", new ManualTimeProvider(), _ => Task.FromException<string>(error), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
            Assert.That(result.Message, Is.EqualTo("The key was refused."));
            Assert.That(result.Error, Is.SameAs(error));
        });
    }

    [Test]
    public void Caller_cancellation_is_thrown_not_reported()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.CatchAsync<OperationCanceledException>(() =>
            ProviderResponses.CheckHealthAsync("p1", new ManualTimeProvider(), ct => Task.FromCanceled<string>(ct), cts.Token));
    }
}
