using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Tests.Routing.Management;

/// <summary>A provider whose chat call can be held open (<see cref="Gate"/>) to stand for a call in flight.</summary>
internal class FakeProvider(string name, string kind = "fake", LlmCapabilities capabilities = LlmCapabilities.Chat, bool isLocal = false) : ILlmProvider
{
    public string Name { get; } = name;

    public string Kind { get; } = kind;

    public LlmCapabilities Capabilities { get; } = capabilities;

    public bool IsLocal { get; } = isLocal;

    /// <summary>Gets or sets a task the chat call waits for before answering.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        return new ChatResult(new ChatMessage(ChatRole.Assistant, "answer from " + Name)) { ProviderName = Name };
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        yield return new ChatStreamUpdate { IsFinal = true, Text = "answer from " + Name, ProviderName = Name };
    }

    public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LlmModelInfo>>([]);

    public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, DateTimeOffset.UnixEpoch, TimeSpan.Zero));
}

/// <summary>A <see cref="FakeProvider"/> that records whether it was disposed.</summary>
internal sealed class DisposableFakeProvider(string name, string kind = "fake") : FakeProvider(name, kind), IDisposable
{
    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;
}

/// <summary>A factory that records the keys it was given and builds <see cref="FakeProvider"/>s (or fails as told).</summary>
internal sealed class FakeFactory(string kind) : ILlmProviderFactory
{
    public string Kind { get; } = kind;

    public ConcurrentQueue<(string Name, string ApiKey)> Calls { get; } = new();

    /// <summary>Gets or sets what <see cref="Create"/> throws instead of building.</summary>
    public Func<string, Exception>? Failure { get; set; }

    /// <summary>Gets or sets the name the built provider reports; <see langword="null"/> for the name asked.</summary>
    public string? WrongName { get; set; }

    public DisposableFakeProvider? LastBuilt { get; private set; }

    public ILlmProvider Create(string name, string apiKey, IServiceProvider services)
    {
        Calls.Enqueue((name, apiKey));
        if (Failure is not null)
        {
            throw Failure(apiKey);
        }

        LastBuilt = new DisposableFakeProvider(WrongName ?? name, Kind);
        return LastBuilt;
    }
}

/// <summary>Keeps every formatted log message.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Messages.Enqueue(formatter(state, exception));
}

internal static class ManagementTestKit
{
    public static ServiceProvider Build(Action<LlmProvidersBuilder> configure, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new ManualTimeProvider());
        services.AddSingleton(new RouterEnvironment(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null));
        services.AddLlmProviders(configure);
        return services.BuildServiceProvider();
    }

    /// <summary>A registry over <paramref name="providers"/> registered as keyed services (as the builder does), without the builder.</summary>
    public static ProviderRegistry Registry(IReadOnlyList<ILlmProvider> providers, IEnumerable<ILlmProviderFactory>? factories = null, string? defaultProvider = null, ILogger? logger = null)
    {
        var services = new ServiceCollection();
        var registrations = new List<LlmProviderRegistration>();
        foreach (var provider in providers)
        {
            services.AddKeyedSingleton(provider.Name, provider);
            registrations.Add(new LlmProviderRegistration(provider.Name, provider.Kind));
        }

        return new ProviderRegistry(services.BuildServiceProvider(), registrations, factories ?? [], defaultProvider, logger ?? new CapturingLogger());
    }
}
