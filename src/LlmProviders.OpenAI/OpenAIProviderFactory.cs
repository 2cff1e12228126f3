using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.OpenAI;

/// <summary>
/// Builds OpenAI providers from an API key for <see cref="ILlmProviderManager.EnableProvider"/> (kind <c>openai</c>):
/// default <see cref="OpenAIProviderOptions"/> plus the key (unset values such as the base URL from <c>OPENAI_BASE_URL</c>…).
/// <c>AddOpenAI</c> registers it; without a configured OpenAI provider, register it with
/// <c>builder.AddProviderFactory(new OpenAIProviderFactory())</c>.
/// </summary>
public sealed class OpenAIProviderFactory : ApiKeyProviderFactory
{
    /// <summary>Initializes a new instance.</summary>
    public OpenAIProviderFactory()
        : base(LlmProviderKinds.OpenAI, "OpenAI")
    {
    }

    /// <inheritdoc />
    protected override ILlmProvider Create(ProviderFactoryContext context) => new OpenAIProvider(
        new OpenAIProviderOptions { ApiKey = context.ApiKey },
        context.HttpClient,
        context.Name,
        context.TimeProvider,
        context.CreateLogger(typeof(OpenAIProvider)),
        context.Services.GetService<OpenAIEnvironment>() ?? OpenAIEnvironment.Process,
        context.CostCalculator);
}
