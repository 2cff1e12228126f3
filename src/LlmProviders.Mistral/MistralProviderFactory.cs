using System;
using System.Net.Http;
using System.Threading;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Mistral;

/// <summary>
/// Builds Mistral providers from an API key for <see cref="ILlmProviderManager.EnableProvider"/> (kind <c>mistral</c>):
/// default <see cref="MistralProviderOptions"/> plus the key (unset values such as the base URL from <c>MISTRAL_BASE_URL</c>…).
/// <c>AddMistral</c> registers it; without a configured Mistral provider, register it with
/// <c>builder.AddProviderFactory(new MistralProviderFactory())</c>.
/// </summary>
public sealed class MistralProviderFactory : ILlmProviderFactory
{
    /// <inheritdoc />
    /// <value><see cref="LlmProviderKinds.Mistral"/>.</value>
    public string Kind => LlmProviderKinds.Mistral;

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
            throw new ArgumentException("The API key is empty; pass the Mistral key.", nameof(apiKey));
        }

        var options = new MistralProviderOptions { ApiKey = apiKey };
        var http = services.GetService<IHttpClientFactory>()?.CreateClient(LlmProvidersBuilder.GetHttpClientName(name));
        if (http is not null)
        {
            http.Timeout = Timeout.InfiniteTimeSpan; // The provider's own timeouts rule.
        }

        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(MistralProvider).FullName!);
        return new MistralProvider(options, http, name, time, logger, services.GetService<MistralEnvironment>() ?? MistralEnvironment.Process);
    }
}
