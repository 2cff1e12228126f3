using System;
using System.Net.Http;
using LlmProviders.Costs;
using Microsoft.Extensions.Logging;

namespace LlmProviders.OpenAI;

/// <summary>
/// Creates providers for OpenAI-compatible services without dependency injection: Together AI, OpenRouter, vLLM, LocalAI, or any
/// other endpoint. Each returns an <see cref="OpenAIProvider"/> whose <see cref="OpenAIProvider.Kind"/> names the service. With
/// dependency injection use <c>AddTogetherAI</c>, <c>AddOpenRouter</c>, <c>AddVllm</c>, <c>AddLocalAI</c> or <c>AddOpenAICompatible</c>.
/// </summary>
public static class OpenAICompatibleProviders
{
    /// <summary>Creates a Together AI provider (<c>https://api.together.xyz/v1</c>; key from <c>TOGETHER_API_KEY</c> when unset).</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. Read once; the instance is never changed.</param>
    /// <param name="httpClient">The HTTP client (its timeout should be infinite: <see cref="Http.HttpProviderOptions.RequestTimeout"/> rules), or <see langword="null"/> for a shared one.</param>
    /// <param name="name">The registration name, used in errors, logs and results.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="costCalculator">Prices each result from its usage and the model catalog (a cost the service reports, such as OpenRouter's <c>usage.cost</c>, wins; local servers cost zero). <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException">The options are invalid (e.g. no key); the message names the option and the fix.</exception>
    public static OpenAIProvider CreateTogetherAI(OpenAICompatibleProviderOptions? options = null, HttpClient? httpClient = null, string name = "together", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null) =>
        Create(CompatiblePreset.TogetherAI, options ?? new(), httpClient, name, timeProvider, logger, OpenAICompatibleEnvironment.Process, costCalculator);

    /// <summary>Creates an OpenRouter provider (<c>https://openrouter.ai/api/v1</c>; key from <c>OPENROUTER_API_KEY</c> when unset).</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. Read once; the instance is never changed.</param>
    /// <param name="httpClient">The HTTP client, or <see langword="null"/> for a shared one.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="costCalculator">Prices each result from its usage and the model catalog (a cost the service reports, such as OpenRouter's <c>usage.cost</c>, wins; local servers cost zero). <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option and the fix.</exception>
    public static OpenAIProvider CreateOpenRouter(OpenRouterProviderOptions? options = null, HttpClient? httpClient = null, string name = "openrouter", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null) =>
        Create(CompatiblePreset.OpenRouter, options ?? new(), httpClient, name, timeProvider, logger, OpenAICompatibleEnvironment.Process, costCalculator);

    /// <summary>Creates a vLLM provider (local; <c>VLLM_URL</c>, else <c>http://localhost:8000/v1</c>; optional key from <c>VLLM_API_KEY</c>).</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. Read once; the instance is never changed.</param>
    /// <param name="httpClient">The HTTP client, or <see langword="null"/> for a shared one.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="costCalculator">Prices each result from its usage and the model catalog (a cost the service reports, such as OpenRouter's <c>usage.cost</c>, wins; local servers cost zero). <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option and the fix.</exception>
    public static OpenAIProvider CreateVllm(OpenAICompatibleProviderOptions? options = null, HttpClient? httpClient = null, string name = "vllm", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null) =>
        Create(CompatiblePreset.Vllm, options ?? new(), httpClient, name, timeProvider, logger, OpenAICompatibleEnvironment.Process, costCalculator);

    /// <summary>Creates a LocalAI provider (local; <c>LOCALAI_URL</c>, else <c>http://localhost:8080/v1</c>; optional key from <c>LOCALAI_API_KEY</c>).</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. Read once; the instance is never changed.</param>
    /// <param name="httpClient">The HTTP client, or <see langword="null"/> for a shared one.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="costCalculator">Prices each result from its usage and the model catalog (a cost the service reports, such as OpenRouter's <c>usage.cost</c>, wins; local servers cost zero). <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option and the fix.</exception>
    public static OpenAIProvider CreateLocalAI(OpenAICompatibleProviderOptions? options = null, HttpClient? httpClient = null, string name = "localai", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null) =>
        Create(CompatiblePreset.LocalAI, options ?? new(), httpClient, name, timeProvider, logger, OpenAICompatibleEnvironment.Process, costCalculator);

    /// <summary>
    /// Creates a provider for any other OpenAI-compatible endpoint at <see cref="Http.HttpProviderOptions.BaseUrl"/> (required). Nothing
    /// is read from the environment: a key meant for one server never goes to another.
    /// </summary>
    /// <param name="options">The options (<see cref="Http.HttpProviderOptions.BaseUrl"/> required). Read once; the instance is never changed.</param>
    /// <param name="httpClient">The HTTP client, or <see langword="null"/> for a shared one.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="costCalculator">Prices each result from its usage and the model catalog (a cost the service reports, such as OpenRouter's <c>usage.cost</c>, wins; local servers cost zero). <see langword="null"/> uses <see cref="CostCalculator.Default"/>.</param>
    /// <returns>The provider (kind <see cref="LlmProviderKinds.OpenAICompatible"/>).</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option and the fix.</exception>
    public static OpenAIProvider Create(OpenAICompatibleProviderOptions options, HttpClient? httpClient = null, string name = "custom", TimeProvider? timeProvider = null, ILogger? logger = null, CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(CompatiblePreset.Custom, options, httpClient, name, timeProvider, logger, OpenAICompatibleEnvironment.Process, costCalculator);
    }

    /// <summary>Resolves the options on a copy (environment, preset defaults), validates them, and creates the provider.</summary>
    internal static OpenAIProvider Create(CompatiblePreset preset, OpenAICompatibleProviderOptions options, HttpClient? httpClient, string name, TimeProvider? timeProvider, ILogger? logger, OpenAICompatibleEnvironment environment, CostCalculator? costCalculator = null)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(environment);

        var resolved = options.Copy();
        environment.Apply(resolved, preset);
        var problems = preset.Validate(resolved, name);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].ErrorMessage, nameof(options));
        }

        var dialect = preset.CreateDialect(resolved);
        var settings = new OpenAIProviderOptions
        {
            DefaultModel = resolved.DefaultModel,
            DefaultEmbeddingModel = resolved.DefaultEmbeddingModel,
            Capabilities = resolved.Capabilities,
            RequestTimeout = resolved.RequestTimeout,
            IncludeStreamUsage = resolved.IncludeStreamUsage,
        };
        return new OpenAIProvider(dialect, settings, httpClient, name, timeProvider, logger, costCalculator);
    }
}
