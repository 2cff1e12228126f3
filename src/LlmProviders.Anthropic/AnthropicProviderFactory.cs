using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Anthropic;

/// <summary>
/// Builds Anthropic providers from an API key for <see cref="ILlmProviderManager.EnableProvider"/> (kind <c>anthropic</c>):
/// default <see cref="AnthropicProviderOptions"/> plus the key (unset values such as the base URL from <c>ANTHROPIC_BASE_URL</c>…).
/// <c>AddAnthropic</c> registers it; without a configured Anthropic provider, register it with
/// <c>builder.AddProviderFactory(new AnthropicProviderFactory())</c>.
/// </summary>
public sealed class AnthropicProviderFactory : ApiKeyProviderFactory
{
    /// <summary>Initializes a new instance.</summary>
    public AnthropicProviderFactory()
        : base(LlmProviderKinds.Anthropic, "Anthropic")
    {
    }

    /// <inheritdoc />
    protected override ILlmProvider Create(ProviderFactoryContext context) => new AnthropicProvider(
        new AnthropicProviderOptions { ApiKey = context.ApiKey },
        context.HttpClient,
        context.Name,
        context.TimeProvider,
        context.CreateLogger(typeof(AnthropicProvider)),
        context.Services.GetService<AnthropicEnvironment>() ?? AnthropicEnvironment.Process,
        context.CostCalculator);
}
