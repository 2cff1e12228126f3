using System;
using System.Net.Http;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.OpenAI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OpenAI provider with <see cref="LlmProvidersBuilder"/>.</summary>
public static class OpenAILlmProvidersBuilderExtensions
{
    /// <summary>
    /// Registers an OpenAI provider under <paramref name="name"/>: named <see cref="OpenAIProviderOptions"/> (validated at start;
    /// unset values read from <c>OPENAI_API_KEY</c>, <c>OPENAI_BASE_URL</c>, <c>OPENAI_ORGANIZATION</c>, <c>OPENAI_PROJECT_ID</c>),
    /// a named <see cref="HttpClient"/>, and a keyed <see cref="ILlmProvider"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (several OpenAI registrations may coexist under different names).</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddOpenAI(this LlmProvidersBuilder builder, string name = "openai", Action<OpenAIProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var services = builder.Services;
        var options = services.AddOptions<OpenAIProviderOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(OpenAIEnvironment.Process);
        options.PostConfigure<OpenAIEnvironment>(static (o, environment) => environment.Apply(o));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenAIProviderOptions>, OpenAIProviderOptionsValidator>());
        options.ValidateOnStart();

        builder.AddHttpClient(name);
        builder.AddProvider<OpenAIProviderOptions>(name, LlmProviderKinds.OpenAI, static (sp, providerName) =>
        {
            var resolved = sp.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>().Get(providerName);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(LlmProvidersBuilder.GetHttpClientName(providerName));
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(OpenAIProvider).FullName!);
            return new OpenAIProvider(resolved, http, providerName, time, logger, sp.GetRequiredService<OpenAIEnvironment>(), sp.GetService<CostCalculator>());
        });
        builder.AddProviderFactory(new OpenAIProviderFactory());
        return builder;
    }
}
