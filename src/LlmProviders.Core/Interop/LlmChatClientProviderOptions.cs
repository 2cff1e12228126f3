using System;
using System.Collections.Generic;

namespace LlmProviders.Interop;

/// <summary>How a Microsoft.Extensions.AI <c>IChatClient</c> presents itself as an <see cref="ILlmProvider"/> (SPEC V13).</summary>
public sealed class LlmChatClientProviderOptions
{
    /// <summary>Gets or sets the provider kind: it names the catalog whose prices apply (e.g. <c>"openai"</c> for an OpenAI client) and the telemetry provider name.</summary>
    /// <value>The default value is <see cref="LlmProviderKinds.ChatClient"/> (<c>"chatclient"</c>: not in the catalog, so the cost is unknown unless the catalog is given prices for it).</value>
    public string Kind { get; set; } = LlmProviderKinds.ChatClient;

    /// <summary>Gets or sets what the client can do; the router filters targets by it.</summary>
    /// <value>The default value is <see cref="LlmCapabilities.Chat"/> | <see cref="LlmCapabilities.Streaming"/> | <see cref="LlmCapabilities.Tools"/>.</value>
    public LlmCapabilities Capabilities { get; set; } = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools;

    /// <summary>Gets or sets a value indicating whether the client runs locally (local providers cost zero and suit local-first routing).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IsLocal { get; set; }

    /// <summary>Gets or sets the model asked for when a request names none.</summary>
    /// <value>The default value is <see langword="null"/>: the client's own default (its <c>ChatClientMetadata.DefaultModelId</c>).</value>
    public string? DefaultModel { get; set; }

    /// <summary>Gets the models <see cref="ILlmProvider.ListModelsAsync"/> lists.</summary>
    /// <value>The default value is empty: the list holds the default model, if one is known.</value>
    public IList<string> Models { get; } = new List<string>();

    /// <summary>Gets or sets a value indicating whether <see cref="ILlmProvider.CheckHealthAsync"/> sends a tiny probe request (one user word, one output token) to the client.</summary>
    /// <value>The default value is <see langword="false"/>: no call is made, and the provider is reported healthy with a message saying it was not probed.</value>
    public bool HealthProbe { get; set; }

    /// <summary>Gets or sets a classifier for the client's own exception types (e.g. an SDK's exception carrying an HTTP status), so that they fail over like the provider errors they are.</summary>
    /// <value>The default value is <see langword="null"/>: <c>HttpRequestException</c> is classified by its status, timeouts as timeouts, others as unknown (which fails over).</value>
    /// <remarks>Return <see langword="null"/> to fall back to the built-in classification.</remarks>
    public Func<Exception, LlmErrorKind?>? ClassifyException { get; set; }
}
