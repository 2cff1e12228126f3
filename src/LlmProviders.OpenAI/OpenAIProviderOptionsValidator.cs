using Microsoft.Extensions.Options;

namespace LlmProviders.OpenAI;

/// <summary>Validates <see cref="OpenAIProviderOptions"/> at start (source-generated; runs the options' own checks).</summary>
[OptionsValidator]
internal sealed partial class OpenAIProviderOptionsValidator : IValidateOptions<OpenAIProviderOptions>
{
}
