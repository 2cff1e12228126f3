using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace LlmProviders.Health;

/// <summary>Validates <see cref="HealthMonitorOptions"/>: each failure names the option path and the fix.</summary>
internal sealed class HealthMonitorOptionsValidator : IValidateOptions<HealthMonitorOptions>
{
    /// <summary>Gets the shared instance.</summary>
    public static HealthMonitorOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HealthMonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Prefix = "Health monitor: ";
        List<string>? failures = null;
        if (options.Interval <= TimeSpan.Zero)
        {
            Add(ref failures, $"{Prefix}Health:Interval is {options.Interval}; it must be positive, e.g. 00:01:00 for a check a minute (set Health:Enabled to false to stop background checks).");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            Add(ref failures, $"{Prefix}Health:Timeout is {options.Timeout}; it must be positive, e.g. 00:00:10.");
        }

        if (options.HistorySize < 1)
        {
            Add(ref failures, $"{Prefix}Health:HistorySize is {options.HistorySize}; it must be 1 or more (the number of check results kept per provider), e.g. 100.");
        }

        if (options.TrafficWindowSize < 1)
        {
            Add(ref failures, $"{Prefix}Health:TrafficWindowSize is {options.TrafficWindowSize}; it must be 1 or more (the number of recent calls the success rate covers), e.g. 100.");
        }

        if (options.MinimumTrafficSamples < 1)
        {
            Add(ref failures, $"{Prefix}Health:MinimumTrafficSamples is {options.MinimumTrafficSamples}; it must be 1 or more, e.g. 10.");
        }

        if (options.UnhealthyAfterConsecutiveFailures < 1)
        {
            Add(ref failures, $"{Prefix}Health:UnhealthyAfterConsecutiveFailures is {options.UnhealthyAfterConsecutiveFailures}; it must be 1 or more, e.g. 5.");
        }

        if (!(options.DegradedBelowSuccessRate >= 0 && options.DegradedBelowSuccessRate <= 1))
        {
            Add(ref failures, string.Create(CultureInfo.InvariantCulture,
                $"{Prefix}Health:DegradedBelowSuccessRate is {options.DegradedBelowSuccessRate}; it must be between 0 and 1, e.g. 0.9 for 90 %."));
        }

        if (options.DegradedAboveLatency is { } latency && latency <= TimeSpan.Zero)
        {
            Add(ref failures, $"{Prefix}Health:DegradedAboveLatency is {latency}; it must be positive, or unset to ignore latency.");
        }

        foreach (var pair in options.Providers)
        {
            if (pair.Value is null)
            {
                Add(ref failures, $"{Prefix}Health:Providers:{pair.Key} is null; remove it or give it settings.");
                continue;
            }

            if (pair.Value.Interval is { } interval && interval <= TimeSpan.Zero)
            {
                Add(ref failures, $"{Prefix}Health:Providers:{pair.Key}:Interval is {interval}; it must be positive, or unset to use Health:Interval (set Enabled to false to stop checking it).");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Add(ref List<string>? failures, string failure) => (failures ??= []).Add(failure);
}
