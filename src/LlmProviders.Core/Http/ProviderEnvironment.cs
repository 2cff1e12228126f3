using System;

namespace LlmProviders.Http;

/// <summary>
/// The base of a provider's environment reader: the variables that fill options left unset (keys, base URLs, API versions).
/// Every read goes through an injectable function so that tests never depend on the machine's real environment.
/// </summary>
public abstract class ProviderEnvironment
{
    private readonly Func<string, string?> _read;

    /// <summary>Initializes a reader over <paramref name="read"/> (<see cref="Environment.GetEnvironmentVariable(string)"/> for the process).</summary>
    /// <param name="read">Returns a variable's value, or <see langword="null"/> when it is not set.</param>
    protected ProviderEnvironment(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        _read = read;
    }

    /// <summary>Reads a variable.</summary>
    /// <param name="name">The variable name.</param>
    /// <returns>The trimmed value, or <see langword="null"/> when it is unset or blank.</returns>
    public string? Read(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var value = _read(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>
    /// Parses a URL read from a variable. An unusable value is kept (as a relative URI) so that options validation names it
    /// instead of the provider silently using its default endpoint.
    /// </summary>
    /// <param name="url">The value.</param>
    /// <returns>The absolute URL, or a relative one for validation to reject.</returns>
    public static Uri ParseUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute
            : Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out var other) ? other
            : new Uri(Uri.EscapeDataString(url), UriKind.Relative);
    }
}
