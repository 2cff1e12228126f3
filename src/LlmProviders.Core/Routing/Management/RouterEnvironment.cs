using System;
using System.Globalization;
using LlmProviders.Http;

namespace LlmProviders.Routing;

/// <summary>
/// Reads the router's environment knobs (SPEC RT8, seed 003): <c>LLM_DEFAULT_PROVIDER</c>, <c>LLM_ROUTING_STRATEGY</c>,
/// <c>LLM_ENABLE_FALLBACK</c>, <c>LLM_PREFER_LOCAL</c>, <c>LLM_MAX_LATENCY_MS</c>. Injectable so that tests never depend on the
/// machine's real environment (register another instance in the service collection). Each value is read when asked; an
/// unset or blank variable is <see langword="null"/>, an invalid one throws a message naming the variable and the accepted values.
/// </summary>
internal sealed class RouterEnvironment : ProviderEnvironment
{
    public const string DefaultProviderVariable = "LLM_DEFAULT_PROVIDER";
    public const string RoutingStrategyVariable = "LLM_ROUTING_STRATEGY";
    public const string EnableFallbackVariable = "LLM_ENABLE_FALLBACK";
    public const string PreferLocalVariable = "LLM_PREFER_LOCAL";
    public const string MaxLatencyVariable = "LLM_MAX_LATENCY_MS";

    public RouterEnvironment(Func<string, string?> read)
        : base(read)
    {
    }

    /// <summary>Gets the reader of the process environment.</summary>
    public static RouterEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Gets <c>LLM_DEFAULT_PROVIDER</c>: the name of the default provider, or <see langword="null"/>.</summary>
    public string? DefaultProvider => Read(DefaultProviderVariable);

    /// <summary>Gets <c>LLM_ROUTING_STRATEGY</c> as written (the router validates the strategy name), or <see langword="null"/>.</summary>
    public string? RoutingStrategy => Read(RoutingStrategyVariable);

    /// <summary>Gets <c>LLM_ENABLE_FALLBACK</c>, or <see langword="null"/> when unset.</summary>
    /// <exception cref="InvalidOperationException">The value is not a boolean; the message names the variable and the accepted values.</exception>
    public bool? EnableFallback => ReadBoolean(EnableFallbackVariable);

    /// <summary>Gets <c>LLM_PREFER_LOCAL</c>, or <see langword="null"/> when unset.</summary>
    /// <exception cref="InvalidOperationException">The value is not a boolean; the message names the variable and the accepted values.</exception>
    public bool? PreferLocal => ReadBoolean(PreferLocalVariable);

    /// <summary>Gets <c>LLM_MAX_LATENCY_MS</c> as a duration, or <see langword="null"/> when unset.</summary>
    /// <exception cref="InvalidOperationException">The value is not a positive whole number of milliseconds; the message names the variable.</exception>
    public TimeSpan? MaxLatency
    {
        get
        {
            if (Read(MaxLatencyVariable) is not { } value)
            {
                return null;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int milliseconds) && milliseconds > 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }

            throw new InvalidOperationException(
                $"{MaxLatencyVariable} is '{value}'; set it to a positive whole number of milliseconds (e.g. 2000), or unset it.");
        }
    }

    private bool? ReadBoolean(string variable)
    {
        if (Read(variable) is not { } value)
        {
            return null;
        }

        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value == "1")
        {
            return true;
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value.Equals("no", StringComparison.OrdinalIgnoreCase) || value == "0")
        {
            return false;
        }

        throw new InvalidOperationException(
            $"{variable} is '{value}'; set it to true, false, 1, 0, yes or no (any case), or unset it.");
    }
}
