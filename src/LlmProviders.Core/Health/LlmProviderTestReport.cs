using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmProviders.Health;

/// <summary>The outcome of one check of a provider test (<see cref="ILlmProviderDiagnostics.TestProviderAsync"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LlmProviderCheckStatus>))]
public enum LlmProviderCheckStatus
{
    /// <summary>The check passed.</summary>
    Passed = 0,

    /// <summary>The check passed with a caveat (see the message).</summary>
    Warning = 1,

    /// <summary>The check failed; the fix says what to do.</summary>
    Failed = 2,

    /// <summary>The check was not run (an earlier check failed, or the provider cannot do it).</summary>
    Skipped = 3,
}

/// <summary>One check of a provider test: what was checked, the outcome, what was found and how to fix it.</summary>
public sealed class LlmProviderCheck
{
    /// <summary>The name of the reachability check: the provider's endpoint answers.</summary>
    public const string Reachable = "reachable";

    /// <summary>The name of the key check: the provider accepts the configured credentials.</summary>
    public const string KeyAccepted = "key";

    /// <summary>The name of the model check: the model is served.</summary>
    public const string ModelAvailable = "model";

    /// <summary>Gets what was checked (<see cref="Reachable"/>, <see cref="KeyAccepted"/>, <see cref="ModelAvailable"/>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the outcome.</summary>
    public LlmProviderCheckStatus Status { get; init; }

    /// <summary>Gets what was found, in words (never showing a key).</summary>
    public required string Message { get; init; }

    /// <summary>Gets how to fix a failure or warning, or <see langword="null"/>.</summary>
    public string? Fix { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Status} — {Message}{(Fix is null ? string.Empty : " Fix: " + Fix)}";
}

/// <summary>
/// The report of a provider test (SPEC H5, seed 002's quick test): is the provider reachable, is the key accepted, is the model
/// available. Exported with <see cref="ToJson()"/>.
/// </summary>
public sealed class LlmProviderTestReport
{
    /// <summary>Gets the provider's registration name.</summary>
    public required string ProviderName { get; init; }

    /// <summary>Gets the provider's kind (e.g. <c>openai</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the model checked, or <see langword="null"/> when none was given.</summary>
    public string? Model { get; init; }

    /// <summary>Gets when the test started.</summary>
    public DateTimeOffset TestedAt { get; init; }

    /// <summary>Gets how long the test took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets a value indicating whether no check failed.</summary>
    public bool Passed { get; init; }

    /// <summary>Gets the checks, in the order they ran.</summary>
    public required IReadOnlyList<LlmProviderCheck> Checks { get; init; }

    /// <summary>Serialises the report as indented JSON (camelCase, enums as strings).</summary>
    /// <returns>The JSON.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, HealthJsonContext.Default.LlmProviderTestReport);

    /// <summary>Serialises several reports as one indented JSON array.</summary>
    /// <param name="reports">The reports.</param>
    /// <returns>The JSON.</returns>
    public static string ToJson(IReadOnlyList<LlmProviderTestReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return JsonSerializer.Serialize(reports, HealthJsonContext.Default.IReadOnlyListLlmProviderTestReport);
    }

    /// <inheritdoc />
    public override string ToString() => $"{ProviderName}: {(Passed ? "passed" : "failed")} ({Checks.Count} checks)";
}

/// <summary>The source-generated JSON metadata of the diagnostics reports.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LlmProviderTestReport))]
[JsonSerializable(typeof(IReadOnlyList<LlmProviderTestReport>))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
