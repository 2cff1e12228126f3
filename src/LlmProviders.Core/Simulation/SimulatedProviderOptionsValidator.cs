using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace LlmProviders.Simulation;

/// <summary>Validates <see cref="SimulatedProviderOptions"/>: each failure names the provider, the option and the fix.</summary>
internal sealed class SimulatedProviderOptionsValidator : IValidateOptions<SimulatedProviderOptions>
{
    private static readonly SimulatedProviderOptionsAttributeValidator AttributeValidator = new();

    /// <summary>Gets the shared instance.</summary>
    public static SimulatedProviderOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SimulatedProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string prefix = $"Simulated provider '{(string.IsNullOrEmpty(name) ? "simulated" : name)}': ";
        List<string>? failures = null;
        var generated = AttributeValidator.Validate(name, options);
        if (generated.Failed)
        {
            foreach (var failure in generated.Failures ?? [])
            {
                Add(ref failures, prefix + failure);
            }
        }

        // Ranges are checked here rather than with [Range]: the generated validator's Range ignores ErrorMessage.
        if (!(options.FailureRate >= 0 && options.FailureRate <= 1))
        {
            Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{prefix}FailureRate is {options.FailureRate}; it must be between 0 (never fail) and 1 (always fail), e.g. 0.4 for 40 % of calls."));
        }

        if (options.StreamCutAfterTokens < 0)
        {
            Add(ref failures, $"{prefix}StreamCutAfterTokens is {options.StreamCutAfterTokens}; it must be 0 or more (0 cuts before the first token), or unset to never cut.");
        }

        if (options.Latency < TimeSpan.Zero)
        {
            Add(ref failures, $"{prefix}Latency is {options.Latency}; it must not be negative (TimeSpan.Zero answers at once).");
        }

        if (options.MinLatency.HasValue != options.MaxLatency.HasValue)
        {
            Add(ref failures, $"{prefix}MinLatency and MaxLatency must be set together (for a random latency between them), or neither (for the fixed Latency).");
        }
        else if (options.MinLatency is { } min && options.MaxLatency is { } max)
        {
            if (min < TimeSpan.Zero)
            {
                Add(ref failures, $"{prefix}MinLatency is {min}; it must not be negative.");
            }

            if (min > max)
            {
                Add(ref failures, $"{prefix}MinLatency ({min}) is greater than MaxLatency ({max}); swap them, or set MaxLatency at least as large.");
            }

            if (options.Latency != TimeSpan.Zero)
            {
                Add(ref failures, $"{prefix}both Latency ({options.Latency}) and MinLatency/MaxLatency are set; set Latency for a fixed latency or MinLatency/MaxLatency for a random one, not both.");
            }
        }

        if (options.TokenDelay < TimeSpan.Zero)
        {
            Add(ref failures, $"{prefix}TokenDelay is {options.TokenDelay}; it must not be negative.");
        }

        if (options.RetryAfter is { } retryAfter && retryAfter < TimeSpan.Zero)
        {
            Add(ref failures, $"{prefix}RetryAfter is {retryAfter}; it must not be negative (or null for no Retry-After).");
        }

        if (options.InputPricePerMillionTokens < 0)
        {
            Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{prefix}InputPricePerMillionTokens is {options.InputPricePerMillionTokens}; prices must be 0 or more (USD per million tokens)."));
        }

        if (options.OutputPricePerMillionTokens < 0)
        {
            Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{prefix}OutputPricePerMillionTokens is {options.OutputPricePerMillionTokens}; prices must be 0 or more (USD per million tokens)."));
        }

        if (options.EmbeddingDimensions is < 1 or > SimulatedProviderOptions.MaxEmbeddingDimensions)
        {
            Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{prefix}EmbeddingDimensions is {options.EmbeddingDimensions}; it must be between 1 and {SimulatedProviderOptions.MaxEmbeddingDimensions}, e.g. 8."));
        }

        foreach (var kind in options.FailureKinds)
        {
            if (!SimulatedFailures.IsSupported(kind))
            {
                Add(ref failures, $"{prefix}FailureKinds contains {kind}, which a provider does not report; use {SimulatedFailures.SupportedKindsText}.");
            }
        }

        for (int i = 0; i < options.ToolCalls.Count; i++)
        {
            var call = options.ToolCalls[i];
            if (call is null || string.IsNullOrWhiteSpace(call.Name))
            {
                Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{prefix}ToolCalls:{i}:Name is empty; set it to the name of the tool the provider calls, e.g. \"get_weather\"."));
            }
            else if (!IsJsonObject(call.Arguments))
            {
                Add(ref failures, string.Create(CultureInfo.InvariantCulture, $"{prefix}ToolCalls:{i}:Arguments (tool '{call.Name}') is not a JSON object; set it to the call's arguments, e.g. {{\"location\":\"Paris\"}}."));
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsJsonObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return false;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static void Add(ref List<string>? failures, string failure) => (failures ??= []).Add(failure);
}

/// <summary>Checks the data-annotation rules of <see cref="SimulatedProviderOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class SimulatedProviderOptionsAttributeValidator : IValidateOptions<SimulatedProviderOptions>
{
}
