using System;
using System.Collections.Generic;
using System.IO;
using LlmProviders.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Tests.Configuration;

/// <summary>Builds services from the sample's JSON files with a fake environment (never the machine's LLM_* or keys).</summary>
internal static class ConfigurationFiles
{
    public static IConfigurationRoot Load(string file) =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "files", file), optional: false, reloadOnChange: false).Build();

    public static ServiceProvider Build(IConfiguration configuration, Dictionary<string, string?>? environment = null, Action<LlmProvidersBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new RouterEnvironment(name => environment?.GetValueOrDefault(name)));
        ConfigurationLlmProvidersServiceCollectionExtensions.AddLlmProviders(
            services, configuration.GetSection("LlmProviders"), configure, name => environment?.GetValueOrDefault(name));
        return services.BuildServiceProvider();
    }
}
