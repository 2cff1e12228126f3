using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace LlmProviders.Caching;

/// <summary>Validates <see cref="ResponseCacheOptions"/>: each failure names the option path and the fix.</summary>
internal sealed class ResponseCacheOptionsValidator : IValidateOptions<ResponseCacheOptions>
{
    private const string Prefix = "LlmProviders:ResponseCache:";

    /// <summary>Gets the shared instance.</summary>
    public static ResponseCacheOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ResponseCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        if (options.TimeToLive <= TimeSpan.Zero)
        {
            (failures ??= []).Add($"{Prefix}TimeToLive is {options.TimeToLive}; it must be positive, e.g. 01:00:00 for one hour.");
        }

        if (options.MaxEntries <= 0)
        {
            (failures ??= []).Add($"{Prefix}MaxEntries is {options.MaxEntries}; it must be at least 1, e.g. 10000.");
        }

        if (options.MaxBytes <= 0)
        {
            (failures ??= []).Add($"{Prefix}MaxBytes is {options.MaxBytes}; it must be at least 1, e.g. 67108864 for 64 MiB.");
        }

        CheckNames(options.Routes, "Routes", "route", ref failures);
        CheckNames(options.Providers, "Providers", "provider", ref failures);
        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckNames(IList<string> names, string option, string what, ref List<string>? failures)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                (failures ??= []).Add($"{Prefix}{option}:{i} is blank; give the {what}'s registration name, or remove the entry.");
            }
        }
    }
}
