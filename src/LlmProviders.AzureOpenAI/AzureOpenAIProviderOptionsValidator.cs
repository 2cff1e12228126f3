using Microsoft.Extensions.Options;

namespace LlmProviders.AzureOpenAI;

/// <summary>Validates <see cref="AzureOpenAIProviderOptions"/> at start (source-generated; runs the options' own checks).</summary>
[OptionsValidator]
internal sealed partial class AzureOpenAIProviderOptionsValidator : IValidateOptions<AzureOpenAIProviderOptions>
{
}
