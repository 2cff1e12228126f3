using System;
using System.Collections.Generic;
using System.Net;
using LlmProviders.Routing;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Routing;

/// <summary>Builds chains over in-test providers, resolved by name as DI would.</summary>
internal static class ChainTestKit
{
    public static FallbackChainProvider Chain(params ILlmProvider[] providers) => Chain(configure: null, providers);

    public static FallbackChainProvider Chain(Action<FallbackChainOptions>? configure, params ILlmProvider[] providers)
    {
        var options = new FallbackChainOptions();
        foreach (var provider in providers)
        {
            options.AddTarget(provider.Name);
        }

        configure?.Invoke(options);
        return Over(options, providers);
    }

    /// <summary>A chain with explicit targets; only <paramref name="registered"/> can be resolved.</summary>
    public static FallbackChainProvider Over(FallbackChainOptions options, params ILlmProvider[] registered) => Named("chain", options, registered);

    public static FallbackChainProvider Named(string name, FallbackChainOptions options, params ILlmProvider[] registered) =>
        With(name, options, new ManualTimeProvider(), null, registered);

    /// <summary>A chain on a given clock, with budgets and cost tracking when <paramref name="costs"/> is given.</summary>
    public static FallbackChainProvider With(string name, FallbackChainOptions options, TimeProvider time, LlmProviders.Costs.CostAccounting? costs, params ILlmProvider[] registered)
    {
        var byName = new Dictionary<string, ILlmProvider>(StringComparer.Ordinal);
        foreach (var provider in registered)
        {
            byName[provider.Name] = provider;
        }

        return new FallbackChainProvider(name, options, n => byName.GetValueOrDefault(n), time, null, costs);
    }

    public static RateLimitedException RateLimited(string provider, TimeSpan? retryAfter = null) =>
        new($"{provider}: 429") { ProviderName = provider, StatusCode = HttpStatusCode.TooManyRequests, RetryAfter = retryAfter };

    public static ProviderUnavailableException Unavailable(string provider) =>
        new($"{provider}: 503") { ProviderName = provider, StatusCode = HttpStatusCode.ServiceUnavailable };

    public static async System.Threading.Tasks.Task<List<ChatStreamUpdate>> Collect(IAsyncEnumerable<ChatStreamUpdate> stream)
    {
        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }
}
