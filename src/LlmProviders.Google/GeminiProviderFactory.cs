using System;
using System.Net.Http;
using System.Threading;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Google;

/// <summary>
/// Builds Google Gemini providers from an API key for <see cref="ILlmProviderManager.EnableProvider"/> (kind <c>google</c>):
/// default <see cref="GeminiProviderOptions"/> plus the key (unset values such as the base URL from <c>GOOGLE_GEMINI_BASE_URL</c>…).
/// <c>AddGemini</c> registers it; without a configured Google Gemini provider, register it with
/// <c>builder.AddProviderFactory(new GeminiProviderFactory())</c>.
/// </summary>
public sealed class GeminiProviderFactory : ILlmProviderFactory
{
    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.Google"/>.</value>
    public string Kind => LlmProviderKinds.Google;

    /// <inheritdoc />
    /// <remarks>
    /// The <see cref="HttpClient"/> comes from <see cref="IHttpClientFactory"/> when registered (the client named
    /// <c>LlmProvidersBuilder.GetHttpClientName(name)</c>, with an infinite timeout), else the provider's shared client; the
    /// <see cref="TimeProvider"/> and the logger come from <paramref name="services"/> when registered.
    /// </remarks>
    /// <exception cref="ArgumentException">The name or the key is empty, or the options are invalid (the message names the option, never the key).</exception>
    public ILlmProvider Create(string name, string apiKey, IServiceProvider services)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(services);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException("The API key is empty; pass the Google Gemini key.", nameof(apiKey));
        }

        var options = new GeminiProviderOptions { ApiKey = apiKey };
        var http = services.GetService<IHttpClientFactory>()?.CreateClient(LlmProvidersBuilder.GetHttpClientName(name));
        if (http is not null)
        {
            http.Timeout = Timeout.InfiniteTimeSpan; // The provider's own timeouts rule.
        }

        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(GeminiProvider).FullName!);
        return new GeminiProvider(options, http, name, time, logger, services.GetService<GeminiEnvironment>() ?? GeminiEnvironment.Process);
    }
}
