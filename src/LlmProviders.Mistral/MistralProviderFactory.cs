using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Mistral;

/// <summary>
/// Builds Mistral providers from an API key for <see cref="ILlmProviderManager.EnableProvider"/> (kind <c>mistral</c>):
/// default <see cref="MistralProviderOptions"/> plus the key (unset values such as the base URL from <c>MISTRAL_BASE_URL</c>…).
/// <c>AddMistral</c> registers it; without a configured Mistral provider, register it with
/// <c>builder.AddProviderFactory(new MistralProviderFactory())</c>.
/// </summary>
public sealed class MistralProviderFactory : ApiKeyProviderFactory
{
    /// <summary>Initializes a new instance.</summary>
    public MistralProviderFactory()
        : base(LlmProviderKinds.Mistral, "Mistral")
    {
    }

    /// <inheritdoc />
    protected override ILlmProvider Create(ProviderFactoryContext context) => new MistralProvider(
        new MistralProviderOptions { ApiKey = context.ApiKey },
        context.HttpClient,
        context.Name,
        context.TimeProvider,
        context.CreateLogger(typeof(MistralProvider)),
        context.Services.GetService<MistralEnvironment>() ?? MistralEnvironment.Process,
        context.CostCalculator);
}
