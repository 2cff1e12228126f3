using System;
using System.Net.Http;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.Mistral;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Mistral provider with <see cref="LlmProvidersBuilder"/>.</summary>
public static class MistralLlmProvidersBuilderExtensions
{
    /// <summary>
    /// Registers a Mistral provider under <paramref name="name"/>: named <see cref="MistralProviderOptions"/> (validated at start;
    /// unset values read from <c>MISTRAL_API_KEY</c> and <c>MISTRAL_BASE_URL</c>), a named <see cref="HttpClient"/>, and a keyed
    /// <see cref="ILlmProvider"/> (and <see cref="IEmbeddingProvider"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (several Mistral registrations, e.g. one for Codestral, may coexist under different names).</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddMistral(this LlmProvidersBuilder builder, string name = "mistral", Action<MistralProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var services = builder.Services;
        var options = services.AddOptions<MistralProviderOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(MistralEnvironment.Process);
        options.PostConfigure<MistralEnvironment>(static (o, environment) => environment.Apply(o));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MistralProviderOptions>, MistralProviderOptionsValidator>());
        options.ValidateOnStart();

        builder.AddHttpClient(name);
        builder.AddProvider<MistralProviderOptions>(name, LlmProviderKinds.Mistral, static (sp, providerName) =>
        {
            var resolved = sp.GetRequiredService<IOptionsMonitor<MistralProviderOptions>>().Get(providerName);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(LlmProvidersBuilder.GetHttpClientName(providerName));
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(MistralProvider).FullName!);
            return new MistralProvider(resolved, http, providerName, time, logger, sp.GetRequiredService<MistralEnvironment>(), sp.GetService<CostCalculator>());
        });
        builder.AddProviderFactory(new MistralProviderFactory());
        return builder;
    }
}
