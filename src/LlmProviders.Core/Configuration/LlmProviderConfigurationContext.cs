using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Configuration;

/// <summary>One provider of the configuration, handed to its <see cref="ILlmProviderConfigurationBinder"/>.</summary>
public sealed class LlmProviderConfigurationContext
{
    internal LlmProviderConfigurationContext(LlmProvidersBuilder builder, string name, string type, IConfigurationSection section)
    {
        Builder = builder;
        Name = name;
        Type = type;
        Section = section;
    }

    /// <summary>Gets the builder to register the provider on.</summary>
    public LlmProvidersBuilder Builder { get; }

    /// <summary>Gets the provider's registration name.</summary>
    public string Name { get; }

    /// <summary>Gets the provider type, as the binder declared it (e.g. <c>azure_openai</c> for a section that says <c>azure-openai</c>).</summary>
    public string Type { get; }

    /// <summary>
    /// Gets the provider's section, read live: keys match ignoring case, <c>_</c> and <c>-</c> (<c>api_key</c> is <c>ApiKey</c>),
    /// <c>env:NAME</c> and <c>${NAME}</c> resolve when read, durations may be seconds (<c>30</c>) or have a unit (<c>500ms</c>).
    /// Bind it inside the options' <c>Configure</c> delegate (<c>o =&gt; context.Section.Bind(o)</c>) so that every rebuild of the
    /// options reads the current values.
    /// </summary>
    public IConfigurationSection Section { get; }

    /// <summary>
    /// Applies what every provider section may say beyond its options type: with no <c>DefaultModel</c>, the first entry of
    /// <c>Models</c> (seed 001 lists a provider's models, its default first) becomes the default model. Call it after binding.
    /// </summary>
    /// <param name="options">The provider's options, bound from <see cref="Section"/>.</param>
    public void ApplyModels(Http.HttpProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DefaultModel))
        {
            foreach (var model in Section.GetSection("Models").GetChildren())
            {
                if (!string.IsNullOrWhiteSpace(model.Value))
                {
                    options.DefaultModel = model.Value.Trim();
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Makes the named <typeparamref name="TOptions"/> of this provider follow the configuration: when it reloads, the options
    /// are rebuilt and the provider with them on its next request (key rotation without a restart).
    /// </summary>
    /// <typeparam name="TOptions">The provider's options type.</typeparam>
    /// <returns>This context.</returns>
    public LlmProviderConfigurationContext WatchOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>()
        where TOptions : class
    {
        Builder.Services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(Name, Section));
        return this;
    }

    /// <summary>Reads an absolute URL from the section (e.g. the base URL an <c>AddXxx</c> needs up front).</summary>
    /// <param name="key">The key, e.g. <c>BaseUrl</c>.</param>
    /// <returns>The URL, or <see langword="null"/> when the key is unset or not an absolute URL.</returns>
    public Uri? GetUrl(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return Uri.TryCreate(Section[key], UriKind.Absolute, out var url) ? url : null;
    }
}
