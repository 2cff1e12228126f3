using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmProviders.Configuration;

/// <summary>
/// The options the configuration check hangs on (no settings of its own): registered with <c>ValidateOnStart</c>, so every problem
/// of the configuration fails the start together, in one <see cref="OptionsValidationException"/>.
/// </summary>
internal sealed class LlmProvidersConfigurationCheck
{
}

/// <summary>
/// Reports at start the problems binding found, and the references (route targets, the default provider) that name nothing
/// registered once the code registrations are done; logs the optional providers skipped for lack of a key.
/// </summary>
internal sealed class LlmProvidersConfigurationValidator(LlmProvidersState state, ILoggerFactory? loggerFactory = null) : IValidateOptions<LlmProvidersConfigurationCheck>
{
    private int _logged;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LlmProvidersConfigurationCheck options)
    {
        var configuration = state.Configuration;
        if (Interlocked.Exchange(ref _logged, 1) == 0 && loggerFactory is not null)
        {
            var logger = loggerFactory.CreateLogger("LlmProviders.Configuration");
            foreach (var (path, type, variables) in configuration.Skipped)
            {
                ConfigurationLog.OptionalProviderSkipped(logger, path, type, variables);
            }

            foreach (var path in configuration.SkippedRoutes)
            {
                ConfigurationLog.RouteSkipped(logger, path);
            }
        }

        var failures = new List<string>(configuration.Problems);
        foreach (var (path, referenced) in configuration.References)
        {
            if (!IsRegistered(referenced))
            {
                failures.Add(
                    $"{path}: '{referenced}' is no registered provider or route (registered: {string.Join(", ", state.Names)}). " +
                    "Configure it under Providers (or Routes), fix the name, or remove the reference.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private bool IsRegistered(string name)
    {
        foreach (var registered in state.Names)
        {
            if (string.Equals(registered, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
