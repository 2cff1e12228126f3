using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.OpenAI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the OpenAI-compatible presets with <see cref="LlmProvidersBuilder"/>: Together AI, OpenRouter, vLLM, LocalAI, and any
/// other endpoint. Each registration gets named, validated options (unset values from the preset's environment variables), a
/// named <see cref="HttpClient"/> and a keyed <see cref="ILlmProvider"/>; several registrations of one preset may coexist under
/// different names.
/// </summary>
public static class OpenAICompatibleLlmProvidersBuilderExtensions
{
    /// <summary>Registers Together AI (<c>https://api.together.xyz/v1</c>); the key comes from <c>TOGETHER_API_KEY</c> when not configured.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddTogetherAI(this LlmProvidersBuilder builder, string name = "together", Action<OpenAICompatibleProviderOptions>? configure = null) =>
        AddPreset<OpenAICompatibleProviderOptions, OpenAICompatibleProviderOptionsValidator>(builder, name, CompatiblePreset.TogetherAI, null, configure);

    /// <summary>
    /// Registers OpenRouter (<c>https://openrouter.ai/api/v1</c>); the key comes from <c>OPENROUTER_API_KEY</c> when not configured.
    /// <see cref="OpenRouterProviderOptions.SiteUrl"/> and <see cref="OpenRouterProviderOptions.AppName"/> become <c>HTTP-Referer</c>
    /// and <c>X-Title</c>; OpenRouter's <c>usage.cost</c> becomes the result's cost.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddOpenRouter(this LlmProvidersBuilder builder, string name = "openrouter", Action<OpenRouterProviderOptions>? configure = null) =>
        AddPreset<OpenRouterProviderOptions, OpenRouterProviderOptionsValidator>(builder, name, CompatiblePreset.OpenRouter, null, configure);

    /// <summary>
    /// Registers a vLLM server, local and free by default: <c>VLLM_URL</c>, else <c>http://localhost:8000/v1</c> (a URL without a
    /// path gets <c>/v1</c>); an optional bearer key from <c>VLLM_API_KEY</c> (the server's <c>--api-key</c>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddVllm(this LlmProvidersBuilder builder, string name = "vllm", Action<OpenAICompatibleProviderOptions>? configure = null) =>
        AddPreset<OpenAICompatibleProviderOptions, OpenAICompatibleProviderOptionsValidator>(builder, name, CompatiblePreset.Vllm, null, configure);

    /// <summary>
    /// Registers a LocalAI server, local and free by default: <c>LOCALAI_URL</c>, else <c>http://localhost:8080/v1</c> (a URL
    /// without a path gets <c>/v1</c>); an optional bearer key from <c>LOCALAI_API_KEY</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddLocalAI(this LlmProvidersBuilder builder, string name = "localai", Action<OpenAICompatibleProviderOptions>? configure = null) =>
        AddPreset<OpenAICompatibleProviderOptions, OpenAICompatibleProviderOptionsValidator>(builder, name, CompatiblePreset.LocalAI, null, configure);

    /// <summary>
    /// Registers any other OpenAI-compatible endpoint at <paramref name="baseUrl"/>. Nothing is read from the environment (a key
    /// meant for one server never goes to another): set the key, its header (<see cref="OpenAICompatibleProviderOptions.ApiKeyHeaderName"/>,
    /// <see cref="OpenAICompatibleProviderOptions.ApiKeyScheme"/>) and extra headers in <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="baseUrl">The base URL (the one before <c>/chat/completions</c>, e.g. <c>https://api.example.com/v1</c>).</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddOpenAICompatible(this LlmProvidersBuilder builder, string name, Uri baseUrl, Action<OpenAICompatibleProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return AddPreset<OpenAICompatibleProviderOptions, OpenAICompatibleProviderOptionsValidator>(builder, name, CompatiblePreset.Custom, baseUrl, configure);
    }

    /// <summary>
    /// Registers the endpoint of seed 001's environment variables: the name from <c>CUSTOM_PROVIDER_NAME</c> (else <c>custom</c>),
    /// the key from <c>CUSTOM_PROVIDER_API_KEY</c> and the base URL from <c>CUSTOM_PROVIDER_BASE_URL</c> when not configured.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options; runs before the environment fills what is left unset.</param>
    /// <returns>The builder.</returns>
    /// <remarks>The name is read when this method runs (registrations are keyed by name), from the environment reader registered in the services, else the process environment.</remarks>
    public static LlmProvidersBuilder AddOpenAICompatible(this LlmProvidersBuilder builder, Action<OpenAICompatibleProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var environment = RegisteredEnvironment(builder.Services) ?? OpenAICompatibleEnvironment.Process;
        string name = environment.Read(OpenAICompatibleEnvironment.CustomNameVariable) ?? CompatiblePreset.CustomFromEnvironment.DefaultName;
        return AddPreset<OpenAICompatibleProviderOptions, OpenAICompatibleProviderOptionsValidator>(builder, name, CompatiblePreset.CustomFromEnvironment, null, configure);
    }

    private static LlmProvidersBuilder AddPreset<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(LlmProvidersBuilder builder, string name, CompatiblePreset preset, Uri? baseUrl, Action<TOptions>? configure)
        where TOptions : OpenAICompatibleProviderOptions
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var services = builder.Services;
        var options = services.AddOptions<TOptions>(name);
        if (baseUrl is not null)
        {
            options.Configure(o => o.BaseUrl = baseUrl);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(OpenAICompatibleEnvironment.Process);
        options.PostConfigure<OpenAICompatibleEnvironment>((o, environment) =>
        {
            o.Preset = preset;
            environment.Apply(o, preset);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        options.ValidateOnStart();

        builder.AddHttpClient(name);
        builder.AddProvider<TOptions>(name, preset.Kind, (sp, providerName) =>
        {
            var resolved = sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(providerName);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(LlmProvidersBuilder.GetHttpClientName(providerName));
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(OpenAIProvider).FullName!);
            return OpenAICompatibleProviders.Create(preset, resolved, http, providerName, time, logger, sp.GetRequiredService<OpenAICompatibleEnvironment>(), sp.GetService<CostCalculator>());
        });
        return builder;
    }

    private static OpenAICompatibleEnvironment? RegisteredEnvironment(IServiceCollection services)
    {
        for (int i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(OpenAICompatibleEnvironment) && !services[i].IsKeyedService && services[i].ImplementationInstance is OpenAICompatibleEnvironment environment)
            {
                return environment;
            }
        }

        return null;
    }
}
