using System;
using System.Net.Http;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.AzureOpenAI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Azure OpenAI provider with <see cref="LlmProvidersBuilder"/>.</summary>
public static class AzureOpenAILlmProvidersBuilderExtensions
{
    /// <summary>
    /// Registers an Azure OpenAI provider under <paramref name="name"/>: named <see cref="AzureOpenAIProviderOptions"/> (validated
    /// at start; unset values read from <c>AZURE_OPENAI_API_KEY</c>, <c>AZURE_OPENAI_ENDPOINT</c>, <c>AZURE_OPENAI_API_VERSION</c>),
    /// a named <see cref="HttpClient"/>, and a keyed <see cref="ILlmProvider"/> (and <see cref="IEmbeddingProvider"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (several Azure registrations, e.g. one per region, may coexist under different names).</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddAzureOpenAI(this LlmProvidersBuilder builder, string name = "azure-openai", Action<AzureOpenAIProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var services = builder.Services;
        var options = services.AddOptions<AzureOpenAIProviderOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(AzureOpenAIEnvironment.Process);
        options.PostConfigure<AzureOpenAIEnvironment>(static (o, environment) => environment.Apply(o));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureOpenAIProviderOptions>, AzureOpenAIProviderOptionsValidator>());
        options.ValidateOnStart();

        builder.AddHttpClient(name);
        builder.AddProvider<AzureOpenAIProviderOptions>(name, LlmProviderKinds.AzureOpenAI, static (sp, providerName) =>
        {
            var resolved = sp.GetRequiredService<IOptionsMonitor<AzureOpenAIProviderOptions>>().Get(providerName);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(LlmProvidersBuilder.GetHttpClientName(providerName));
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(AzureOpenAIProvider).FullName!);
            return new AzureOpenAIProvider(resolved, http, providerName, time, logger, sp.GetRequiredService<AzureOpenAIEnvironment>(), sp.GetService<CostCalculator>());
        });
        return builder;
    }
}
