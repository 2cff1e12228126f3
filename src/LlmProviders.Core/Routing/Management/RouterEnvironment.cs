using System;
using System.Collections.Generic;
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

    /// <summary>Gets <c>LLM_ROUTING_STRATEGY</c> parsed (<see cref="RoutingStrategies.TryParse"/>), or <see langword="null"/> when unset.</summary>
    /// <exception cref="InvalidOperationException">The name is no known strategy; the message names the variable and the accepted values.</exception>
    public RoutingStrategyKind? Strategy
    {
        get
        {
            if (RoutingStrategy is not { } value)
            {
                return null;
            }

            if (RoutingStrategies.TryParse(value, out var kind))
            {
                return kind;
            }

            throw new InvalidOperationException(
                $"{RoutingStrategyVariable} is '{value}', which is no routing strategy; set it to one of {AcceptedStrategies} " +
                "(case, '_', '-' and spaces are ignored; aliases such as cost_optimized, fastest, latency_optimized are accepted), or unset it.");
        }
    }

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

    /// <summary>The strategy names <c>LLM_ROUTING_STRATEGY</c> takes, for messages.</summary>
    internal const string AcceptedStrategies =
        "priority, round_robin, weighted_round_robin, least_cost, latency, least_busy, least_recently_used, health_based, token_load, quality, balanced, local_first, capability_match";

    /// <summary>
    /// Checks every knob the router reads (<c>LLM_ROUTING_STRATEGY</c>, <c>LLM_ENABLE_FALLBACK</c>, <c>LLM_PREFER_LOCAL</c>,
    /// <c>LLM_MAX_LATENCY_MS</c>) and returns one message per invalid one, naming the variable and the accepted values.
    /// </summary>
    /// <returns>The failures; empty when every set variable is valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        Check(failures, static e => _ = e.Strategy);
        Check(failures, static e => _ = e.EnableFallback);
        Check(failures, static e => _ = e.PreferLocal);
        Check(failures, static e => _ = e.MaxLatency);
        return failures;
    }

    /// <summary>Throws when any knob is invalid: one <see cref="InvalidOperationException"/> carrying every failure.</summary>
    /// <exception cref="InvalidOperationException">A variable is invalid; the message names it and the accepted values.</exception>
    public void ThrowIfInvalid()
    {
        var failures = Validate();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", failures));
        }
    }

    private void Check(List<string> failures, Action<RouterEnvironment> read)
    {
        try
        {
            read(this);
        }
        catch (InvalidOperationException ex)
        {
            failures.Add(ex.Message);
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
