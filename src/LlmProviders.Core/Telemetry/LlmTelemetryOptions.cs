namespace LlmProviders.Telemetry;

/// <summary>What the router's telemetry records (SPEC H3).</summary>
public sealed class LlmTelemetryOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether spans carry message content: the request's messages
    /// (<c>gen_ai.input.messages</c>) and the answer (<c>gen_ai.output.messages</c>). Content can hold personal or secret data;
    /// turn it on only where the trace backend may see it. API keys are never recorded either way.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: no message content, only model names, usage, timings and errors.</value>
    public bool EnableSensitiveData { get; set; }
}
