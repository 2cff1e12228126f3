using System;
using System.Net.Http;
using LlmProviders;
using LlmProviders.Ollama;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Ollama provider with <see cref="LlmProvidersBuilder"/>.</summary>
public static class OllamaLlmProvidersBuilderExtensions
{
    /// <summary>
    /// Registers an Ollama provider under <paramref name="name"/>: named <see cref="OllamaProviderOptions"/> (validated at start;
    /// unset values read from <c>OLLAMA_BASE_URL</c>, else <c>OLLAMA_URL</c>, else <c>http://localhost:11434</c>, and the optional
    /// <c>OLLAMA_API_KEY</c>), a named <see cref="HttpClient"/>, and a keyed <see cref="ILlmProvider"/>. No key is required.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (several Ollama hosts may be registered under different names).</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddOllama(this LlmProvidersBuilder builder, string name = "ollama", Action<OllamaProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var services = builder.Services;
        var options = services.AddOptions<OllamaProviderOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(OllamaEnvironment.Process);
        options.PostConfigure<OllamaEnvironment>(static (o, environment) => environment.Apply(o));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OllamaProviderOptions>, OllamaProviderOptionsValidator>());
        options.ValidateOnStart();

        builder.AddHttpClient(name);
        builder.AddProvider<OllamaProviderOptions>(name, LlmProviderKinds.Ollama, static (sp, providerName) =>
        {
            var resolved = sp.GetRequiredService<IOptionsMonitor<OllamaProviderOptions>>().Get(providerName);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(LlmProvidersBuilder.GetHttpClientName(providerName));
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(OllamaProvider).FullName!);
            return new OllamaProvider(resolved, http, providerName, time, logger, sp.GetRequiredService<OllamaEnvironment>());
        });
        return builder;
    }
}
