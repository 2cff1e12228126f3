using System;
using LlmProviders;
using LlmProviders.Interop;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers any Microsoft.Extensions.AI <see cref="IChatClient"/> as a provider (SPEC V13).</summary>
public static class InteropLlmProvidersBuilderExtensions
{
    /// <summary>Registers the client <paramref name="factory"/> builds as the provider <paramref name="name"/>: it routes, fails over and is priced like any other.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The provider's registration name.</param>
    /// <param name="factory">Builds the client. It must not resolve the unkeyed <see cref="IChatClient"/> (that is the router's face, which would call back into this provider).</param>
    /// <param name="configure">Sets how the client presents itself (kind, capabilities, local, default model, models, health probe).</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddChatClient(this LlmProvidersBuilder builder, string name, Func<IServiceProvider, IChatClient> factory, Action<LlmChatClientProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var kind = LlmProviderKinds.ChatClient;
        if (configure is not null)
        {
            // The registration records the kind the options give (configuration is applied again, by name, when the provider is built).
            var probe = new LlmChatClientProviderOptions();
            configure(probe);
            kind = string.IsNullOrWhiteSpace(probe.Kind) ? kind : probe.Kind;
        }

        builder.AddProvider(name, kind, (sp, providerName) => new ChatClientLlmProvider(
            factory(sp),
            providerName,
            sp.GetRequiredService<IOptionsMonitor<LlmChatClientProviderOptions>>().Get(providerName),
            sp.GetService<TimeProvider>(),
            sp.GetService<LlmProviders.Costs.CostCalculator>()));
        var options = builder.Services.AddOptionsWithValidateOnStart<LlmChatClientProviderOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmChatClientProviderOptions>, LlmChatClientProviderOptionsValidator>());
        return builder;
    }
}
