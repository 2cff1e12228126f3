using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmProviders.Google;

/// <summary>
/// Builds Google Gemini providers from an API key for <see cref="ILlmProviderManager.EnableProvider"/> (kind <c>google</c>):
/// default <see cref="GeminiProviderOptions"/> plus the key (unset values such as the base URL from <c>GOOGLE_GEMINI_BASE_URL</c>…).
/// <c>AddGemini</c> registers it; without a configured Google Gemini provider, register it with
/// <c>builder.AddProviderFactory(new GeminiProviderFactory())</c>.
/// </summary>
public sealed class GeminiProviderFactory : ApiKeyProviderFactory
{
    /// <summary>Initializes a new instance.</summary>
    public GeminiProviderFactory()
        : base(LlmProviderKinds.Google, "Gemini")
    {
    }

    /// <inheritdoc />
    protected override ILlmProvider Create(ProviderFactoryContext context) => new GeminiProvider(
        new GeminiProviderOptions { ApiKey = context.ApiKey },
        context.HttpClient,
        context.Name,
        context.TimeProvider,
        context.CreateLogger(typeof(GeminiProvider)),
        context.Services.GetService<GeminiEnvironment>() ?? GeminiEnvironment.Process,
        context.CostCalculator);
}
