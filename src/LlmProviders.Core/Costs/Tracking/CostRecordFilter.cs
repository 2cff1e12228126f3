using System;

namespace LlmProviders.Costs;

/// <summary>Selects cost records: a period and optional equality conditions, all of which must hold.</summary>
public sealed class CostRecordFilter
{
    /// <summary>Gets a filter that selects every record.</summary>
    public static CostRecordFilter All { get; } = new();

    /// <summary>Gets or sets the start of the period (inclusive).</summary>
    /// <value>The default value is <see langword="null"/>: from the oldest record kept.</value>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets or sets the end of the period (exclusive).</summary>
    /// <value>The default value is <see langword="null"/>: up to now.</value>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets or sets the registration name records must have (ordinal, ignoring case).</summary>
    /// <value>The default value is <see langword="null"/> (any).</value>
    public string? ProviderName { get; init; }

    /// <summary>Gets or sets the model records must have (ordinal, ignoring case).</summary>
    /// <value>The default value is <see langword="null"/> (any).</value>
    public string? Model { get; init; }

    /// <summary>Gets or sets the route records must have (ordinal).</summary>
    /// <value>The default value is <see langword="null"/> (any).</value>
    public string? Route { get; init; }

    /// <summary>Gets or sets the tag key records must carry; with <see cref="TagValue"/>, the value it must have.</summary>
    /// <value>The default value is <see langword="null"/> (any).</value>
    public string? TagKey { get; init; }

    /// <summary>Gets or sets the value the tag <see cref="TagKey"/> must have (ordinal).</summary>
    /// <value>The default value is <see langword="null"/>: any value of <see cref="TagKey"/>.</value>
    public string? TagValue { get; init; }

    /// <summary>Tells whether a record passes the filter.</summary>
    /// <param name="record">The record.</param>
    /// <returns><see langword="true"/> when every set condition holds.</returns>
    public bool Matches(in CostRecord record)
    {
        if (From is { } from && record.Timestamp < from)
        {
            return false;
        }

        if (To is { } to && record.Timestamp >= to)
        {
            return false;
        }

        if (ProviderName is not null && !string.Equals(ProviderName, record.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Model is not null && !string.Equals(Model, record.Model, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Route is not null && !string.Equals(Route, record.Route, StringComparison.Ordinal))
        {
            return false;
        }

        if (TagKey is not null)
        {
            if (record.Tags is null || !record.Tags.TryGetValue(TagKey, out var value))
            {
                return false;
            }

            if (TagValue is not null && !string.Equals(TagValue, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
