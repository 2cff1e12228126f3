using System;
using System.Collections.Generic;
using LlmProviders.Configuration;
using LlmProviders.Routing;
using LlmProviders.Tests.Routing.Management;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Tests.Configuration;

/// <summary>Builds services from an in-memory "LlmProviders" section, with a fake environment (never the machine's).</summary>
internal static class ConfigurationTestKit
{
    public static IConfigurationRoot Settings(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    public static ServiceProvider BuildFrom(
        IConfiguration configuration,
        Dictionary<string, string?>? environment = null,
        Action<LlmProvidersBuilder>? configure = null,
        Action<LlmProvidersBuilder>? before = null,
        Action<IServiceCollection>? addServices = null)
    {
        var services = new ServiceCollection();
        addServices?.Invoke(services);
        services.AddSingleton(new RouterEnvironment(name => environment?.GetValueOrDefault(name)));
        if (before is not null)
        {
            services.AddLlmProviders(before);
        }

        ConfigurationLlmProvidersServiceCollectionExtensions.AddLlmProviders(
            services, configuration.GetSection("LlmProviders"), configure, name => environment?.GetValueOrDefault(name));
        return services.BuildServiceProvider();
    }

    public static ServiceProvider Build(Dictionary<string, string?> settings, Dictionary<string, string?>? environment = null, Action<LlmProvidersBuilder>? configure = null, Action<LlmProvidersBuilder>? before = null) =>
        BuildFrom(Settings(settings), environment, configure, before);

    /// <summary>A logger factory whose loggers all write to one <see cref="CapturingLogger"/>.</summary>
    public sealed class CapturingLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public CapturingLogger Logger { get; } = new();

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => Logger;

        public void Dispose()
        {
        }
    }

    /// <summary>A binder for a cloud provider of the user's own (a simulated provider that needs a key).</summary>
    public sealed class AcmeBinder : ILlmProviderConfigurationBinder
    {
        public bool IsApiKeyRequired(string type) => true;

        public IReadOnlyList<string> GetApiKeyVariables(string type) => ["ACME_API_KEY"];

        public void AddProvider(LlmProviderConfigurationContext context)
        {
            var section = context.Section;
            context.Builder.AddSimulated(context.Name, o =>
            {
                section.Bind(o);
                o.ResponseText = "acme:" + section["ApiKey"];
            });
            context.WatchOptions<LlmProviders.Simulation.SimulatedProviderOptions>();
        }
    }
}
