using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace LlmProviders.Routing;

/// <summary>Validates <see cref="LatencyStrategyOptions"/>: each failure names the option and the fix.</summary>
internal sealed class LatencyStrategyOptionsValidator : IValidateOptions<LatencyStrategyOptions>
{
    /// <summary>Gets the shared instance.</summary>
    public static LatencyStrategyOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LatencyStrategyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string prefix = RoutingStrategyOptionsValidation.Prefix(name, "Latency");
        List<string>? failures = null;
        if (!(options.Alpha > 0 && options.Alpha <= 1))
        {
            RoutingStrategyOptionsValidation.Add(ref failures, string.Create(CultureInfo.InvariantCulture,
                $"{prefix}Alpha is {options.Alpha}; it must be greater than 0 and at most 1 (the weight of the newest sample), e.g. 0.3."));
        }

        if (options.ExplorationSamples < 0)
        {
            RoutingStrategyOptionsValidation.Add(ref failures, string.Create(CultureInfo.InvariantCulture,
                $"{prefix}ExplorationSamples is {options.ExplorationSamples}; it must be 0 (no cold-start exploration) or more, e.g. 3."));
        }

        if (!(options.ExplorationRate >= 0 && options.ExplorationRate <= 1))
        {
            RoutingStrategyOptionsValidation.Add(ref failures, string.Create(CultureInfo.InvariantCulture,
                $"{prefix}ExplorationRate is {options.ExplorationRate}; it must be between 0 (never) and 1 (every call), e.g. 0.05 for 5 % of calls."));
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Validates <see cref="BalancedStrategyOptions"/>: each failure names the option and the fix.</summary>
internal sealed class BalancedStrategyOptionsValidator : IValidateOptions<BalancedStrategyOptions>
{
    /// <summary>Gets the shared instance.</summary>
    public static BalancedStrategyOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BalancedStrategyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string prefix = RoutingStrategyOptionsValidation.Prefix(name, "Balanced");
        List<string>? failures = null;
        Check(ref failures, prefix, nameof(options.CostWeight), options.CostWeight);
        Check(ref failures, prefix, nameof(options.QualityWeight), options.QualityWeight);
        Check(ref failures, prefix, nameof(options.LatencyWeight), options.LatencyWeight);
        if (failures is null && !(options.CostWeight + options.QualityWeight + options.LatencyWeight > 0))
        {
            RoutingStrategyOptionsValidation.Add(ref failures,
                $"{prefix}CostWeight, QualityWeight and LatencyWeight are all 0; give at least one a positive weight (the defaults are 0.4, 0.4 and 0.2).");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(ref List<string>? failures, string prefix, string option, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            RoutingStrategyOptionsValidation.Add(ref failures, string.Create(CultureInfo.InvariantCulture,
                $"{prefix}{option} is {value}; weights must be 0 or more and finite (only their proportions matter, e.g. 0.4)."));
        }
    }
}

/// <summary>Shared helpers of the strategy option validators.</summary>
internal static class RoutingStrategyOptionsValidation
{
    public static string Prefix(string? name, string strategy) =>
        string.IsNullOrEmpty(name) ? $"Routing strategy '{strategy}': " : $"Routing strategy '{strategy}' ('{name}'): ";

    public static void Add(ref List<string>? failures, string failure) => (failures ??= []).Add(failure);

    public static void ThrowIfInvalid(ValidateOptionsResult result, string paramName)
    {
        if (result.Failed)
        {
            throw new ArgumentException(string.Join(" ", result.Failures ?? []), paramName);
        }
    }
}
