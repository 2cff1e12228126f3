using System;
using LlmProviders.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the response cache (SPEC D4) to an <see cref="LlmProvidersBuilder"/>: exact-match caching of results and streams at
/// each route's entry, opt-in per route, per provider (<see cref="ResponseCacheOptions.Providers"/>) or per request
/// (<see cref="LlmProviders.ChatRequest.CacheMode"/>). Without <see cref="AddResponseCache(LlmProvidersBuilder, Action{ResponseCacheOptions})"/> nothing is cached and the routes pay nothing.
/// </summary>
public static class ResponseCacheLlmProvidersBuilderExtensions
{
    /// <summary>
    /// Adds the response cache, in memory unless a store is registered (<see cref="UseDistributedResponseCache"/>,
    /// <see cref="UseResponseCacheStore"/>, or an <see cref="ILlmResponseCacheStore"/> of your own). Options are validated at start.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.Routes.Add("default")</c>; <see langword="null"/> keeps them (or the configuration's).</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddResponseCache(this LlmProvidersBuilder builder, Action<ResponseCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<ResponseCacheOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResponseCacheOptions>>(ResponseCacheOptionsValidator.Instance));
        builder.Services.TryAddSingleton<ILlmResponseCacheStore>(static sp =>
        {
            var o = sp.GetRequiredService<IOptions<ResponseCacheOptions>>().Value;
            return new InMemoryResponseCacheStore(o.MaxEntries, o.MaxBytes, sp.GetService<TimeProvider>());
        });
        builder.Services.TryAddSingleton(static sp => new ResponseCache(
            sp.GetRequiredService<IOptions<ResponseCacheOptions>>().Value,
            sp.GetRequiredService<ILlmResponseCacheStore>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(ResponseCache).FullName!)));
        return builder;
    }

    /// <summary>
    /// Adds the response cache with its options bound from configuration (e.g. the section <c>LlmProviders:ResponseCache</c>):
    /// <c>CacheAllRoutes</c>, <c>Routes</c>, <c>Providers</c>, <c>TimeToLive</c>, <c>MaxEntries</c>, <c>MaxBytes</c>,
    /// <c>CacheStreams</c>, <c>Coalesce</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The configuration section of <see cref="ResponseCacheOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddResponseCache(this LlmProvidersBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.Configure<ResponseCacheOptions>(section);
        return AddResponseCache(builder);
    }

    /// <summary>Changes the response cache's options (after <see cref="AddResponseCache(LlmProvidersBuilder, Action{ResponseCacheOptions})"/> or configuration binding).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder ConfigureResponseCache(this LlmProvidersBuilder builder, Action<ResponseCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Keeps the response cache's entries in the application's <see cref="IDistributedCache"/> (which must be registered, e.g.
    /// with <c>AddStackExchangeRedisCache</c> or <c>AddDistributedMemoryCache</c>) instead of in memory. Entries are written under
    /// keys starting with <c>LlmProviders:ResponseCache:</c>, expiring after <see cref="ResponseCacheOptions.TimeToLive"/>; the
    /// distributed cache bounds its own size (<see cref="ResponseCacheOptions.MaxEntries"/> and <see cref="ResponseCacheOptions.MaxBytes"/> do not apply).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder UseDistributedResponseCache(this LlmProvidersBuilder builder) =>
        UseResponseCacheStore(builder, static sp => new DistributedResponseCacheStore(sp.GetRequiredService<IDistributedCache>()));

    /// <summary>Keeps the response cache's entries in a store of your own.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store (once).</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder UseResponseCacheStore(this LlmProvidersBuilder builder, Func<IServiceProvider, ILlmResponseCacheStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<ILlmResponseCacheStore>();
        builder.Services.AddSingleton(factory);
        return builder;
    }
}
