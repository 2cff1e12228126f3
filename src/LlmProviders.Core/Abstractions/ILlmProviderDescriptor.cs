using System;

namespace LlmProviders;

/// <summary>
/// Optionally implemented by a provider to describe where it sends requests and which model it uses by default. Telemetry reports
/// the endpoint as <c>server.address</c> and <c>server.port</c>; the <c>IChatClient</c> adapter puts both in its
/// <see cref="Microsoft.Extensions.AI.ChatClientMetadata"/>; provider diagnostics check that the default model is served. Only the
/// scheme, host and port of the endpoint are reported as telemetry; never a credential.
/// </summary>
public interface ILlmProviderDescriptor
{
    /// <summary>Gets the base URL the provider sends its requests to; <see langword="null"/> when not known.</summary>
    Uri? ServerEndpoint { get; }

    /// <summary>Gets the chat model used when a request names none; <see langword="null"/> when not known.</summary>
    string? DefaultModel { get; }
}
