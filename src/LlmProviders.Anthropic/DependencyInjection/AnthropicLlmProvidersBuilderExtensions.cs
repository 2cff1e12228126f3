using System;
using System.Net.Http;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.Anthropic;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Anthropic provider with <see cref="LlmProvidersBuilder"/>.</summary>
public static class AnthropicLlmProvidersBuilderExtensions
{
    /// <summary>
    /// Registers an Anthropic provider under <paramref name="name"/>: named <see cref="AnthropicProviderOptions"/> (validated at start;
    /// unset values read from <c>ANTHROPIC_API_KEY</c> and <c>ANTHROPIC_BASE_URL</c>),
    /// a named <see cref="HttpClient"/>, and a keyed <see cref="ILlmProvider"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (several Anthropic registrations may coexist under different names).</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddAnthropic(this LlmProvidersBuilder builder, string name = "anthropic", Action<AnthropicProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var services = builder.Services;
        var options = services.AddOptions<AnthropicProviderOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(AnthropicEnvironment.Process);
        options.PostConfigure<AnthropicEnvironment>(static (o, environment) => environment.Apply(o));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnthropicProviderOptions>, AnthropicProviderOptionsValidator>());
        options.ValidateOnStart();

        builder.AddHttpClient(name);
        builder.AddProvider<AnthropicProviderOptions>(name, LlmProviderKinds.Anthropic, static (sp, providerName) =>
        {
            var resolved = sp.GetRequiredService<IOptionsMonitor<AnthropicProviderOptions>>().Get(providerName);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(LlmProvidersBuilder.GetHttpClientName(providerName));
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(AnthropicProvider).FullName!);
            return new AnthropicProvider(resolved, http, providerName, time, logger, sp.GetRequiredService<AnthropicEnvironment>(), sp.GetService<CostCalculator>());
        });
        builder.AddProviderFactory(new AnthropicProviderFactory());
        return builder;
    }
}
