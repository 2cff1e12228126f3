using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace LlmProviders.Configuration;

/// <summary>
/// A live view of a configuration section that the binder reads through: keys match with <see cref="ConfigurationKeys"/>
/// (case, <c>_</c>, <c>-</c> ignored; seed aliases), values resolve <c>env:NAME</c> and <c>${NAME}</c> when read (so they
/// re-resolve on every options rebuild), and durations written as seconds or with a unit become TimeSpans. Nothing is copied:
/// a reload of the underlying configuration shows at once.
/// </summary>
internal sealed class NormalizedConfigurationSection : IConfigurationSection
{
    private readonly IConfiguration _inner;
    private readonly Func<string, string?> _environment;

    public NormalizedConfigurationSection(IConfiguration inner, Func<string, string?> environment)
    {
        _inner = inner;
        _environment = environment;
    }

    /// <inheritdoc />
    public string Key => (_inner as IConfigurationSection)?.Key ?? string.Empty;

    /// <inheritdoc />
    public string Path => (_inner as IConfigurationSection)?.Path ?? string.Empty;

    /// <summary>Gets the value as written (environment references not resolved), for messages that must not show secrets.</summary>
    public string? RawValue => (_inner as IConfigurationSection)?.Value;

    /// <summary>Gets a value indicating whether the section has a value or children.</summary>
    public bool Exists => RawValue is not null || HasChildren;

    /// <summary>Gets a value indicating whether the section has children.</summary>
    public bool HasChildren
    {
        get
        {
            foreach (var _ in _inner.GetChildren())
            {
                return true;
            }

            return false;
        }
    }

    /// <inheritdoc />
    public string? Value
    {
        get
        {
            var value = ConfigurationKeys.ResolveEnvironment(RawValue, _environment);
            if (value is not null && !value.Contains(':', StringComparison.Ordinal) && ConfigurationKeys.IsDuration(Key) &&
                ConfigurationKeys.TryParseDuration(value, out var duration))
            {
                return duration.ToString("c", CultureInfo.InvariantCulture);
            }

            return value;
        }

        set
        {
            if (_inner is IConfigurationSection section)
            {
                section.Value = value;
            }
        }
    }

    /// <inheritdoc />
    public string? this[string key]
    {
        get => GetSection(key).Value;
        set => GetSection(key).Value = value;
    }

    /// <inheritdoc />
    public IEnumerable<IConfigurationSection> GetChildren()
    {
        var children = new List<IConfigurationSection>();
        foreach (var child in _inner.GetChildren())
        {
            children.Add(new NormalizedConfigurationSection(child, _environment));
        }

        return children;
    }

    /// <inheritdoc />
    public IChangeToken GetReloadToken() => _inner.GetReloadToken();

    /// <summary>Returns the child section; <paramref name="key"/> may be a path with <c>:</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The child, matched with <see cref="ConfigurationKeys"/>; an empty section when there is none.</returns>
    public NormalizedConfigurationSection Section(string key)
    {
        IConfiguration current = _inner;
        foreach (var segment in key.Split(':'))
        {
            current = Find(current, segment);
        }

        return new NormalizedConfigurationSection(current, _environment);
    }

    /// <inheritdoc />
    IConfigurationSection IConfiguration.GetSection(string key) => Section(key);

    /// <summary>Returns the child section (as <see cref="IConfiguration.GetSection"/>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The child.</returns>
    public IConfigurationSection GetSection(string key) => Section(key);

    private static IConfigurationSection Find(IConfiguration parent, string key)
    {
        IConfigurationSection? loose = null;
        foreach (var child in parent.GetChildren())
        {
            if (string.Equals(child.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return child;
            }

            if (loose is null && ConfigurationKeys.Matches(key, child.Key))
            {
                loose = child;
            }
        }

        return loose ?? parent.GetSection(key);
    }
}
