using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace LlmProviders.Interop;

/// <summary>Validates <see cref="LlmChatClientProviderOptions"/>: each failure names the provider, the option and the fix.</summary>
internal sealed class LlmChatClientProviderOptionsValidator : IValidateOptions<LlmChatClientProviderOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LlmChatClientProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string prefix = $"Chat client provider '{(string.IsNullOrEmpty(name) ? "chatclient" : name)}': ";
        List<string>? failures = null;
        if (string.IsNullOrWhiteSpace(options.Kind))
        {
            (failures ??= []).Add($"{prefix}Kind is empty; set it to the provider kind whose prices apply (e.g. \"openai\"), or leave the default \"{LlmProviderKinds.ChatClient}\".");
        }

        if ((options.Capabilities & LlmCapabilities.Chat) == 0)
        {
            (failures ??= []).Add($"{prefix}Capabilities ({options.Capabilities}) lacks Chat; a chat client answers chat, so include LlmCapabilities.Chat.");
        }

        for (int i = 0; i < options.Models.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Models[i]))
            {
                (failures ??= []).Add($"{prefix}Models[{i}] is blank; remove it or give the model id, e.g. \"gpt-4o-mini\".");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
