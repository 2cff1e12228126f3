using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using LlmProviders.Testing.Http;

namespace LlmProviders.OpenAI.Tests.Compatible;

/// <summary>Shared set-up of the preset tests: presets created over the scripted server, never reading the machine's environment.</summary>
public abstract class CompatiblePresetTestBase : OpenAIProviderTestBase
{
    private protected OpenAIProvider Preset(CompatiblePreset preset, Action<OpenAICompatibleProviderOptions>? configure = null, string name = "preset", Func<string, string?>? environment = null)
    {
        OpenAICompatibleProviderOptions options = ReferenceEquals(preset, CompatiblePreset.OpenRouter) ? new OpenRouterProviderOptions() : new OpenAICompatibleProviderOptions();
        options.ApiKey = Key;
        if (ReferenceEquals(preset, CompatiblePreset.Custom))
        {
            options.BaseUrl = new Uri("https://llm.example.com/v1");
        }

        configure?.Invoke(options);
        return OpenAICompatibleProviders.Create(preset, options, new HttpClient(Handler), name, Time, null, new OpenAICompatibleEnvironment(environment ?? (_ => null)), Unpriced);
    }

    /// <summary>An SSE body of the given data events, exactly as written (no <c>[DONE]</c> unless given).</summary>
    protected static CannedResponse Events(params string[] events)
    {
        var sb = new StringBuilder();
        foreach (var e in events)
        {
            sb.Append(e.StartsWith(':') ? e : "data: " + e).Append("\n\n");
        }

        return CannedResponse.EventStream(sb.ToString());
    }

    protected static ChatStreamUpdate Final(List<ChatStreamUpdate> updates) => updates.Single(u => u.IsFinal);
}
