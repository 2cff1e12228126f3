using Microsoft.Extensions.Options;

namespace LlmProviders.OpenAI;

/// <summary>Validates <see cref="OpenAICompatibleProviderOptions"/> at start (source-generated; runs the preset's checks).</summary>
[OptionsValidator]
internal sealed partial class OpenAICompatibleProviderOptionsValidator : IValidateOptions<OpenAICompatibleProviderOptions>
{
}

/// <summary>Validates <see cref="OpenRouterProviderOptions"/> at start (source-generated; runs the preset's checks).</summary>
[OptionsValidator]
internal sealed partial class OpenRouterProviderOptionsValidator : IValidateOptions<OpenRouterProviderOptions>
{
}
