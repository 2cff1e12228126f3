using System;
using System.Collections.Generic;
using LlmProviders.Routing;
using LlmProviders.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Tests.Routing.Front;

/// <summary>Builds services with a manual clock, an injected environment and no retries (failures fail over at once).</summary>
internal static class FrontTestKit
{
    public static ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new ManualTimeProvider());
        services.AddSingleton(new RouterEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(b =>
        {
            b.ConfigureResilience(o => o.Retry.MaxRetries = 0);
            configure(b);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>A simulated provider that always fails with <paramref name="kind"/>.</summary>
    public static LlmProvidersBuilder AddFailing(this LlmProvidersBuilder builder, string name, LlmErrorKind kind = LlmErrorKind.ProviderUnavailable) =>
        builder.AddSimulated(name, o => { o.FailureRate = 1; o.FailureKinds.Add(kind); });

    /// <summary>A simulated provider that answers its own name.</summary>
    public static LlmProvidersBuilder AddAnswering(this LlmProvidersBuilder builder, string name, bool isLocal = false) =>
        builder.AddSimulated(name, o => { o.ResponseText = "from " + name; o.IsLocal = isLocal; });
}
