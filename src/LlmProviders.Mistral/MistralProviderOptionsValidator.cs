using Microsoft.Extensions.Options;

namespace LlmProviders.Mistral;

/// <summary>Validates <see cref="MistralProviderOptions"/> at start (source-generated; runs the options' own checks).</summary>
[OptionsValidator]
internal sealed partial class MistralProviderOptionsValidator : IValidateOptions<MistralProviderOptions>
{
}
