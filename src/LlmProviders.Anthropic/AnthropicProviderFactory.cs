using System;
using System.Net.Http;
using System.Threading;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Anthropic;

/// <summary>
/// Builds Anthropic providers from an API key for <see cref="ILlmProviderManager.EnableProvider"/> (kind <c>anthropic</c>):
/// default <see cref="AnthropicProviderOptions"/> plus the key (unset values such as the base URL from <c>ANTHROPIC_BASE_URL</c>…).
/// <c>AddAnthropic</c> registers it; without a configured Anthropic provider, register it with
/// <c>builder.AddProviderFactory(new AnthropicProviderFactory())</c>.
/// </summary>
public sealed class AnthropicProviderFactory : ILlmProviderFactory
{
    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.Anthropic"/>.</value>
    public string Kind => LlmProviderKinds.Anthropic;

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
            throw new ArgumentException("The API key is empty; pass the Anthropic key.", nameof(apiKey));
        }

        var options = new AnthropicProviderOptions { ApiKey = apiKey };
        var http = services.GetService<IHttpClientFactory>()?.CreateClient(LlmProvidersBuilder.GetHttpClientName(name));
        if (http is not null)
        {
            http.Timeout = Timeout.InfiniteTimeSpan; // The provider's own timeouts rule.
        }

        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(AnthropicProvider).FullName!);
        return new AnthropicProvider(options, http, name, time, logger, services.GetService<AnthropicEnvironment>() ?? AnthropicEnvironment.Process);
    }
}
