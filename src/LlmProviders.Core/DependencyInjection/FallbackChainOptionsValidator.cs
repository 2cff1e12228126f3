using System;
using System.Collections.Generic;
using LlmProviders.Routing;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Validates a chain against what is registered: at least one target, each naming a registered provider or chain (exact
/// spelling), and no chain reaching itself through its targets. Each failure names the chain, the target and the fix.
/// </summary>
internal sealed class FallbackChainOptionsValidator : IValidateOptions<FallbackChainOptions>
{
    private static readonly FallbackChainOptionsAttributeValidator AttributeValidator = new();
    private readonly LlmProvidersState _state;

    // Builds other chains' options without validating them, to follow nested chains without re-entering validation.
    private readonly OptionsFactory<FallbackChainOptions> _unvalidatedFactory;

    public FallbackChainOptionsValidator(
        LlmProvidersState state,
        IEnumerable<IConfigureOptions<FallbackChainOptions>> setups,
        IEnumerable<IPostConfigureOptions<FallbackChainOptions>> postConfigures)
    {
        _state = state;
        _unvalidatedFactory = new OptionsFactory<FallbackChainOptions>(setups, postConfigures);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FallbackChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || !_state.IsChain(name))
        {
            return ValidateOptionsResult.Skip;
        }

        string prefix = $"Chain '{name}': ";
        var failures = new List<string>();
        var generated = AttributeValidator.Validate(name, options);
        if (generated.Failed)
        {
            foreach (var failure in generated.Failures ?? [])
            {
                failures.Add(prefix + failure);
            }
        }

        if (options.Targets.Count == 0)
        {
            failures.Add($"{prefix}Targets is empty; add at least one target, e.g. AddFallbackChain(\"{name}\", c => c.AddTarget(\"openai\").AddTarget(\"backup\")).");
        }

        for (int i = 0; i < options.Targets.Count; i++)
        {
            var target = options.Targets[i];
            if (target is null || string.IsNullOrWhiteSpace(target.ProviderName))
            {
                continue; // Reported by the attribute rules.
            }

            if (!(target.Weight > 0) || double.IsInfinity(target.Weight))
            {
                failures.Add($"{prefix}target {i + 1} ('{target.ProviderName}') has Weight {target.Weight}; set a positive number (the default is 1).");
            }

            if (target.MaxOutputTokens < 1)
            {
                failures.Add($"{prefix}target {i + 1} ('{target.ProviderName}') has MaxOutputTokens {target.MaxOutputTokens}; set it to 1 or more, or leave it unset for no cap.");
            }

            if (string.Equals(target.ProviderName, name, StringComparison.Ordinal))
            {
                failures.Add($"{prefix}target {i + 1} names the chain itself; a chain may nest other chains, not itself. Remove that target.");
            }
            else if (!options.SkipUnregisteredTargets && !_state.IsRegistered(target.ProviderName))
            {
                failures.Add(DescribeUnregistered(name, i, target.ProviderName));
            }
        }

        if (options.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}Timeout is {timeout}; set a positive deadline, or leave it unset for none.");
        }

        if (options.MaxLatency is { } maxLatency && maxLatency <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}MaxLatency is {maxLatency}; set a positive duration, or leave it unset for no limit.");
        }

        if (options.Hedging is { } hedging)
        {
            if (hedging.Delay <= TimeSpan.Zero)
            {
                failures.Add($"{prefix}Hedging.Delay is {hedging.Delay}; set a positive delay (e.g. 2 seconds) before the next target starts.");
            }

            if (hedging.MinSamples < 1)
            {
                failures.Add($"{prefix}Hedging.MinSamples is {hedging.MinSamples}; set 1 or more.");
            }
        }

        if (failures.Count == 0 && FindCycle(name) is { } cycle)
        {
            failures.Add($"{prefix}its targets lead back to it ({cycle}); a chain may nest other chains, but not in a cycle. Remove one of those targets.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string DescribeUnregistered(string chain, int index, string providerName)
    {
        string prefix = $"Chain '{chain}': ";
        string? differentCase = null;
        var others = new List<string>(_state.Names.Count);
        foreach (var registered in _state.Names)
        {
            if (string.Equals(registered, providerName, StringComparison.OrdinalIgnoreCase))
            {
                differentCase = registered;
            }

            if (!string.Equals(registered, chain, StringComparison.Ordinal))
            {
                others.Add(registered);
            }
        }

        string registeredNames = others.Count == 0 ? "none" : string.Join(", ", others);
        return differentCase is not null
            ? $"{prefix}target {index + 1} names '{providerName}', which is not registered; did you mean '{differentCase}'? Names match exactly."
            : $"{prefix}target {index + 1} names '{providerName}', which is not registered. Registered providers and chains: {registeredNames}. " +
              $"Register it (e.g. builder.AddSimulated(\"{providerName}\")) or fix the target's ProviderName.";
    }

    // Depth-first search through nested chains; returns the path of a cycle through `start`, if any.
    private string? FindCycle(string start)
    {
        var path = new List<string> { start };
        var visited = new HashSet<string>(StringComparer.Ordinal);
        return Visit(start);

        string? Visit(string chain)
        {
            if (!visited.Add(chain))
            {
                return null;
            }

            foreach (var target in _unvalidatedFactory.Create(chain).Targets)
            {
                if (target?.ProviderName is not { } next || !_state.IsChain(next))
                {
                    continue;
                }

                if (string.Equals(next, start, StringComparison.Ordinal))
                {
                    return string.Join(" → ", path) + " → " + start;
                }

                path.Add(next);
                if (Visit(next) is { } found)
                {
                    return found;
                }

                path.RemoveAt(path.Count - 1);
            }

            return null;
        }
    }
}
