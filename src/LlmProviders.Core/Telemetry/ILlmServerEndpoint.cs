using System;

namespace LlmProviders.Telemetry;

/// <summary>
/// Implemented by a provider that calls a server over HTTP: its endpoint, reported as <c>server.address</c> and
/// <c>server.port</c> on metrics and spans. Only the scheme, host and port are used; never a path, query or credential.
/// </summary>
public interface ILlmServerEndpoint
{
    /// <summary>Gets the base URL the provider sends its requests to; <see langword="null"/> when not known.</summary>
    Uri? ServerEndpoint { get; }
}
