using Microsoft.Extensions.Options;

namespace LlmProviders.Google;

/// <summary>Validates <see cref="GeminiProviderOptions"/> at start (source-generated; runs the options' own checks).</summary>
[OptionsValidator]
internal sealed partial class GeminiProviderOptionsValidator : IValidateOptions<GeminiProviderOptions>
{
}
