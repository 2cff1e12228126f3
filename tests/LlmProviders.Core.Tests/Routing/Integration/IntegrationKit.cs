using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Routing.Integration;

/// <summary>
/// Builds routers as the library wires them: a <see cref="FallbackChainProvider"/> over in-test providers, with per-target
/// resilience from a <see cref="TargetResilienceRegistry"/>, all on one <see cref="ManualTimeProvider"/>.
/// </summary>
internal static class IntegrationKit
{
    /// <summary>
    /// Resilience options for the tests: the library's defaults (2 retries, breaker after 5 failures …) except that the timeouts
    /// are off unless a test sets them, so the only timers on the clock are the ones a test is about (retry delays, breaks, idle gap).
    /// </summary>
    public static TargetResilienceOptions Options(Action<TargetResilienceOptions>? configure = null)
    {
        var options = new TargetResilienceOptions();
        options.Timeouts.Attempt = Timeout.InfiniteTimeSpan;
        options.Timeouts.FirstChunk = Timeout.InfiniteTimeSpan;
        options.Timeouts.IdleGap = Timeout.InfiniteTimeSpan;
        options.Timeouts.Total = Timeout.InfiniteTimeSpan;
        configure?.Invoke(options);
        var validation = TargetResilienceOptionsValidator.Instance.Validate(null, options);
        Assert.That(validation.Failed, Is.False, validation.FailureMessage);
        return options;
    }

    /// <summary>A registry giving every provider the same options (one <see cref="TargetResilience"/> per provider name).</summary>
    public static TargetResilienceRegistry Registry(ManualTimeProvider time, Action<TargetResilienceOptions>? configure = null)
    {
        var options = Options(configure);
        return new TargetResilienceRegistry(_ => options, time);
    }

    /// <summary>A chain over <paramref name="providers"/> (targets in that order unless <paramref name="configure"/> changes them).</summary>
    public static FallbackChainProvider Chain(
        ManualTimeProvider time, TargetResilienceRegistry? resilience, Action<FallbackChainOptions>? configure, params ILlmProvider[] providers) =>
        Chain(time, resilience, configure, null, providers);

    /// <summary>A chain with cost accounting (for the least-cost strategy).</summary>
    public static FallbackChainProvider Chain(
        ManualTimeProvider time, TargetResilienceRegistry? resilience, Action<FallbackChainOptions>? configure, CostAccounting? costs, params ILlmProvider[] providers)
    {
        var options = new FallbackChainOptions();
        var byName = new Dictionary<string, ILlmProvider>(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            options.AddTarget(provider.Name);
            byName[provider.Name] = provider;
        }

        configure?.Invoke(options);
        return new FallbackChainProvider("route", options, n => byName.GetValueOrDefault(n), time, null, costs, resilience);
    }

    /// <summary>Yields (no clock involved) until at least <paramref name="count"/> timers wait on the clock; bounded.</summary>
    public static async Task TimersPending(ManualTimeProvider time, int count = 1)
    {
        for (int i = 0; i < 200_000; i++)
        {
            if (time.PendingTimers >= count)
            {
                return;
            }

            await Task.Yield();
        }

        Assert.Fail($"timed out waiting for {count} timer(s) on the clock; {time.PendingTimers} pending");
    }

    /// <summary>Yields until <paramref name="condition"/> holds; bounded.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        for (int i = 0; i < 200_000; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Yield();
        }

        Assert.Fail("timed out waiting for: " + what);
    }

    /// <summary>Yields a few times so that any continuation that could run has run.</summary>
    public static async Task Settle()
    {
        for (int i = 0; i < 50; i++)
        {
            await Task.Yield();
        }
    }

    public static RateLimitedException RateLimited(string provider, TimeSpan? retryAfter) =>
        new($"{provider}: 429 Too Many Requests") { ProviderName = provider, StatusCode = HttpStatusCode.TooManyRequests, RetryAfter = retryAfter };

    public static ProviderUnavailableException Unavailable(string provider) =>
        new($"{provider}: 503 Service Unavailable") { ProviderName = provider, StatusCode = HttpStatusCode.ServiceUnavailable };

    public static ProviderOverloadedException Overloaded(string provider) =>
        new($"{provider}: 529 Overloaded") { ProviderName = provider, StatusCode = (HttpStatusCode)529 };

    public static async Task<List<ChatStreamUpdate>> Collect(IAsyncEnumerable<ChatStreamUpdate> stream)
    {
        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }
}
