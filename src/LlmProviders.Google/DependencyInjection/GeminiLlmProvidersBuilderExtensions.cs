using System;
using System.Net.Http;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.Google;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Google Gemini provider with <see cref="LlmProvidersBuilder"/>.</summary>
public static class GeminiLlmProvidersBuilderExtensions
{
    /// <summary>
    /// Registers a Gemini provider under <paramref name="name"/>: named <see cref="GeminiProviderOptions"/> (validated at start;
    /// unset values read from <c>GOOGLE_API_KEY</c>, else <c>GEMINI_API_KEY</c>, and <c>GOOGLE_GEMINI_BASE_URL</c>),
    /// a named <see cref="HttpClient"/>, and a keyed <see cref="ILlmProvider"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (several Gemini registrations may coexist under different names).</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddGemini(this LlmProvidersBuilder builder, string name = "gemini", Action<GeminiProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var services = builder.Services;
        var options = services.AddOptions<GeminiProviderOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(GeminiEnvironment.Process);
        options.PostConfigure<GeminiEnvironment>(static (o, environment) => environment.Apply(o));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GeminiProviderOptions>, GeminiProviderOptionsValidator>());
        options.ValidateOnStart();

        builder.AddHttpClient(name);
        builder.AddProvider<GeminiProviderOptions>(name, LlmProviderKinds.Google, static (sp, providerName) =>
        {
            var resolved = sp.GetRequiredService<IOptionsMonitor<GeminiProviderOptions>>().Get(providerName);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(LlmProvidersBuilder.GetHttpClientName(providerName));
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(GeminiProvider).FullName!);
            return new GeminiProvider(resolved, http, providerName, time, logger, sp.GetRequiredService<GeminiEnvironment>(), sp.GetService<CostCalculator>());
        });
        builder.AddProviderFactory(new GeminiProviderFactory());
        return builder;
    }
}
