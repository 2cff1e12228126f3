using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using LlmProviders.Testing;
using static LlmProviders.Tests.Routing.Integration.IntegrationKit;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>R5 through the router: 1,000 parallel requests, every one answered or failed with a typed error, every call accounted for.</summary>
public class ParallelLoadThroughChainTests
{
    private const int Requests = 1_000;

    [Test]
    public async Task A_thousand_parallel_requests_are_each_answered_or_typed_and_the_trace_accounts_for_every_provider_call()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time) { YieldFirst = true, FailWhen = n => n % 2 == 0 ? Unavailable("primary") : null };
        var backup = new ClockedProvider("backup", time) { YieldFirst = true, FailWhen = n => n % 5 == 0 ? Overloaded("backup") : null };
        var chain = Chain(time, null, null, primary, backup);

        var outcomes = await RunAsync(chain);

        AssertAccounted(outcomes, primary, backup);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(primary.Calls, Is.EqualTo(Requests), "without resilience every request tries the primary once");
            Assert.That(primary.Failed, Is.EqualTo(Requests / 2));
            Assert.That(backup.Calls, Is.EqualTo(Requests / 2), "exactly the primary's failures fail over");
            Assert.That(outcomes.Count(o => o.Error is AllProvidersFailedException), Is.EqualTo(backup.Failed));
        }
    }

    [Test]
    public async Task A_thousand_parallel_requests_with_retries_add_up_per_target_attempts_and_retries()
    {
        var time = new ManualTimeProvider();
        var primary = new ClockedProvider("primary", time) { YieldFirst = true, FailWhen = n => n % 2 == 0 ? Unavailable("primary") : null };
        var backup = new ClockedProvider("backup", time) { YieldFirst = true, FailWhen = n => n % 5 == 0 ? Overloaded("backup") : null };

        // One immediate retry per target; the breaker is off so that every retry reaches the provider (an open circuit would refuse
        // some retries without a call, and RetryCount would no longer equal the extra calls).
        using var resilience = Registry(time, o =>
        {
            o.Retry.MaxRetries = 1;
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.CircuitBreaker.Enabled = false;
        });
        var chain = Chain(time, resilience, null, primary, backup);

        var outcomes = await RunAsync(chain);

        var (primaryAttempts, backupAttempts) = AssertAccounted(outcomes, primary, backup, exactCalls: false);
        var primaryResilience = resilience.Find("primary")!;
        var backupResilience = resilience.Find("backup")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(primary.Calls, Is.EqualTo(primaryAttempts + primaryResilience.RetryCount), "calls = router attempts + retries");
            Assert.That(backup.Calls, Is.EqualTo(backupAttempts + backupResilience.RetryCount));
            Assert.That(primaryResilience.AttemptCount, Is.EqualTo(primary.Calls));
            Assert.That(backupResilience.AttemptCount, Is.EqualTo(backup.Calls));
            Assert.That(primaryAttempts, Is.EqualTo(Requests));
            Assert.That(primaryResilience.InFlight + backupResilience.InFlight, Is.Zero, "nothing left in flight");
            Assert.That(outcomes.Count(o => o.Result is not null), Is.GreaterThan(Requests * 9 / 10), "retries and failover answer almost all");
        }
    }

    private static async Task<Outcome[]> RunAsync(FallbackChainProvider chain)
    {
        using var gate = new ManualResetEventSlim(false);
        var tasks = new Task<Outcome>[Requests];
        for (int i = 0; i < Requests; i++)
        {
            tasks[i] = Task.Run(async () =>
            {
                gate.Wait();
                try
                {
                    return new Outcome(await chain.ChatAsync(new ChatRequest("hi")), null, null);
                }
                catch (LlmProviderException ex)
                {
                    return new Outcome(null, ex, null);
                }
                catch (Exception ex)
                {
                    return new Outcome(null, null, ex);
                }
            });
        }

        gate.Set();
        return await Task.WhenAll(tasks);
    }

    private static (int Primary, int Backup) AssertAccounted(Outcome[] outcomes, ClockedProvider primary, ClockedProvider backup, bool exactCalls = true)
    {
        int primaryAttempts = 0;
        int backupAttempts = 0;
        int primaryFailures = 0;
        int backupFailures = 0;
        foreach (var outcome in outcomes)
        {
            var trace = outcome.Result?.Trace ?? (outcome.Error as AllProvidersFailedException)?.Trace;
            if (trace is null)
            {
                continue;
            }

            foreach (var attempt in trace.Attempts)
            {
                bool isPrimary = attempt.ProviderName == "primary";
                primaryAttempts += isPrimary ? 1 : 0;
                backupAttempts += isPrimary ? 0 : 1;
                primaryFailures += isPrimary && attempt.Error is not null ? 1 : 0;
                backupFailures += !isPrimary && attempt.Error is not null ? 1 : 0;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes.Where(o => o.Other is not null).Select(o => o.Other!.GetType().Name), Is.Empty, "only answers or typed errors");
            Assert.That(outcomes.Count(o => o.Result is not null) + outcomes.Count(o => o.Error is not null), Is.EqualTo(Requests));
            Assert.That(outcomes.Where(o => o.Error is not null).Select(o => o.Error!.GetType()).Distinct(), Is.EqualTo(new[] { typeof(AllProvidersFailedException) }).Or.Empty);
            Assert.That(outcomes.Where(o => o.Result is not null).Select(o => o.Result!.Trace!.Attempts[^1].Succeeded), Is.All.True, "an answer's last attempt succeeded");
            Assert.That(outcomes.Where(o => o.Error is AllProvidersFailedException).Select(o => ((AllProvidersFailedException)o.Error!).Errors.Count), Is.All.EqualTo(2));
            if (exactCalls)
            {
                Assert.That(primaryAttempts, Is.EqualTo(primary.Calls), "every primary call is in exactly one trace");
                Assert.That(backupAttempts, Is.EqualTo(backup.Calls), "every backup call is in exactly one trace");
                Assert.That(primaryFailures, Is.EqualTo(primary.Failed));
                Assert.That(backupFailures, Is.EqualTo(backup.Failed));
            }
        }

        return (primaryAttempts, backupAttempts);
    }

    private sealed record Outcome(ChatResult? Result, LlmProviderException? Error, Exception? Other);
}
