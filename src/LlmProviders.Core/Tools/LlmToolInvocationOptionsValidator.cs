using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tools;

/// <summary>Validates <see cref="LlmToolInvocationOptions"/>: each failure names the option and the fix.</summary>
internal sealed class LlmToolInvocationOptionsValidator : IValidateOptions<LlmToolInvocationOptions>
{
    /// <summary>Gets the shared instance.</summary>
    public static LlmToolInvocationOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LlmToolInvocationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        if (options.MaxIterations < 1)
        {
            (failures ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"Tool invocation: MaxIterations is {options.MaxIterations}; it must be 1 or more (the most model calls per request), e.g. 10."));
        }

        if (options.MaxConcurrentInvocations < 1)
        {
            (failures ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"Tool invocation: MaxConcurrentInvocations is {options.MaxConcurrentInvocations}; it must be 1 or more (1 runs tool calls one after another), e.g. 4."));
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
