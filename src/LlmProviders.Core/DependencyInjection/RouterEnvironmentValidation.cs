using System;
using LlmProviders.Routing;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The options the router's environment check hangs on (no settings of its own): registered with <c>ValidateOnStart</c>, so an
/// invalid <c>LLM_*</c> router variable fails the application's start with a message naming it.
/// </summary>
internal sealed class RouterEnvironmentCheck
{
}

/// <summary>Validates the router's environment knobs (<see cref="RouterEnvironment.Validate"/>) at start.</summary>
/// <param name="environment">The environment the router reads.</param>
internal sealed class RouterEnvironmentValidator(RouterEnvironment environment) : IValidateOptions<RouterEnvironmentCheck>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RouterEnvironmentCheck options)
    {
        var failures = environment.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Applies <c>LLM_ENABLE_FALLBACK=false</c> to every configured chain (and route): fallback off, whatever the chain's code says.
/// <c>true</c> or unset leaves each chain's own <see cref="FallbackChainOptions.EnableFallback"/>. An invalid value is left to
/// <see cref="RouterEnvironmentValidator"/>, which names it at start.
/// </summary>
/// <param name="environment">The environment the router reads.</param>
internal sealed class FallbackChainEnvironmentPostConfigure(RouterEnvironment environment) : IPostConfigureOptions<FallbackChainOptions>
{
    /// <inheritdoc />
    public void PostConfigure(string? name, FallbackChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool? enabled;
        try
        {
            enabled = environment.EnableFallback;
        }
        catch (InvalidOperationException)
        {
            return; // Reported at start by RouterEnvironmentValidator.
        }

        if (enabled == false)
        {
            options.EnableFallback = false;
        }
    }
}
