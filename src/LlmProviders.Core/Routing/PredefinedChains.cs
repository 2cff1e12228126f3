using System;
using System.Collections.Generic;

namespace LlmProviders.Routing;

/// <summary>
/// The predefined fallback chains (SPEC RT1, seed 003's <c>FallbackChain.HIGH_QUALITY</c> …): current models from the built-in
/// catalog on the providers' default registration names (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>, <c>mistral</c>,
/// <c>ollama</c>, <c>vllm</c>, <c>localai</c>). Each sets <see cref="FallbackChainOptions.SkipUnregisteredTargets"/>: a provider you
/// did not register is skipped at call time (the trace says <see cref="CandidateSkipReason.NotRegistered"/>), so one chain fits
/// any set of providers.
/// </summary>
/// <remarks>
/// Register one with <c>builder.AddPredefinedChain(PredefinedChains.CostOptimized)</c> (optionally under another name, with
/// changes), or all five with <c>builder.AddPredefinedChains()</c>; or fill your own options with <see cref="Configure"/>.
/// </remarks>
public static class PredefinedChains
{
    /// <summary>The strongest models first, by the catalog's quality score: Claude Opus 4.1, GPT-5, Claude Sonnet 4.5, Gemini 2.5 Pro, Mistral Large.</summary>
    public const string HighQuality = "high_quality";

    /// <summary>The cheapest for each request first (<see cref="RoutingStrategyKind.LeastCost"/>): local Llama 3.1, Gemini 2.5 Flash-Lite, GPT-5 nano, Mistral Small, Claude Haiku 4.5.</summary>
    public const string CostOptimized = "cost_optimized";

    /// <summary>The fastest expected answer first (<see cref="RoutingStrategyKind.Latency"/>): GPT-4.1 nano, Gemini 2.5 Flash-Lite, Mistral Small, Claude Haiku 4.5, local Llama 3.2.</summary>
    public const string FastLatency = "fast_latency";

    /// <summary>Local providers only (<see cref="FallbackChainOptions.LocalOnly"/>): Ollama (Llama 3.1, then Qwen 2.5), vLLM, LocalAI (their served model).</summary>
    public const string LocalOnly = "local_only";

    /// <summary>Models strong at code, in order: Claude Sonnet 4.5, GPT-5, Codestral, Gemini 2.5 Pro, local Code Llama.</summary>
    public const string CodeGeneration = "code_generation";

    private static readonly string[] AllNames = [HighQuality, CostOptimized, FastLatency, LocalOnly, CodeGeneration];

    /// <summary>Gets the names of the predefined chains.</summary>
    public static IReadOnlyList<string> Names => AllNames;

    /// <summary>
    /// Fills <paramref name="options"/> with a predefined chain: adds its targets (after any already there) and sets its
    /// <see cref="FallbackChainOptions.Strategy"/>, <see cref="FallbackChainOptions.LocalOnly"/> (local only) and
    /// <see cref="FallbackChainOptions.SkipUnregisteredTargets"/>.
    /// </summary>
    /// <param name="predefined">One of the constants of this class (case is ignored).</param>
    /// <param name="options">The options to fill.</param>
    /// <exception cref="ArgumentException"><paramref name="predefined"/> is no predefined chain; the message lists them.</exception>
    public static void Configure(string predefined, FallbackChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = Canonical(predefined);
        options.SkipUnregisteredTargets = true;
        switch (name)
        {
            case HighQuality:
                options.Strategy = RoutingStrategyKind.Quality;
                options.AddTarget(LlmProviderKinds.Anthropic, "claude-opus-4-1")
                    .AddTarget(LlmProviderKinds.OpenAI, "gpt-5")
                    .AddTarget(LlmProviderKinds.Anthropic, "claude-sonnet-4-5")
                    .AddTarget(GeminiName, "gemini-2.5-pro")
                    .AddTarget(LlmProviderKinds.Mistral, "mistral-large-latest");
                break;
            case CostOptimized:
                options.Strategy = RoutingStrategyKind.LeastCost;
                options.AddTarget(LlmProviderKinds.Ollama, "llama3.1")
                    .AddTarget(GeminiName, "gemini-2.5-flash-lite")
                    .AddTarget(LlmProviderKinds.OpenAI, "gpt-5-nano")
                    .AddTarget(LlmProviderKinds.Mistral, "mistral-small-latest")
                    .AddTarget(LlmProviderKinds.Anthropic, "claude-haiku-4-5");
                break;
            case FastLatency:
                options.Strategy = RoutingStrategyKind.Latency;
                options.AddTarget(LlmProviderKinds.OpenAI, "gpt-4.1-nano")
                    .AddTarget(GeminiName, "gemini-2.5-flash-lite")
                    .AddTarget(LlmProviderKinds.Mistral, "mistral-small-latest")
                    .AddTarget(LlmProviderKinds.Anthropic, "claude-haiku-4-5")
                    .AddTarget(LlmProviderKinds.Ollama, "llama3.2");
                break;
            case LocalOnly:
                options.Strategy = RoutingStrategyKind.Priority;
                options.LocalOnly = true;
                options.AddTarget(LlmProviderKinds.Ollama, "llama3.1")
                    .AddTarget(LlmProviderKinds.Ollama, "qwen2.5")
                    .AddTarget(LlmProviderKinds.Vllm)
                    .AddTarget(LlmProviderKinds.LocalAI);
                break;
            default: // CodeGeneration
                options.Strategy = RoutingStrategyKind.Priority;
                options.AddTarget(LlmProviderKinds.Anthropic, "claude-sonnet-4-5")
                    .AddTarget(LlmProviderKinds.OpenAI, "gpt-5")
                    .AddTarget(LlmProviderKinds.Mistral, "codestral-latest")
                    .AddTarget(GeminiName, "gemini-2.5-pro")
                    .AddTarget(LlmProviderKinds.Ollama, "codellama");
                break;
        }
    }

    /// <summary>The default registration name of the Gemini provider (its kind is <c>google</c>).</summary>
    internal const string GeminiName = "gemini";

    /// <summary>Returns the constant a predefined name stands for.</summary>
    /// <param name="predefined">The name (case is ignored).</param>
    /// <returns>The constant.</returns>
    /// <exception cref="ArgumentException">No predefined chain has that name.</exception>
    internal static string Canonical(string predefined)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(predefined);
        foreach (var name in AllNames)
        {
            if (string.Equals(name, predefined, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        throw new ArgumentException(
            $"'{predefined}' is no predefined chain; use one of {string.Join(", ", AllNames)} (the PredefinedChains constants).", nameof(predefined));
    }
}
