using System;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// Builds the router of SPEC P3/P4 the way an application does: <c>AddLlmProviders</c> with one provider and a one-target chain
/// with default options, so the chain has the cost accounting (in-memory ledger, cost tracker) and the target's default
/// resilience (retries, circuit breaker, rate-limit headroom, timeouts) that dependency injection gives it.
/// </summary>
internal sealed class RouterSetup : IDisposable
{
    private readonly ServiceProvider _services;

    /// <summary>Initializes a new instance around <paramref name="target"/>.</summary>
    /// <param name="target">The chain's only target.</param>
    public RouterSetup(ILlmProvider target)
    {
        var services = new ServiceCollection();
        services.AddLlmProviders(llm =>
        {
            llm.AddProvider(target.Name, target.Kind, (_, _) => target);
            llm.AddFallbackChain("bench", chain => chain.AddTarget(target.Name));
        });

        _services = services.BuildServiceProvider();
        _services.GetRequiredService<IStartupValidator>().Validate();
        Router = _services.GetRequiredKeyedService<ILlmRouter>("bench");
    }

    /// <summary>Gets the router (the chain named <c>bench</c>).</summary>
    public ILlmRouter Router { get; }

    /// <summary>Checks that a call through the router reached the target once and succeeded.</summary>
    /// <param name="result">A result returned by the router.</param>
    /// <param name="target">The expected target.</param>
    public static void Verify(ChatResult result, ILlmProvider target)
    {
        if (result.Trace is not { Attempts.Count: 1 } trace || !trace.Attempts[0].Succeeded ||
            !string.Equals(trace.Attempts[0].ProviderName, target.Name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The router did not answer from '{target.Name}' in one attempt: {result.Trace}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _services.Dispose();
}
