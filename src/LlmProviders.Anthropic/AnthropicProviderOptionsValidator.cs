using Microsoft.Extensions.Options;

namespace LlmProviders.Anthropic;

/// <summary>Validates <see cref="AnthropicProviderOptions"/> at start (source-generated; runs the options' own checks).</summary>
[OptionsValidator]
internal sealed partial class AnthropicProviderOptionsValidator : IValidateOptions<AnthropicProviderOptions>
{
}
