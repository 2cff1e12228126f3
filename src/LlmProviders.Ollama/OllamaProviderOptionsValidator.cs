using Microsoft.Extensions.Options;

namespace LlmProviders.Ollama;

/// <summary>Validates <see cref="OllamaProviderOptions"/> at start (source-generated; runs the options' own checks).</summary>
[OptionsValidator]
internal sealed partial class OllamaProviderOptionsValidator : IValidateOptions<OllamaProviderOptions>
{
}
